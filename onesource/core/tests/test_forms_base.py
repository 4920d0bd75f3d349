"""Forms on the GOV.UK patterns: every error at once, 'Error:' in the title, messages that say what to do,
the date input as day, month and year, no row of dashes in a drop-down."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re

import pytest
from django import forms
from django.apps import apps

from onesource.core.forms_base import GovukDateField, GovukForm
from onesource.core.models import Partner
from onesource.core.roles import Role


class LeaveForm(GovukForm):
    first_day = forms.DateField(label="First day")
    last_day = forms.DateField(label="To", required=False)
    days = forms.DecimalField(label="Working days lost", min_value=0, max_digits=4, decimal_places=1)
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), label="Partner")
    note = forms.CharField(max_length=5, required=False)


@pytest.mark.django_db
def test_every_error_at_once_in_words_that_say_what_to_do():
    form = LeaveForm(
        data={"first_day_0": "31", "first_day_1": "2", "first_day_2": "2024", "days": "x", "note": "too long"}
    )
    assert not form.is_valid()
    assert {name: list(messages) for name, messages in form.errors.items()} == {
        "first_day": ["First day must be a real date"],
        "days": ["Working days lost must be a number"],
        "partner": ["Select the partner"],
        "note": ["Note must be 5 characters or fewer"],
    }
    blank = LeaveForm(data={})
    assert not blank.is_valid()
    assert blank.errors["first_day"] == ["Enter the first day"]
    assert blank.errors["days"] == ["Enter the working days lost"]
    part = LeaveForm(data={"first_day_0": "1", "first_day_1": "", "first_day_2": "24"})
    assert not part.is_valid()
    assert part.errors["first_day"] == ["First day must include a month", "Year must include 4 numbers"]


class GradeForm(GovukForm):
    grade = forms.ChoiceField(choices=[("so1", "SO1"), ("po1", "PO1")])
    frequency = forms.ChoiceField(choices=[("monthly", "Monthly"), ("annual", "Annual")], initial="monthly")


def test_a_required_drop_down_asks_for_a_choice_instead_of_showing_its_first():
    form = GradeForm()
    assert '<option value="" selected>Choose a grade</option>' in str(form["grade"])
    assert '<option value="monthly" selected>Monthly</option>' in str(form["frequency"])  # a default is kept
    blank = GradeForm(data={"frequency": "monthly"})
    assert not blank.is_valid()
    assert blank.errors["grade"] == ["Select the grade"]


@pytest.mark.django_db
def test_the_date_input_round_trips_day_month_and_year():
    form = LeaveForm(initial={"first_day": dt.date(2024, 4, 1)})
    html = str(form["first_day"])
    assert 'name="first_day_0" value="1"' in html
    assert 'name="first_day_1" value="4"' in html
    assert 'name="first_day_2" value="2024"' in html
    assert 'class="govuk-date-input"' in html
    bound = LeaveForm(data={"first_day_0": "1", "first_day_1": "4", "first_day_2": "2024", "days": "1"})
    bound.is_valid()
    assert bound.cleaned_data["first_day"] == dt.date(2024, 4, 1)
    assert bound.cleaned_data["last_day"] is None
    # Posts that give one ISO date (scripts, older links) are read the same way.
    iso = LeaveForm(data={"first_day": "2024-04-01", "days": "1"})
    iso.is_valid()
    assert iso.cleaned_data["first_day"] == dt.date(2024, 4, 1)
    assert 'name="first_day_0" value="1"' in str(iso["first_day"])


@pytest.mark.django_db
def test_a_page_with_errors_has_error_in_its_title_and_lists_every_error(
    workforce_like, client_for, make_user
):
    client = client_for(make_user(Role.PLATFORM_ADMIN))
    response = client.post("/partners/new/", {})
    page = response.content.decode()
    assert re.search(r"<title>Error: ", page)
    summary = page[
        page.index("govuk-error-summary__list") : page.index("</ul>", page.index("govuk-error-summary__list"))
    ]
    for message in ["Enter the code", "Enter the name"]:
        assert message in summary, message
    assert "This field is required" not in page
    assert not re.search(r"<title>Error: ", client.get("/partners/new/").content.decode())


@pytest.fixture
def workforce_like(partnership):
    return partnership


def _every_govuk_form():
    for config in apps.get_app_configs():
        if not config.name.startswith("onesource."):
            continue
        for module_name in ("forms", "views", "views_transparency", "views_import", "views_ledger"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for _, klass in inspect.getmembers(module, inspect.isclass):
                if issubclass(klass, GovukForm) and klass.__module__ == module.__name__:
                    yield klass


@pytest.mark.django_db
def test_every_form_in_every_app_follows_the_patterns(partnership, make_user):
    admin = make_user(Role.PLATFORM_ADMIN)
    checked = 0
    for klass in _every_govuk_form():
        parameters = inspect.signature(klass.__init__).parameters
        kwargs = {"user": admin} if "user" in parameters else {}
        try:
            form = klass(**kwargs)
        except TypeError:
            continue  # a form that needs more than a user (an import's columns) is checked by its app
        checked += 1
        for name in form.fields:
            html = str(form[name])
            field = form.fields[name]
            where = f"{klass.__module__}.{klass.__name__}.{name}"
            assert "---------" not in html, where
            if (
                field.required
                and isinstance(field.widget, forms.Select)
                and not isinstance(field.widget, forms.SelectMultiple)
                and field.initial is None
                and form.initial.get(name) is None
            ):
                # Nothing is pre-selected in a required drop-down: its first option asks for a choice.
                assert 'value=""' in html and "selected" not in html.split('value=""')[0], where
            assert not isinstance(field, forms.DateField), where  # dates are day, month and year
            assert str(field.error_messages.get("required", "")) != "This field is required.", where
            if isinstance(field, GovukDateField):
                assert "govuk-date-input" in html, where
            elif isinstance(field.widget, forms.NumberInput):  # crispy styles text inputs as it renders
                assert "govuk-input" in html, where
    assert checked >= 20


@pytest.mark.django_db
def test_list_filters_take_dates_as_day_month_and_year(partnership, make_user, client_for):
    client = client_for(make_user(Role.PLATFORM_ADMIN))
    page = client.get("/partners/").content.decode()
    assert 'name="member_on_0"' in page and "govuk-date-input" in page
    after_bexley_left = client.get("/partners/?member_on_0=1&member_on_1=8&member_on_2=2020").content.decode()
    while_bexley_in = client.get("/partners/?member_on_0=1&member_on_1=8&member_on_2=2019").content.decode()
    assert "Bexley" not in after_bexley_left.split("<table", 1)[1]
    assert "Bexley" in while_bexley_in.split("<table", 1)[1]
    # Links built elsewhere with one ISO date still filter.
    assert (
        "Bexley" not in client.get("/partners/?member_on=2020-08-01").content.decode().split("<table", 1)[1]
    )
