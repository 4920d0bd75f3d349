"""The savings tracker: a business case with its target per year, and the savings lines that deliver it.

A savings line belongs to one service; planned and delivered amounts are recorded per financial year
(`SavingsAmount`). What each partner gets of a line is worked out when asked (see `attribution.py`):
by the service's cost shares for that year when the costing app offers them, else by the line's
explicit percentages (`SavingsLineShare`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from onesource.core.models import Partner, Service
from onesource.core.periods import financial_year_label
from onesource.core.scoping import ScopedQuerySet

MONEY_DIGITS, MONEY_PLACES = 14, 2


def visible_services_q(partner_ids: Iterable[int], field: str = "service") -> Q:
    """Rows whose service the partners receive (or own): the same rule as core's Service scope."""
    services = Service.objects.filter(Service.scope_q(list(partner_ids))).values("pk")
    return Q(**{f"{field}_id__in": services})


class Lever(models.TextChoices):
    SENIOR_MANAGEMENT = "senior_management", "Senior management reduction"
    DEDUPLICATION = "deduplication", "Deduplication"
    PROCESS_EFFICIENCY = "process_efficiency", "Process efficiency"
    AGENCY_INTERIM = "agency_interim", "Agency and interim reduction"
    PROCUREMENT = "procurement", "Procurement"
    ASSET_RATIONALISATION = "asset_rationalisation", "Asset rationalisation"
    INCOME_GENERATION = "income_generation", "Income generation"
    OTHER = "other", "Other"


class SavingStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    AT_RISK = "at_risk", "At risk"
    DROPPED = "dropped", "Dropped"


class BusinessCase(models.Model):
    """The partnership's savings target, e.g. £40m over five years from 2014/15. Seen by every partner."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)
    first_year = models.PositiveSmallIntegerField(
        help_text="The financial year it starts in: 2014 means 2014/15."
    )
    years = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(1)])
    target = models.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, validators=[MinValueValidator(Decimal("0"))]
    )
    description = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["first_year", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("savings:case-detail", args=[self.code])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q()  # the partnership's own target: anyone who may see some partner sees it

    @property
    def year_range(self) -> range:
        return range(self.first_year, self.first_year + self.years)

    @property
    def period_label(self) -> str:
        last = self.first_year + self.years - 1
        return f"{financial_year_label(self.first_year)} to {financial_year_label(last)}"


class YearTarget(models.Model):
    """The part of a business case's target falling in one financial year."""

    business_case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="year_targets")
    year = models.PositiveSmallIntegerField(help_text="Financial year start: 2014 means 2014/15.")
    target = models.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, validators=[MinValueValidator(Decimal("0"))]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["business_case", "year"]
        constraints = [
            models.UniqueConstraint(fields=["business_case", "year"], name="one_target_per_case_year")
        ]

    def __str__(self) -> str:
        return f"{self.business_case} {self.year_label}"

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    def get_absolute_url(self) -> str:
        return self.business_case.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q()


class SavingsLine(models.Model):
    """One saving: a service's action under a lever, planned and delivered year by year."""

    business_case = models.ForeignKey(BusinessCase, on_delete=models.PROTECT, related_name="lines")
    reference = models.SlugField(max_length=40, unique=True, help_text="A short reference, like HR-01.")
    title = models.CharField(max_length=200)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="savings_lines")
    owner = models.CharField(max_length=200, blank=True, help_text="Who is accountable for delivering it.")
    lever = models.CharField(max_length=30, choices=Lever.choices)
    status = models.CharField(max_length=20, choices=SavingStatus.choices, default=SavingStatus.IDENTIFIED)
    description = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        indexes = [models.Index(fields=["business_case", "lever"]), models.Index(fields=["service"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("savings:line-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return visible_services_q(partner_ids)


class SavingsAmount(models.Model):
    """A line's planned and delivered saving in one financial year."""

    line = models.ForeignKey(SavingsLine, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(help_text="Financial year start: 2014 means 2014/15.")
    planned = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    delivered = models.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["line", "year"]
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="one_amount_per_line_year")]

    def __str__(self) -> str:
        return f"{self.line.reference} {financial_year_label(self.year)}"

    def get_absolute_url(self) -> str:
        return self.line.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return visible_services_q(partner_ids, "line__service")


class SavingsLineShare(models.Model):
    """An explicit percentage of a line for one partner, used when the service has no cost shares."""

    line = models.ForeignKey(SavingsLine, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="savings_shares")
    percent = models.DecimalField(
        max_digits=6, decimal_places=3, validators=[MinValueValidator(Decimal("0"))]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["line", "partner__name"]
        constraints = [models.UniqueConstraint(fields=["line", "partner"], name="one_share_per_line_partner")]

    def __str__(self) -> str:
        return f"{self.line.reference} {self.partner.code} {self.percent}%"

    def get_absolute_url(self) -> str:
        return self.line.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))
