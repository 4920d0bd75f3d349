"""Driver quantities the costing app holds itself: caseload and transaction counts, time recorded,
and how much each support service is used by the others."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from onesource.core.models import Partner, Service
from onesource.core.scoping import ScopedQuerySet

from .common import MONTH_CHOICES, month_label, received_by_q, year_label


class DriverKind(models.TextChoices):
    CASELOAD = "caseload", "Caseload count"
    TRANSACTIONS = "transactions", "Transactions"


class DriverQuantity(models.Model):
    """A count per partner per service per period: benefit claims, planning applications, invoices…"""

    kind = models.CharField(max_length=20, choices=DriverKind.choices, default=DriverKind.CASELOAD)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(choices=MONTH_CHOICES, null=True, blank=True)
    measure = models.CharField(
        max_length=100, blank=True, help_text="What was counted, like 'benefit claims'."
    )
    quantity = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    source = models.CharField(max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "service__name", "partner__code", "month"]
        verbose_name_plural = "driver quantities"
        indexes = [models.Index(fields=["kind", "service", "year"])]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.service} {self.partner.code} {self.year_label}: {self.quantity}"
        )

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def month_label(self) -> str:
        return month_label(self.month)

    def get_absolute_url(self) -> str:
        return reverse("costing:quantity-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))


class TimeEntry(models.Model):
    """Hours a person recorded against a service for a partner on a day (audit, legal…).

    Held in bulk (millions of rows): aggregated in SQL, indexed (with the hours) for the service-and-date
    range the recharge run asks for."""

    person = models.CharField(max_length=100, help_text="Staff number or name of whoever recorded it.")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name_plural = "time entries"
        # Covering: hours included, so a run's sums are read from the index alone, never the table.
        indexes = [
            models.Index(fields=["service", "date", "partner", "hours"], name="costing_time_service_hours")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date.isoformat()} {self.service} for {self.partner.code}: {self.hours}h"

    def get_absolute_url(self) -> str:
        return reverse("costing:time-list") + f"?service={self.service.code}&partner={self.partner.code}"

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))


class SupportUsage(models.Model):
    """How much of a support service another service used in a year (hours, tickets, headcount…)."""

    year = models.PositiveSmallIntegerField()
    support_service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    user_service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(max_length=40, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "support_service__name", "user_service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "support_service", "user_service"], name="support_usage_one_per_pair"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.support_service} used by {self.user_service} in {year_label(self.year)}: {self.quantity}"
        )

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    def get_absolute_url(self) -> str:
        return (
            reverse("costing:usage-list") + f"?year={self.year}&support_service={self.support_service.code}"
        )

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return received_by_q(partner_ids, "user_service")
