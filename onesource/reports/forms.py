from django import forms

from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import Partner


class CommitteeReportForm(GovukForm):
    submit_label = "Show the report"
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        to_field_name="code",
        error_messages={"required": "Select the partner the report is for"},
    )
    start = forms.DateField(
        label="From",
        widget=DateInput(),
        error_messages={"required": "Enter the first day of the period", "invalid": "Enter a real date"},
    )
    end = forms.DateField(
        label="To",
        widget=DateInput(),
        error_messages={"required": "Enter the last day of the period", "invalid": "Enter a real date"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.restrict(user, "view_reports")  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be the same as or after the start date.")
        return data
