from django import forms

from onesource.core.csvio import MAX_CSV_BYTES, CsvFileError, decode_csv_bytes
from onesource.core.figures import figure_choices
from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import Partner, Service
from onesource.performance.models import AchievementKind, AwardOutcome, Direction, Frequency


class KpiForm(GovukForm):
    code = forms.SlugField(
        max_length=40, help_text="Lower case letters, numbers and hyphens; used in imports."
    )
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    unit = forms.CharField(max_length=40, help_text="Like %, days, days per FTE or £.")
    direction = forms.ChoiceField(choices=Direction.choices, label="Which way is better")
    frequency = forms.ChoiceField(choices=Frequency.choices)
    target = forms.DecimalField(max_digits=14, decimal_places=2)
    amber_tolerance = forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text=(
            "In the KPI's unit. Higher is better: amber from target minus this up to the target. "
            "Lower is better: amber above the target up to target plus this."
        ),
    )
    owner = forms.CharField(max_length=200, required=False)
    service = forms.ModelChoiceField(queryset=Service.objects.all(), required=False)
    source = forms.ChoiceField(
        label="Computed from",
        required=False,
        help_text=(
            "Choose a figure if the KPI is one the system already holds (such as working days lost per "
            "FTE): its results are then computed from that data and cannot be typed in."
        ),
    )
    is_active = forms.BooleanField(required=False, initial=True, label="In use")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", "Entered by hand"), *figure_choices()]  # type: ignore[attr-defined]


class ResultForm(GovukForm):
    submit_label = "Save result"
    period = forms.DateField(widget=DateInput(), help_text="Any day in the month, quarter or year measured.")
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(), required=False, help_text="Leave blank for the whole shared service."
    )
    value = forms.DecimalField(max_digits=14, decimal_places=2)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.restrict(user, "manage_performance")  # type: ignore[attr-defined]


class ImportForm(GovukForm):
    submit_label = "Check or import"
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: kpi, partner, period, value, note. Partner blank means the whole service.",
    )
    dry_run = forms.BooleanField(
        required=False, initial=True, label="Check only (dry run): show what would change, write nothing"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB: split it."
            )
        try:
            return decode_csv_bytes(upload.read())
        except CsvFileError as exc:
            raise forms.ValidationError(str(exc)) from None


class AchievementForm(GovukForm):
    kind = forms.ChoiceField(choices=AchievementKind.choices)
    title = forms.CharField(max_length=300)
    organisation = forms.CharField(
        max_length=200, required=False, help_text="The awarding body, accrediting body or customer."
    )
    achieved_on = forms.DateField(label="Date", widget=DateInput())
    outcome = forms.ChoiceField(
        choices=AwardOutcome.choices, required=False, help_text="For an award: shortlisted or won."
    )
    value = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, label="Value (£)", help_text="For new business."
    )
    service = forms.ModelChoiceField(queryset=Service.objects.all(), required=False)
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(), required=False, help_text="Blank for the whole shared service."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
