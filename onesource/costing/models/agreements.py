"""Agreements: how each service's cost is split between partners in a financial year."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from onesource.core.models import Partner, Service
from onesource.core.scoping import ScopedQuerySet

from .common import received_by_q, year_label


class Basis(models.TextChoices):
    FORMULA = "formula", "Distribution formula"
    HEADCOUNT = "headcount", "Headcount served"
    TIME_ALLOCATION = "time_allocation", "Time allocation"
    CASELOAD = "caseload", "Caseload counts"
    TIME_RECORDED = "time_recorded", "Time recorded"
    TRANSACTIONS = "transactions", "Transactions"


class SupportMethod(models.TextChoices):
    DIRECT = "direct", "Direct"
    STEP_DOWN = "step_down", "Step-down"
    RECIPROCAL = "reciprocal", "Reciprocal"


class Agreement(models.Model):
    """The agreed split of one service's cost for one financial year."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cost_agreements")
    year = models.PositiveSmallIntegerField(help_text="The financial year it starts in: 2017 means 2017/18.")
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.FORMULA)
    pro_rata = models.BooleanField(
        default=True,
        help_text="A partner that joins or leaves in the year pays for its days of membership only.",
    )
    tolerance_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="A final run re-sets a partner's estimated share only when it moves by more than this.",
    )
    is_support = models.BooleanField(
        default=False,
        help_text="A support service (the shared service's own ICT, HR, finance): its cost is first "
        "allocated to the front-line services.",
    )
    support_method = models.CharField(
        max_length=20, choices=SupportMethod.choices, default=SupportMethod.RECIPROCAL, blank=True
    )
    support_order = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Position in the step-down order (1 closes first)."
    )
    note = models.CharField(max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "year"], name="agreement_one_per_service_year")
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.year_label}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    def get_absolute_url(self) -> str:
        return reverse("costing:agreement-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return received_by_q(partner_ids)


class AgreementShare(models.Model):
    """A partner's percentage under a distribution formula."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="cost_shares")
    percent = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "-percent", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "partner"], name="agreement_share_one_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.partner.code} {self.percent}%"

    def get_absolute_url(self) -> str:
        return self.agreement.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return received_by_q(partner_ids, "agreement__service")
