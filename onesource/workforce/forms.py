"""Forms for workforce pages; their cleaned data goes to the actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import Partner, Service, ServiceArea
from onesource.workforce.models import (
    ContractType,
    Grade,
    LeavingReason,
    Post,
    RiskAssessmentKind,
    SicknessReason,
)


class PostForm(GovukForm):
    reference = forms.CharField(max_length=20, help_text="The establishment reference, like P-000123.")
    title = forms.CharField(max_length=200)
    service = forms.ModelChoiceField(queryset=Service.objects.select_related("area"))
    grade = forms.ChoiceField(choices=Grade.choices)
    fte = forms.DecimalField(
        label="FTE", max_digits=4, decimal_places=2, help_text="For example 1.00 or 0.50."
    )
    budgeted_annual_cost = forms.DecimalField(
        label="Budgeted annual cost (£)", max_digits=12, decimal_places=2, help_text="Salary plus on-costs."
    )
    responsibilities = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_senior_management = forms.BooleanField(required=False, label="A senior management post")
    funded_by = forms.ModelChoiceField(
        queryset=Partner.objects.all(),
        required=False,
        label="Funded by one partner",
        help_text="Leave blank for a post funded by the shared budget.",
    )
    reports_to = forms.ModelChoiceField(
        queryset=Post.objects.filter(is_senior_management=True), required=False, label="Reports to"
    )
    starts_on = forms.DateField(label="Established on", widget=DateInput())
    ends_on = forms.DateField(label="Deleted on", required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["service"].queryset = Service.objects.restrict(user).select_related("area")  # type: ignore[attr-defined]
            self.fields["funded_by"].queryset = Partner.objects.restrict(user)  # type: ignore[attr-defined]
            self.fields["reports_to"].queryset = Post.objects.restrict(user).filter(is_senior_management=True)  # type: ignore[attr-defined]


class EmployeeForm(GovukForm):
    staff_number = forms.CharField(max_length=20, help_text="Capital letters, digits and dashes.")
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    employing_partner = forms.ModelChoiceField(queryset=Partner.objects.all(), label="Employed by")
    started_on = forms.DateField(label="Start date", widget=DateInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["employing_partner"].queryset = Partner.objects.restrict(user, "manage_workforce")  # type: ignore[attr-defined]

    def clean_staff_number(self) -> str:
        return self.cleaned_data["staff_number"].strip().upper()


class AssignmentForm(GovukForm):
    submit_label = "Assign to the post"
    post = forms.ModelChoiceField(queryset=Post.objects.none(), help_text="Posts that exist now or existed.")
    fte = forms.DecimalField(label="FTE", max_digits=4, decimal_places=2)
    salary = forms.DecimalField(label="Full-time salary (£)", max_digits=12, decimal_places=2, required=False)
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["post"].queryset = Post.objects.restrict(user).select_related("service")  # type: ignore[attr-defined]


class ContractForm(GovukForm):
    submit_label = "Add contract period"
    contract_type = forms.ChoiceField(choices=ContractType.choices)
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(label="To", required=False, widget=DateInput())
    cost = forms.DecimalField(
        label="Cost for the period (£)",
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text="Agency and interim only: the total charged for these dates.",
    )
    supplier = forms.CharField(max_length=200, required=False, help_text="The agency, for agency staff.")


class TimeSplitForm(GovukForm):
    submit_label = "Set the time split"
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(label="To", required=False, widget=DateInput())
    partner_1 = forms.ModelChoiceField(queryset=Partner.objects.all(), label="First partner")
    percent_1 = forms.DecimalField(label="First partner's share (%)", max_digits=5, decimal_places=2)
    partner_2 = forms.ModelChoiceField(queryset=Partner.objects.all(), label="Second partner", required=False)
    percent_2 = forms.DecimalField(
        label="Second partner's share (%)", max_digits=5, decimal_places=2, required=False
    )
    partner_3 = forms.ModelChoiceField(queryset=Partner.objects.all(), label="Third partner", required=False)
    percent_3 = forms.DecimalField(
        label="Third partner's share (%)", max_digits=5, decimal_places=2, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shares: dict[Partner, Decimal] = {}
        for i in (1, 2, 3):
            partner, percent = data.get(f"partner_{i}"), data.get(f"percent_{i}")
            if partner is None and percent is None:
                continue
            if partner is None:
                self.add_error(f"partner_{i}", "Choose the partner for this share.")
            elif percent is None:
                self.add_error(f"percent_{i}", "Enter this partner's share.")
            elif partner in shares:
                self.add_error(f"partner_{i}", "Each partner may appear only once.")
            else:
                shares[partner] = percent
        data["shares"] = shares
        return data


class LeaverForm(GovukForm):
    submit_label = "Record leaver"
    left_on = forms.DateField(label="Last day of employment", widget=DateInput())
    leaving_reason = forms.ChoiceField(choices=[c for c in LeavingReason.choices if c[0]])


class SicknessForm(GovukForm):
    submit_label = "Record absence"
    starts_on = forms.DateField(label="First day", widget=DateInput())
    ends_on = forms.DateField(label="Last day", required=False, widget=DateInput())
    working_days_lost = forms.DecimalField(
        max_digits=6,
        decimal_places=1,
        label="Working days lost",
        error_messages={
            "required": "Enter the number of working days lost",
            "invalid": "Enter the number of working days lost as a number, like 2 or 0.5",
        },
    )
    reason = forms.ChoiceField(choices=SicknessReason.choices, label="Reason category")


class SecondmentForm(GovukForm):
    submit_label = "Add secondment"
    to_partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(),
        label="Seconded to",
        help_text="Whom the person works for meanwhile; their employer does not change.",
    )
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(label="To", required=False, widget=DateInput())
    note = forms.CharField(max_length=300, required=False)


class FurloughForm(GovukForm):
    submit_label = "Add furlough period"
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(label="To", required=False, widget=DateInput())
    note = forms.CharField(max_length=300, required=False)


class RiskAssessmentForm(GovukForm):
    submit_label = "Add risk assessment"
    kind = forms.ChoiceField(choices=RiskAssessmentKind.choices, label="Kind of assessment")
    assessed_on = forms.DateField(label="Date assessed", widget=DateInput())
    review_on = forms.DateField(label="Review by", required=False, widget=DateInput())
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="The findings and the adjustments agreed."
    )


class DashboardForm(GovukForm):
    """The dashboard's filters (a GET form)."""

    date = forms.DateField(label="On", widget=DateInput(), required=False)
    start = forms.DateField(label="Period from", widget=DateInput(), required=False)
    end = forms.DateField(label="Period to", widget=DateInput(), required=False)
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="All partners",
        help_text="People employed by or working for it.",
    )
    area = forms.ModelChoiceField(
        queryset=ServiceArea.objects.all(), to_field_name="code", required=False, empty_label="All areas"
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.all(), to_field_name="code", required=False, empty_label="All services"
    )
    contract_type = forms.ChoiceField(
        choices=[("", "All contract types"), *ContractType.choices], required=False
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.inputs = []
        if user is not None:
            self.fields["partner"].queryset = Partner.objects.restrict(user)  # type: ignore[attr-defined]
            self.fields["service"].queryset = Service.objects.restrict(user)  # type: ignore[attr-defined]
