from django import forms

from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import Partner


class CommitteeReportForm(GovukForm):
    submit_label = "Show the report"
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), to_field_name="code")
    start = forms.DateField(label="From", widget=DateInput())
    end = forms.DateField(label="To", widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.restrict(user, "view_reports")  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be the same as or after the start date.")
        return data
