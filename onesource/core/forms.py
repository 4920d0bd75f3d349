from django import forms
from django.core.validators import RegexValidator
from django.db import models

from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import Partner, Service, ServiceArea
from onesource.core.models.partnership import EndReason, PartnerKind, Sharing


def _model_validators(field_name: str) -> list:
    # The partner model's own format checks, so a form shows them with every other error at once.
    field = Partner._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    return [v for v in field.validators if isinstance(v, RegexValidator)]


class PartnerForm(GovukForm):
    code = forms.CharField(
        max_length=6, help_text="2 to 6 capital letters, like NEW.", validators=_model_validators("code")
    )
    name = forms.CharField(max_length=200)
    gss_code = forms.CharField(
        label="GSS code",
        max_length=9,
        help_text="The ONS code, like E09000025.",
        validators=_model_validators("gss_code"),
    )
    kind = forms.ChoiceField(choices=PartnerKind.choices)
    is_founder = forms.BooleanField(required=False, label="Founding member")


class MembershipForm(GovukForm):
    submit_label = "Add membership"
    joined_on = forms.DateField(label="Joined on", widget=DateInput())
    left_on = forms.DateField(
        label="Left on",
        required=False,
        widget=DateInput(),
        help_text="Leave blank while the partner is still in.",
    )
    note = forms.CharField(required=False, max_length=300)


class LeaveForm(GovukForm):
    submit_label = "Record that the partner leaves"
    left_on = forms.DateField(label="Last day in the partnership", widget=DateInput())
    end_coverage = forms.BooleanField(
        required=False, initial=True, label="End the services it still receives on the same day"
    )


class ServiceForm(GovukForm):
    area = forms.ModelChoiceField(queryset=ServiceArea.objects.all(), label="Service area")
    code = forms.SlugField(max_length=40, help_text="Lower case letters, numbers and hyphens, like legal.")
    name = forms.CharField(max_length=200)
    sharing = forms.ChoiceField(choices=Sharing.choices)
    owner_partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(),
        required=False,
        label="Owning partner",
        help_text="Only for a partner-specific service.",
    )
    lead_partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(), required=False, label="Lead council", help_text="Holds the contracts."
    )
    head_of_service = forms.CharField(max_length=200, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CoverageForm(GovukForm):
    service = forms.ModelChoiceField(queryset=Service.objects.all())
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), label="Partner receiving the service")
    starts_on = forms.DateField(label="From", widget=DateInput())
    ends_on = forms.DateField(
        label="To", required=False, widget=DateInput(), help_text="Leave blank if open-ended."
    )
    end_reason = forms.ChoiceField(choices=EndReason.choices, required=False)
    note = forms.CharField(required=False, max_length=300)


class CoverageReportForm(GovukForm):
    submit_label = "Start the report"
    first_year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        label="First financial year",
        help_text="The year it starts in: 2014 means 2014/15.",
    )
    last_year = forms.IntegerField(min_value=2000, max_value=2100, label="Last financial year")
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        help_text="Leave blank for every partner you can see.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.restrict(user, "run_jobs")  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("first_year") and data.get("last_year") and data["first_year"] > data["last_year"]:
            self.add_error("last_year", "The last year must be the same as or after the first year.")
        return data
