"""Budget and actual lines per service per period, shared or a partner's own (non-shared)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.urls import reverse

from onesource.core.models import Partner, Service
from onesource.core.scoping import ScopedQuerySet

from .common import MONTH_CHOICES, month_label, received_by_q, year_label


class LedgerLine(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="The financial year it starts in: 2017 means 2017/18.")
    month = models.PositiveSmallIntegerField(
        choices=MONTH_CHOICES,
        null=True,
        blank=True,
        help_text="Financial month (1 is April); blank for the year.",
    )
    owner_partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Blank for a shared line; the partner for a non-shared line (its variance stays with it).",
    )
    cost_centre = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the line came from, like an import."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-year", "service__name", "month", "pk"]
        indexes = [models.Index(fields=["year", "service"])]

    def __str__(self) -> str:
        return f"{self.service} {self.year_label} {self.month_label}: {self.amount}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def month_label(self) -> str:
        return month_label(self.month)

    @property
    def is_shared(self) -> bool:
        return self.owner_partner_id is None

    @property
    def sharing_label(self) -> str:
        return f"Non-shared ({self.owner_partner.code})" if self.owner_partner else "Shared"

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        ids = list(partner_ids)
        return Q(owner_partner_id__in=ids) | (Q(owner_partner__isnull=True) & received_by_q(ids))


class BudgetLine(LedgerLine):
    class Meta(LedgerLine.Meta):
        indexes = [models.Index(fields=["year", "service"], name="costing_budget_year_service")]

    def get_absolute_url(self) -> str:
        return reverse("costing:budget-detail", args=[self.pk])


class ActualLine(LedgerLine):
    class Meta(LedgerLine.Meta):
        indexes = [models.Index(fields=["year", "service"], name="costing_actual_year_service")]

    def get_absolute_url(self) -> str:
        return reverse("costing:actual-detail", args=[self.pk])
