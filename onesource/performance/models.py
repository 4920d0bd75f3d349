"""The performance framework: KPI definitions, their results per period, RAG, and the achievements log.

RAG rule (documented in the README): the amber tolerance is an absolute amount in the KPI's own unit.
- Higher is better: green if value >= target; amber if value >= target - tolerance; red otherwise.
- Lower is better: green if value <= target; amber if value <= target + tolerance; red otherwise.
Both edges belong to the better colour: a value exactly on the target is green, exactly on the
amber edge is amber. A tolerance of zero means a result is either green or red.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from onesource.core.figures import FIGURES, NamedFigure
from onesource.core.models import Partner, Service
from onesource.core.periods import financial_year_label, financial_year_of
from onesource.core.scoping import ScopedQuerySet


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual (financial year)"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


def rag_for(value: Decimal, *, target: Decimal, tolerance: Decimal, direction: str) -> Rag:
    """Green, amber or red for one value; see the module docstring for the edges."""
    if direction == Direction.HIGHER:
        if value >= target:
            return Rag.GREEN
        return Rag.AMBER if value >= target - tolerance else Rag.RED
    if value <= target:
        return Rag.GREEN
    return Rag.AMBER if value <= target + tolerance else Rag.RED


PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}


def period_start_for(day: dt.date, frequency: str) -> dt.date:
    """The first day of the period holding `day`: its month, its financial quarter or its financial year."""
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    if frequency == Frequency.QUARTERLY:
        # Financial quarters (April, July, October, January) fall on calendar quarter boundaries.
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(financial_year_of(day), 4, 1)


def period_label(start: dt.date, frequency: str) -> str:
    if frequency == Frequency.MONTHLY:
        return start.strftime("%b %Y")
    if frequency == Frequency.QUARTERLY:
        quarter = ((start.month - 4) % 12) // 3 + 1
        return f"Q{quarter} {financial_year_label(financial_year_of(start))}"
    return financial_year_label(start.year)


def _months_after(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after day's month (day is the first of a month)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class Kpi(models.Model):
    """A key performance indicator of the shared service. Definitions are visible to every partner."""

    code = models.SlugField(
        max_length=40, unique=True, help_text="A short name used in imports, like invoices-30-days."
    )
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=40, help_text="Like %, days, days per FTE or £.")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    amber_tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="How far past the target, in the KPI's unit, a result is still amber rather than red.",
    )
    owner = models.CharField(max_length=200, blank=True, help_text="Who answers for this KPI.")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="kpis")
    source = models.CharField(
        "Computed from",
        max_length=40,
        blank=True,
        help_text=(
            "A named figure (such as working days lost per FTE) that computes this KPI's results from "
            "the data that holds it; blank for results entered by hand."
        ),
    )
    is_active = models.BooleanField(default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("performance:kpi-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        # A definition belongs to the shared service, not to a partner: anyone who may view sees it.
        return Q()

    def rag(self, value: Decimal) -> Rag:
        return rag_for(value, target=self.target, tolerance=self.amber_tolerance, direction=self.direction)

    def clean(self) -> None:
        if self.source and self.source not in FIGURES:
            raise ValidationError(
                {"source": "Select a figure from the list, or none for results entered by hand"}
            )

    @property
    def is_computed(self) -> bool:
        return bool(self.source)

    @property
    def source_figure(self) -> NamedFigure | None:
        return FIGURES.get(self.source) if self.source else None

    def measured_window(self, period_start: dt.date) -> tuple[dt.date, dt.date]:
        """The days a computed result covers: the twelve months ending on the period's last day
        (a rolling year, so monthly and quarterly results compare with a yearly target)."""
        last = _months_after(period_start, PERIOD_MONTHS[self.frequency]) - dt.timedelta(days=1)
        return _months_after(last + dt.timedelta(days=1), -12), last

    @property
    def amber_edge(self) -> Decimal:
        if self.direction == Direction.HIGHER:
            return self.target - self.amber_tolerance
        return self.target + self.amber_tolerance


class KpiResult(models.Model):
    """A KPI's value for one period, for one partner or (partner blank) for the whole service."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="results")
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kpi_results",
        help_text="Blank for a result of the whole shared service.",
    )
    period_start = models.DateField(help_text="The first day of the month, quarter or year measured.")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kpi__name", "-period_start", "partner__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "partner", "period_start"],
                condition=Q(partner__isnull=False),
                name="kpi_result_unique_per_partner_period",
            ),
            models.UniqueConstraint(
                fields=["kpi", "period_start"],
                condition=Q(partner__isnull=True),
                name="kpi_result_unique_service_period",
            ),
        ]
        indexes = [models.Index(fields=["partner", "period_start"])]

    def __str__(self) -> str:
        who = self.partner.code if self.partner_id and self.partner else "whole service"
        return f"{self.kpi} {self.period_label} ({who}): {self.value}"

    def get_absolute_url(self) -> str:
        return self.kpi.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        """A partner's own results, and the whole service's where the partner has none of its own for
        that KPI and period: its own result beside the whole service's would give the other partners'
        away by subtraction (docs/visibility.md, Performance)."""
        ids = list(partner_ids)
        own_result = KpiResult.objects.filter(
            kpi=OuterRef("kpi"), period_start=OuterRef("period_start"), partner_id__in=ids
        )
        return Q(partner_id__in=ids) | (Q(partner__isnull=True) & ~Q(Exists(own_result)))

    @property
    def period_label(self) -> str:
        return period_label(self.period_start, self.kpi.frequency)

    @property
    def rag(self) -> Rag:
        return self.kpi.rag(self.value)


class AchievementKind(models.TextChoices):
    AWARD = "award", "Award"
    ACCREDITATION = "accreditation", "Accreditation"
    NEW_BUSINESS = "new_business", "New business won"


class AwardOutcome(models.TextChoices):
    NONE = "", "Not an award"
    SHORTLISTED = "shortlisted", "Shortlisted"
    WON = "won", "Won"


class Achievement(models.Model):
    """An entry in the achievements log: an award (shortlisted or won), an accreditation, new business."""

    kind = models.CharField(max_length=20, choices=AchievementKind.choices)
    title = models.CharField(max_length=300)
    organisation = models.CharField(
        max_length=200, blank=True, help_text="The awarding body, accrediting body or customer."
    )
    achieved_on = models.DateField("Date")
    outcome = models.CharField(
        max_length=20,
        choices=AwardOutcome.choices,
        blank=True,
        default="",
        help_text="For an award: shortlisted only, or won.",
    )
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For new business: the contract's value in pounds.",
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="achievements"
    )
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="achievements",
        help_text="The partner it concerns; blank for the whole shared service.",
    )
    description = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-achieved_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("performance:achievement-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids)) | Q(partner__isnull=True)
