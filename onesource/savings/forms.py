from decimal import Decimal

from django import forms

from onesource.core.forms_base import GovukForm
from onesource.core.models import Partner, Service
from onesource.savings.models import MONEY_DIGITS, MONEY_PLACES, BusinessCase, Lever, SavingStatus

YEAR_HELP = "The year the financial year starts in: 2014 means 2014/15."


def money_field(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-10", "step": "0.01"}),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        **kwargs,
    )


class BusinessCaseForm(GovukForm):
    code = forms.SlugField(max_length=40, help_text="Lower case letters, numbers and hyphens, like bc-2014.")
    name = forms.CharField(max_length=200)
    first_year = forms.IntegerField(
        min_value=2000, max_value=2100, label="First financial year", help_text=YEAR_HELP
    )
    years = forms.IntegerField(min_value=1, max_value=20, label="Number of years", initial=5)
    target = money_field("Overall target (£)")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class YearTargetForm(GovukForm):
    submit_label = "Save the year's target"
    year = forms.IntegerField(min_value=2000, max_value=2100, label="Financial year", help_text=YEAR_HELP)
    target = money_field("Target for the year (£)")


class SavingsLineForm(GovukForm):
    business_case = forms.ModelChoiceField(queryset=BusinessCase.objects.all(), label="Business case")
    reference = forms.SlugField(max_length=40, help_text="A short reference, like hr-01.")
    title = forms.CharField(max_length=200)
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    owner = forms.CharField(max_length=200, required=False, help_text="Who is accountable for delivering it.")
    lever = forms.ChoiceField(choices=Lever.choices)
    status = forms.ChoiceField(choices=SavingStatus.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.restrict(user, "manage_performance")  # type: ignore[attr-defined]


class SavingsAmountForm(GovukForm):
    submit_label = "Save the amounts"
    year = forms.IntegerField(min_value=2000, max_value=2100, label="Financial year", help_text=YEAR_HELP)
    planned = money_field("Planned saving (£)")
    delivered = money_field("Delivered saving (£)", initial=Decimal("0"))


class SavingsSharesForm(GovukForm):
    """One percentage per partner; blank means none. Used only when the service has no cost shares."""

    submit_label = "Save the percentages"

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partners: list[Partner] = list(partners)
        for partner in self.partners:
            self.fields[f"partner_{partner.code}"] = forms.DecimalField(
                label=f"{partner.name} (%)",
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                max_digits=6,
                decimal_places=3,
                widget=forms.NumberInput(
                    attrs={"class": "govuk-input govuk-input--width-5", "step": "0.001"}
                ),
            )

    def percentages(self) -> dict[Partner, Decimal]:
        return {
            partner: self.cleaned_data[f"partner_{partner.code}"]
            for partner in self.partners
            if self.cleaned_data.get(f"partner_{partner.code}") is not None
        }
