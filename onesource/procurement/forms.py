"""Forms for the contract register and suppliers; the partners offered are those the user manages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from onesource.core.forms_base import DateInput, GovukForm
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.procurement.models import MONEY_DIGITS, MONEY_PLACES, ContractStatus, Procedure, Supplier


def money_field(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-10", "step": "0.01"}),
        **kwargs,
    )


def find_supplier(text: str) -> Supplier | None:
    """A supplier by its exact name, one of its aliases, or its Companies House number."""
    text = " ".join(text.split())
    if not text:
        return None
    return (
        Supplier.objects.filter(name__iexact=text).first()
        or Supplier.objects.filter(aliases__name__iexact=text).first()
        or Supplier.objects.filter(companies_house_number=text.upper()).first()
    )


class SupplierForm(GovukForm):
    name = forms.CharField(max_length=300)
    companies_house_number = forms.CharField(
        label="Companies House number", max_length=8, required=False, help_text="8 characters, like 01628868."
    )
    charity_number = forms.CharField(max_length=8, required=False)
    vat_number = forms.CharField(
        label="VAT number", max_length=14, required=False, help_text="Like GB391171065."
    )
    is_sme = forms.BooleanField(label="A small or medium-sized enterprise (SME)", required=False)
    is_vcse = forms.BooleanField(label="A voluntary, community or social enterprise (VCSE)", required=False)


class AliasForm(GovukForm):
    submit_label = "Add the name"
    name = forms.CharField(
        max_length=300, label="Other name", help_text="As a council's spend file writes it."
    )


class ContractForm(GovukForm):
    reference = forms.CharField(max_length=60, help_text="The register's reference, like NEW-2025-017.")
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lead_partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        label="Lead council",
        help_text="The council that holds the contract.",
    )
    supplier = forms.CharField(
        max_length=300,
        required=False,
        help_text="The supplier's name as the register has it, or its Companies House number. "
        "Blank until the contract is awarded.",
    )
    department = forms.CharField(max_length=200, required=False)
    category = forms.CharField(max_length=200, required=False, help_text="The ProClass category.")
    cpv_codes = forms.CharField(
        label="CPV codes", max_length=300, required=False, help_text="Like 72000000-5."
    )
    owner = forms.CharField(max_length=200, required=False, help_text="The officer who manages the contract.")
    value = money_field("Value over the contract's life, without VAT (£)")
    vat = money_field("Irrecoverable VAT (£)", initial=Decimal("0"), required=False)
    procedure = forms.ChoiceField(choices=Procedure.choices)
    status = forms.ChoiceField(choices=ContractStatus.choices)
    starts_on = forms.DateField(label="Start date", widget=DateInput())
    ends_on = forms.DateField(label="End date", widget=DateInput())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead_partner"].queryset = Partner.objects.restrict(  # type: ignore[attr-defined]
            user, Capability.MANAGE_PROCUREMENT
        )

    def clean_supplier(self) -> Supplier | None:
        text = self.cleaned_data.get("supplier") or ""
        supplier = find_supplier(text)
        if text.strip() and supplier is None:
            raise ValidationError("There is no supplier of that name: add it to the suppliers first.")
        return supplier

    def clean_vat(self) -> Decimal:
        return self.cleaned_data.get("vat") or Decimal("0")


class ContractDatesForm(GovukForm):
    """When the contract was entered into, its review and notice dates, and the notices published."""

    submit_label = "Save the dates"
    signed_on = forms.DateField(label="Entered into on", required=False, widget=DateInput())
    review_on = forms.DateField(label="Review date", required=False, widget=DateInput())
    extension_ends_on = forms.DateField(
        label="Latest end with extensions", required=False, widget=DateInput()
    )
    notice_months = forms.IntegerField(
        label="Decision notice (months before the end)", min_value=0, max_value=60, initial=6
    )
    tender_closes_on = forms.DateField(label="Tender closing date", required=False, widget=DateInput())
    kpi_count = forms.IntegerField(label="KPIs published", min_value=0, max_value=100, initial=0)
    details_notice_on = forms.DateField(
        label="Contract details notice published on", required=False, widget=DateInput()
    )
    termination_notice_on = forms.DateField(
        label="Termination notice published on", required=False, widget=DateInput()
    )


DATES_FIELDS = [
    "signed_on",
    "review_on",
    "extension_ends_on",
    "notice_months",
    "tender_closes_on",
    "kpi_count",
    "details_notice_on",
    "termination_notice_on",
]


class SharesForm(GovukForm):
    """One percentage per partner; blank means none. They must add up to 100."""

    submit_label = "Save the shares"

    def __init__(self, *args: Any, partners: Any = (), **kwargs: Any):
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


class ContractChangeForm(GovukForm):
    submit_label = "Record the change"
    effective_on = forms.DateField(label="Takes effect on", widget=DateInput())
    description = forms.CharField(max_length=500)
    value_change = forms.DecimalField(
        label="Change in value, without VAT (£)",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        initial=Decimal("0"),
        help_text="Negative for a reduction.",
    )
    notice_published_on = forms.DateField(
        label="Change notice published on", required=False, widget=DateInput()
    )
