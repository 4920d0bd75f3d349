"""Pages for the Transparency Code datasets: senior salaries, organisation chart, pay multiple.

Each is for one partner (a partner's users see only their own; another partner is a 404) and a
chosen date (`?date=YYYY-MM-DD`, by default the latest 31 March), and downloads as CSV with
`?format=csv`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import path
from django.views.generic import TemplateView

from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import Partner
from onesource.core.views_base import ScopedView
from onesource.workforce import transparency


class DateForm(GovukForm):
    submit_label = "Show"
    date = forms.DateField(label="As at", widget=DateInput(), help_text="For example, 2019-03-31.")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False  # the page's own GET form holds it


class ChooseForm(DateForm):
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="Every partner you can see",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.restrict(user)  # type: ignore[attr-defined]
        self.order_fields(["partner", "date"])


def chosen_date(request: HttpRequest) -> tuple[dt.date, DateForm]:
    form = DateForm(request.GET or None, initial={"date": transparency.default_date()})
    day = form.cleaned_data["date"] if form.is_bound and form.is_valid() else transparency.default_date()
    return day, form


class TransparencyIndexView(ScopedView, TemplateView):
    template_name = "workforce/transparency_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ChooseForm(
            self.request.GET or None, user=self.request.user, initial={"date": transparency.default_date()}
        )
        day = transparency.default_date()
        if form.is_bound and form.is_valid():
            day = form.cleaned_data["date"]
        partners = Partner.objects.restrict(self.request.user)
        if form.is_bound and form.is_valid() and form.cleaned_data["partner"]:
            partners = partners.filter(pk=form.cleaned_data["partner"].pk)
        context.update(
            title="Transparency Code datasets",
            form=form,
            day=day,
            partners=partners,
            datasets=list(transparency.DATASETS.items()),
        )
        return context


class DatasetView(ScopedView, TemplateView):
    dataset = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        partner = transparency.partner_for(request.user, kwargs["code"])
        day, form = chosen_date(request)
        data = transparency.build_dataset(self.dataset, request.user, partner, day)
        if request.GET.get("format") == "csv":
            response = HttpResponse(transparency.dataset_csv(self.dataset, data), content_type="text/csv")
            name = f"{partner.code.lower()}-{self.dataset}-{day.isoformat()}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        query = request.GET.copy()
        query["format"] = "csv"
        query.setdefault("date", day.isoformat())
        context = self.get_context_data(
            partner=partner,
            day=day,
            form=form,
            data=data,
            csv_query=query.urlencode(),
            title=f"{transparency.DATASETS[self.dataset]}: {partner.name}",
            dataset_label=transparency.DATASETS[self.dataset],
            others=[(k, v) for k, v in transparency.DATASETS.items() if k != self.dataset],
            **kwargs,
        )
        return self.render_to_response(context)


class SeniorSalariesView(DatasetView):
    dataset = "senior-salaries"
    template_name = "workforce/transparency_senior_salaries.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["named_from"] = transparency.NAMED_SALARY_FROM
        context["senior_from"] = transparency.SENIOR_SALARY_FROM
        return context


class OrgChartView(DatasetView):
    dataset = "org-chart"
    template_name = "workforce/transparency_org_chart.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = transparency.flatten(context["data"])
        return context


class PayMultipleView(DatasetView):
    dataset = "pay-multiple"
    template_name = "workforce/transparency_pay_multiple.html"


urlpatterns = [
    path("transparency/", TransparencyIndexView.as_view(), name="transparency"),
    path(
        "transparency/<str:code>/senior-salaries/",
        SeniorSalariesView.as_view(),
        name="transparency-senior-salaries",
    ),
    path("transparency/<str:code>/org-chart/", OrgChartView.as_view(), name="transparency-org-chart"),
    path(
        "transparency/<str:code>/pay-multiple/", PayMultipleView.as_view(), name="transparency-pay-multiple"
    ),
]
