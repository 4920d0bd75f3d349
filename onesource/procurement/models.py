"""Procurement: suppliers, the contract register shared by the partners, and each partner's spend.

Suppliers are the partnership's common register: every partner that pays a supplier sees it, so
that the same supplier paid by two councils can be found (joint procurement). A contract is held
by a lead council and used by one or more partners, each with a percentage of its value
(`ContractShare`); a partner sees the contracts it leads or uses. Payments (spend lines) belong to
the one partner that made them and are loaded in bulk by a spend import (`SpendImport`); rows of a
file that could not be read are kept as `QuarantinedRow`s, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from onesource.core.models import Partner, User
from onesource.core.roles import Capability
from onesource.core.scoping import ScopedQuerySet, scope_for

MONEY_DIGITS, MONEY_PLACES = 14, 2
ZERO = Decimal("0")


class Supplier(models.Model):
    """An organisation (or person) the partners pay; one record however each council spells its name."""

    name = models.CharField(max_length=300)
    # The normaliser's key of the name (onesource.procurement.normalise): matching and suggestions use it.
    key = models.CharField(max_length=300, db_index=True, editable=False)
    companies_house_number = models.CharField(
        "Companies House number",
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$", "Enter 8 characters, like 01234567.")],
    )
    charity_number = models.CharField(
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{6,8}$", "Enter the 6 to 8 digits of the charity number.")],
    )
    vat_number = models.CharField(
        "VAT number",
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^(GB)?[0-9]{9}([0-9]{3})?$", "Enter 9 digits, like GB123456789.")],
    )
    is_sme = models.BooleanField("SME", default=False, help_text="A small or medium-sized enterprise.")
    is_vcse = models.BooleanField(
        "VCSE", default=False, help_text="A voluntary, community or social enterprise."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplier-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q()  # the partnership's common register: anyone who may see some partner sees it

    @property
    def registration(self) -> str:
        """The supplier's registration as the Transparency Code asks for it."""
        if self.companies_house_number:
            return f"Companies House {self.companies_house_number}"
        if self.charity_number:
            return f"Charity {self.charity_number}"
        return ""


class SupplierAlias(models.Model):
    """Another spelling of a supplier's name: a spend line under it is the supplier's."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300, db_index=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "supplier aliases"
        constraints = [models.UniqueConstraint(fields=["supplier", "name"], name="one_alias_per_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.supplier.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q()


class SupplierDistinction(models.Model):
    """Two suppliers a person has said are different: the normaliser stops suggesting them."""

    first = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="one_distinction_per_pair")]

    def __str__(self) -> str:
        return f"{self.first} is not {self.second}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:supplier-matches")

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q()


class Procedure(models.TextChoices):
    """The Procurement Act 2023's procedures (and contracts below the threshold)."""

    OPEN = "open", "Open procedure"
    COMPETITIVE_FLEXIBLE = "competitive_flexible", "Competitive flexible procedure"
    DIRECT_AWARD = "direct_award", "Direct award"
    FRAMEWORK_CALL_OFF = "framework_call_off", "Call-off from a framework"
    BELOW_THRESHOLD = "below_threshold", "Below threshold"


class ContractStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    TENDER = "tender", "Out to tender"
    AWARDED = "awarded", "Awarded"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    TERMINATED = "terminated", "Terminated early"


CPV_CODE = RegexValidator(r"^[0-9]{8}(-[0-9])?$", "Enter CPV codes like 72000000-5, separated by commas.")


def validate_cpv_codes(value: str) -> None:
    for code in filter(None, (c.strip() for c in value.split(","))):
        CPV_CODE(code)


