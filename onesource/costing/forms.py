"""Forms for the costing pages, on GOV.UK Frontend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import FinancialYear, Partner, Service
from onesource.core.models.partnership import PartnerKind
from onesource.costing.models import Basis, DriverKind, SupportMethod
from onesource.costing.models.common import MONTH_NAMES

YEAR_HELP = "The year the financial year starts in: 2017 means 2017/18."
# Months by name (financial month 1 is April), as people say them.
MONTH_FIELD_CHOICES = [("", "Whole year"), *enumerate(MONTH_NAMES, start=1)]


def _year_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=2000,
        max_value=2100,
        label=kwargs.pop("label", "Financial year"),
        help_text=YEAR_HELP,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
        **kwargs,
    )


def _month_field(label: str = "Month", help_text: str = "Leave as whole year for a line covering the year."):
    return forms.TypedChoiceField(
        choices=MONTH_FIELD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label=label,
        help_text=help_text,
    )


class ScopedForm(GovukForm):
    """A form whose partner and service choices are the ones the user may see."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = field.queryset.model.objects.restrict(user)  # type: ignore[attr-defined,union-attr]


class AgreementForm(ScopedForm):
    service = forms.ModelChoiceField(queryset=Service.objects.all())
    year = _year_field()
    basis = forms.ChoiceField(
        choices=Basis.choices,
        help_text="A fixed formula uses the percentages below; a driver splits by the partners' figures.",
    )
    pro_rata = forms.BooleanField(
        required=False, initial=True, label="Partners joining or leaving in the year pay for their days only"
    )
    tolerance_percent = forms.DecimalField(
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal("3.00"),
        label="True-up tolerance (%)",
        help_text="A final run re-sets a partner's estimated share only when it moves by more than this.",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4", "step": "0.01"}),
    )
    is_support = forms.BooleanField(
        required=False,
        label="Support service: allocate its cost to the front-line services first",
    )
    support_method = forms.ChoiceField(
        choices=[("", "Not a support service"), *SupportMethod.choices], required=False
    )
    support_order = forms.IntegerField(
        required=False,
        min_value=1,
        label="Step-down position",
        help_text="1 is allocated first.",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
    )
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, user=user, **kwargs)
        # A formula names every member partner, including ones this user cannot otherwise see.
        members = Partner.objects.dangerously_unscoped().filter(kind=PartnerKind.MEMBER).order_by("name")
        self.partners = list(members)
        for partner in self.partners:
            self.fields[f"share_{partner.code}"] = forms.DecimalField(
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                decimal_places=4,
                label=f"{partner.name} (%)",
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5", "step": "any"}),
            )

    def shares(self) -> dict[Partner, Decimal]:
        return {
            p: self.cleaned_data[f"share_{p.code}"]
            for p in self.partners
            if self.cleaned_data.get(f"share_{p.code}") is not None
        }

    def agreement_fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("share_")}
        data["support_method"] = data.get("support_method") or ""
        return data


class LedgerLineForm(ScopedForm):
    service = forms.ModelChoiceField(queryset=Service.objects.all())
    year = _year_field()
    month = _month_field()
    owner_partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(),
        required=False,
        label="Non-shared: the partner whose line it is",
        help_text="Leave blank for a shared line (its variance is split by the agreement).",
    )
    cost_centre = forms.CharField(required=False, max_length=40)
    description = forms.CharField(required=False, max_length=300)
    amount = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        label="Amount (£)",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-10", "step": "0.01"}),
    )


class DriverQuantityForm(ScopedForm):
    kind = forms.ChoiceField(choices=DriverKind.choices)
    service = forms.ModelChoiceField(queryset=Service.objects.all())
    partner = forms.ModelChoiceField(queryset=Partner.objects.all())
    year = _year_field()
    month = _month_field(help_text="Leave as whole year for a count covering the year.")
    measure = forms.CharField(
        required=False, max_length=100, help_text="What was counted, like benefit claims."
    )
    quantity = forms.DecimalField(min_value=Decimal(0), max_digits=14, decimal_places=2)


class TimeEntryForm(ScopedForm):
    person = forms.CharField(max_length=100, help_text="Staff number or name.")
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), label="Partner the work was for")
    service = forms.ModelChoiceField(queryset=Service.objects.all())
    date = forms.DateField(widget=DateInput())
    hours = forms.DecimalField(min_value=Decimal(0), max_digits=6, decimal_places=2)


class SupportUsageForm(ScopedForm):
    year = _year_field()
    support_service = forms.ModelChoiceField(queryset=Service.objects.all())
    user_service = forms.ModelChoiceField(queryset=Service.objects.all(), label="Used by")
    quantity = forms.DecimalField(min_value=Decimal(0), max_digits=14, decimal_places=2)
    unit = forms.CharField(required=False, max_length=40, help_text="Hours, tickets, headcount…")


class RunStartForm(GovukForm):
    submit_label = "Start the run"
    year = _year_field()
    up_to_month = _month_field(
        label="Up to the end of", help_text="Leave as whole year for the full year's recharge."
    )
    estimate = forms.BooleanField(
        required=False,
        label="This is an estimate",
        help_text="A later final run keeps each partner's estimated share unless it moves beyond "
        "the tolerance.",
    )
    support_method = forms.ChoiceField(
        choices=[("", "As the support services' agreements say"), *SupportMethod.choices],
        required=False,
        label="Support-service allocation",
    )
    note = forms.CharField(required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The latest year with a budget is the one most likely to be run.
        from django.db.models import Max

        from onesource.costing.models import BudgetLine

        latest = BudgetLine.objects.dangerously_unscoped().aggregate(year=Max("year"))["year"]
        self.fields["year"].initial = latest or FinancialYear.start_year_for(timezone.localdate())


class ApproveForm(GovukForm):
    submit_label = "Approve this run"
    confirm = forms.BooleanField(
        label="I have checked the run: approve it. It cannot be changed afterwards; "
        "a correction is a new version.",
        error_messages={"required": "Confirm that you have checked the run."},
    )


class DeleteRunForm(GovukForm):
    submit_label = "Delete this draft"
    confirm = forms.BooleanField(
        label="Delete this draft run and its figures. This cannot be undone.",
        error_messages={"required": "Confirm that you want to delete the draft run."},
    )


class SignOffForm(GovukForm):
    submit_label = "Record your decision"
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            ("signed", "Sign off the statement: it agrees with our records"),
            ("rejected", "Reject the statement: the figures need correcting"),
        ],
        help_text="Signing off cannot be undone. A rejection stops the run being approved until "
        "shared-service finance builds a corrected version.",
        error_messages={"required": "Choose whether to sign off or reject the statement."},
        # Radios with neither chosen: a decision this weighty is never pre-selected.
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment, or why you are rejecting it",
        help_text="Required when you reject the statement.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("decision") == "rejected" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Enter why you are rejecting the statement.")
        return data
