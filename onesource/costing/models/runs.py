"""Recharge runs: each partner's share of every service's cost and variance for a period."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from onesource.core.models import Partner, Service
from onesource.core.scoping import ScopedQuerySet

from .agreements import Agreement, Basis, SupportMethod
from .common import MONTH_CHOICES, month_label, year_label


def money_field(**kwargs: Any) -> models.DecimalField:
    """Pounds and pence, zero until computed."""
    return models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0.00"), **kwargs)


class RunStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded by a later version"


class RechargeRun(models.Model):
    """One computation of the recharges for a financial year (optionally to a month).

    A draft until a finance officer approves it; approved runs never change. A correction is a new
    version of the same year and kind, recording what changed against the version it corrects."""

    year = models.PositiveSmallIntegerField()
    up_to_month = models.PositiveSmallIntegerField(
        choices=MONTH_CHOICES, null=True, blank=True, help_text="Blank for the whole year."
    )
    is_estimate = models.BooleanField(default=False)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=RunStatus.choices, default=RunStatus.DRAFT, db_index=True
    )
    support_method = models.CharField(
        max_length=20,
        choices=SupportMethod.choices,
        blank=True,
        help_text="Blank: the method the support services' agreements name.",
    )
    method_used = models.CharField(max_length=20, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    estimate = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="true_ups",
        help_text="The approved estimate this final run trues up.",
    )
    total_cost = money_field()
    check_in = money_field(help_text="What went in: every budget and actual line counted.")
    check_out = money_field(help_text="What came out: the sum of every partner's charges.")
    changes = models.JSONField(
        default=list, blank=True, help_text="What changed against the previous version."
    )
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "up_to_month", "is_estimate", "version"], name="recharge_run_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.period_label} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Belt and braces beside the actions: a run that is no longer a draft is never written again.
        if self.pk and RechargeRun.objects.filter(pk=self.pk).exclude(status=RunStatus.DRAFT).exists():
            raise ValidationError(f"{self} is approved and cannot change: start a new version.")
        super().save(*args, **kwargs)

    @property
    def kind_label(self) -> str:
        return "Estimate" if self.is_estimate else "Recharge"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def method_used_label(self) -> str:
        """The support method as people read it ("Step-down"), not its stored code."""
        if self.method_used in SupportMethod.values:
            return str(SupportMethod(self.method_used).label)
        return self.method_used

    @property
    def period_label(self) -> str:
        if self.up_to_month:
            return f"{self.year_label} to {month_label(self.up_to_month)}"
        return self.year_label

    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DRAFT

    @property
    def shown_share_amount(self) -> Decimal | None:
        """The viewer's own share, when the run list annotated it (`shown_share`), in pounds and pence."""
        share = getattr(self, "shown_share", None)
        return None if share is None else Decimal(share).quantize(Decimal("0.01"))

    @property
    def built_by_name(self) -> str:
        return (self.created_by.get_full_name() or self.created_by.username) if self.created_by else "System"

    @property
    def approved_on(self) -> str:
        return date_format(timezone.localtime(self.approved_at), "j F Y") if self.approved_at else "Not yet"

    @property
    def reconciles(self) -> bool:
        return self.check_in == self.check_out

    def get_absolute_url(self) -> str:
        return reverse("costing:run-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        ids = list(partner_ids)
        return Q(Exists(RechargeCharge.objects.filter(run=OuterRef("pk"), partner_id__in=ids)))


class RechargeServiceCost(models.Model):
    """A service's cost in a run: its own lines, what support services passed to it, its variance."""

    run = models.ForeignKey(RechargeRun, on_delete=models.CASCADE, related_name="service_costs")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, null=True, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=20, choices=Basis.choices)
    is_support = models.BooleanField(default=False)
    budget_direct = money_field()
    actual_direct = money_field()
    budget_support = money_field(help_text="Support services' budgets allocated to it.")
    actual_support = money_field(help_text="Support services' actuals allocated to it.")
    budget_total = money_field()
    actual_total = money_field()
    variance = money_field(help_text="Shared actual minus shared budget (negative: underspend).")
    nonshared_budget = money_field()
    nonshared_actual = money_field()
    driver_total = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    driver_unit = models.CharField(max_length=40, blank=True)
    support_from = models.JSONField(default=dict, blank=True, help_text="{support service: {budget, actual}}")

    class Meta:
        ordering = ["run", "service__area__name", "service__name"]
        constraints = [models.UniqueConstraint(fields=["run", "service"], name="recharge_service_once")]

    def __str__(self) -> str:
        return f"{self.service} in {self.run}"


class RechargeCharge(models.Model):
    """One partner's share of one service in a run."""

    run = models.ForeignKey(RechargeRun, on_delete=models.CASCADE, related_name="charges")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    basis = models.CharField(max_length=20, choices=Basis.choices)
    percent = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True, help_text="The formula's percentage."
    )
    driver_quantity = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days of membership in the period."
    )
    period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    computed_fraction = models.DecimalField(
        max_digits=13, decimal_places=10, help_text="The share this run's figures give."
    )
    estimate_fraction = models.DecimalField(max_digits=13, decimal_places=10, null=True, blank=True)
    fraction = models.DecimalField(max_digits=13, decimal_places=10, help_text="The share applied.")
    reset = models.BooleanField(
        null=True, help_text="For a true-up: whether the share moved beyond the tolerance and was re-set."
    )
    budget_share = money_field()
    variance_share = money_field()
    nonshared_budget = money_field()
    nonshared_variance = money_field()
    total = money_field()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["run", "partner__name", "service__area__name", "service__name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "partner", "service"], name="recharge_charge_once")
        ]
        indexes = [models.Index(fields=["partner", "run"])]

    def __str__(self) -> str:
        return f"{self.partner.code} {self.service} in {self.run}: {self.total}"

    @property
    def percent_applied(self) -> Decimal:
        return (self.fraction * 100).quantize(Decimal("0.01"))

    def get_absolute_url(self) -> str:
        return reverse("costing:statement", args=[self.run_id, self.partner.code])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))


class SignOffDecision(models.TextChoices):
    WAITING = "waiting", "Waiting for sign-off"
    SIGNED = "signed", "Signed off"
    REJECTED = "rejected", "Rejected"


class RunSignOff(models.Model):
    """One member partner's sign-off of its own statement in a run, by its finance officer.

    Made for every member partner charged in the run when the run is built. The run is approved when
    every one is signed; a rejection blocks it until a new version is built (which gets new sign-offs)."""

    run = models.ForeignKey(RechargeRun, on_delete=models.CASCADE, related_name="sign_offs")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        max_length=20, choices=SignOffDecision.choices, default=SignOffDecision.WAITING, db_index=True
    )
    comment = models.CharField(max_length=500, blank=True, help_text="The comment, or the reason rejected.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["run", "partner__name"]
        constraints = [models.UniqueConstraint(fields=["run", "partner"], name="recharge_sign_off_once")]

    def __str__(self) -> str:
        return f"{self.partner.name}'s sign-off of {self.run}"

    @property
    def is_waiting(self) -> bool:
        return self.decision == SignOffDecision.WAITING

    def get_absolute_url(self) -> str:
        return reverse("costing:statement", args=[self.run_id, self.partner.code])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))