class Contract(models.Model):
    """A contract in the register: held by a lead council, used by the partners in its shares."""

    reference = models.CharField(
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", "Use letters, numbers, full stops, _ and -.")
        ],
        help_text="The register's reference, like NEW-2024-017.",
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="led_contracts",
        help_text="The council that holds the contract.",
    )
    supplier = models.ForeignKey(
        Supplier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text="Blank until the contract is awarded.",
    )
    department = models.CharField(max_length=200, blank=True, help_text="The service responsible for it.")
    category = models.CharField(
        max_length=200,
        blank=True,
        help_text="The ProClass category, like Information Communication Technology.",
    )
    cpv_codes = models.CharField(
        "CPV codes", max_length=300, blank=True, validators=[validate_cpv_codes], help_text="Like 72000000-5."
    )
    owner = models.CharField(max_length=200, blank=True, help_text="The officer who manages the contract.")
    value = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        validators=[MinValueValidator(ZERO)],
        help_text="The whole contract's value over its life, without VAT.",
    )
    vat = models.DecimalField(
        "VAT",
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text="The VAT on that value that cannot be recovered, if any.",
    )
    procedure = models.CharField(max_length=30, choices=Procedure.choices)
    status = models.CharField(max_length=20, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    signed_on = models.DateField(null=True, blank=True, help_text="The day the contract was entered into.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    review_on = models.DateField(null=True, blank=True)
    extension_ends_on = models.DateField(
        null=True, blank=True, help_text="The latest end date if every extension is taken."
    )
    notice_months = models.PositiveSmallIntegerField(
        default=6, help_text="Months before the end by which to decide whether to extend or re-procure."
    )
    tender_closes_on = models.DateField(
        null=True, blank=True, help_text="For an invitation to tender: the closing date for bids."
    )
    kpi_count = models.PositiveSmallIntegerField(
        "KPIs set", default=0, help_text="Key performance indicators published (3 needed over £5 million)."
    )
    details_notice_on = models.DateField("Contract details notice published", null=True, blank=True)
    termination_notice_on = models.DateField("Termination notice published", null=True, blank=True)
    ocid = models.CharField(
        "OCDS identifier",
        max_length=100,
        blank=True,
        help_text="The contracting process's OCDS identifier, when it came from or went to OCDS.",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["ends_on", "reference"]
        indexes = [
            models.Index(fields=["lead_partner", "ends_on"]),
            models.Index(fields=["supplier", "ends_on"]),
            models.Index(fields=["status", "ends_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(extension_ends_on__isnull=True) | Q(extension_ends_on__gte=models.F("ends_on")),
                name="contract_extension_after_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:contract-detail", args=[self.reference])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        ids = list(partner_ids)
        used = ContractShare.objects.filter(contract=OuterRef("pk"), partner_id__in=ids)
        return Q(lead_partner_id__in=ids) | Q(Exists(used))

    @property
    def value_with_vat(self) -> Decimal:
        return self.value + self.vat

    @property
    def cpv_list(self) -> list[str]:
        return [c.strip() for c in self.cpv_codes.split(",") if c.strip()]

    @property
    def is_joint(self) -> bool:
        return len({s.partner_id for s in self.shares.all()}) > 1

    @classmethod
    def managed_by(cls, user: Any) -> ScopedQuerySet:
        """The contracts the user may change: those led by a council whose procurement they manage.

        A partner that only uses a contract sees it but does not change it: the lead council does."""
        partners = scope_for(user).partners_with(Capability.MANAGE_PROCUREMENT)
        contracts = cls.objects.restrict(user, Capability.MANAGE_PROCUREMENT)
        return contracts if partners is None else contracts.filter(lead_partner_id__in=partners)

    def notice_on(self) -> dt.date:
        """The day by which to decide on extending or re-procuring: `notice_months` before the end."""
        from onesource.procurement.register import months_before

        return months_before(self.ends_on, self.notice_months)


class ContractShare(models.Model):
    """One partner's use of a contract, as a percentage of its value."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="contract_shares")
    percent = models.DecimalField(max_digits=6, decimal_places=3, validators=[MinValueValidator(ZERO)])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "partner"], name="one_share_per_contract_partner")
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} {self.partner.code} {self.percent.normalize():f}%"

    def get_absolute_url(self) -> str:
        return self.contract.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        visible = Contract.objects.filter(Contract.scope_q(partner_ids)).values("pk")
        return Q(contract_id__in=visible)


class ContractChange(models.Model):
    """A modification of a contract; above the threshold a change notice is due before it takes effect."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    effective_on = models.DateField()
    description = models.CharField(max_length=500)
    value_change = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=ZERO,
        help_text="Plus or minus, without VAT.",
    )
    notice_published_on = models.DateField("Change notice published", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "effective_on"]

    def __str__(self) -> str:
        return f"{self.contract.reference} change from {self.effective_on.isoformat()}"

    def get_absolute_url(self) -> str:
        return self.contract.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        visible = Contract.objects.filter(Contract.scope_q(partner_ids)).values("pk")
        return Q(contract_id__in=visible)


# Spend


class SpendImport(models.Model):
    """One spend file loaded for one partner: what it held, its total and the rows that could not be read."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="spend_imports")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, editable=False)
    imported_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    mapping = models.JSONField(default=dict, help_text="Our field to the file's heading.")
    payments = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=MONEY_DIGITS + 2, decimal_places=MONEY_PLACES, default=ZERO)
    footer_total = models.DecimalField(
        max_digits=MONEY_DIGITS + 2,
        decimal_places=MONEY_PLACES,
        null=True,
        blank=True,
        help_text="The total the file states in its last row, if it has one.",
    )
    first_paid_on = models.DateField(null=True, blank=True)
    last_paid_on = models.DateField(null=True, blank=True)
    problems = models.JSONField(default=list, help_text="Each problem's row and message.")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "sha256"], name="one_import_per_partner_file")
        ]

    def __str__(self) -> str:
        return f"{self.filename} for {self.partner.code}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:spend-import-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))


class Payment(models.Model):
    """One spend line: a payment a partner made (a credit is negative)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="payments")
    spend_import = models.ForeignKey(
        SpendImport, null=True, blank=True, on_delete=models.CASCADE, related_name="lines"
    )
    row_number = models.PositiveIntegerField(default=0, help_text="The row in the file it came from.")
    paid_on = models.DateField()
    amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    irrecoverable_vat = models.DecimalField(
        "Irrecoverable VAT", max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=ZERO
    )
    beneficiary = models.CharField(max_length=300, help_text="The name as the council's file gives it.")
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    department = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    expense_type = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=200, blank=True, help_text="ProClass category.")
    merchant_category = models.CharField(max_length=200, blank=True)
    transaction_number = models.CharField(max_length=60, blank=True)
    invoice_number = models.CharField(max_length=60, blank=True)
    invoice_received_on = models.DateField(null=True, blank=True)
    is_card = models.BooleanField("Procurement card", default=False)
    # Redacted in the file, or a private individual: never published by name.
    is_personal = models.BooleanField(default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "pk"]
        indexes = [
            models.Index(fields=["partner", "paid_on"]),
            models.Index(fields=["supplier", "partner", "paid_on"]),
            models.Index(fields=["partner", "category"]),
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} £{self.amount:,.2f} on {self.paid_on.isoformat()}"

    def get_absolute_url(self) -> str:
        if self.spend_import_id:
            return reverse("procurement:spend-import-detail", args=[self.spend_import_id])
        return reverse("procurement:spend-import-list")

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))


class QuarantinedRow(models.Model):
    """A row of a spend file whose date or amount could not be read: kept as it was, for a person to fix."""

    spend_import = models.ForeignKey(SpendImport, on_delete=models.CASCADE, related_name="quarantined")
    row_number = models.PositiveIntegerField()
    cells = models.JSONField(default=dict, help_text="The row's cells by heading, as the file had them.")
    message = models.CharField(max_length=500)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["spend_import", "row_number"]

    def __str__(self) -> str:
        return f"Row {self.row_number} of {self.spend_import.filename}"

    def get_absolute_url(self) -> str:
        return self.spend_import.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(spend_import__partner_id__in=list(partner_ids))


class OutstandingInvoice(models.Model):
    """An invoice received and not yet paid, from the ledger's list of unpaid invoices.

    Paid invoices are the spend lines with an invoice date; these are the rest, for the share of
    invoices unpaid that payment-times reporting (Procurement Act 2023, s69) asks for."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="outstanding_invoices")
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.CharField(max_length=60)
    received_on = models.DateField()
    amount = models.DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "pk"]
        indexes = [models.Index(fields=["partner", "received_on"])]
        constraints = [
            models.UniqueConstraint(fields=["partner", "number"], name="one_outstanding_invoice_per_number")
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:payment-times")

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))


class ExpenseTypeCategory(models.Model):
    """A council's own expense type mapped to a ProClass category, so councils' spend can be compared."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="expense_type_categories")
    expense_type = models.CharField(max_length=200)
    category = models.CharField(
        max_length=200, help_text="The ProClass category, like Facilities Management."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "expense_type"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "expense_type"], name="one_category_per_expense_type")
        ]

    def __str__(self) -> str:
        return f"{self.partner.code}: {self.expense_type} is {self.category}"

    def get_absolute_url(self) -> str:
        return reverse("procurement:joint")

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))
