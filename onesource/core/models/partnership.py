"""The partnership: partners, their membership over time, services and who receives them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from onesource.core.periods import Period, active_on_q, financial_year_label, financial_year_of
from onesource.core.scoping import ScopedQuerySet


class PartnerKind(models.TextChoices):
    MEMBER = "member", "Member council"
    CUSTOMER = "customer", "External customer"


class Partner(models.Model):
    code = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "Enter 2 to 6 capital letters, like NEW or HAV.")],
        help_text="A short code of 2 to 6 capital letters, like NEW.",
    )
    name = models.CharField(max_length=200, unique=True)
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^[EWSN]\d{8}$", "Enter a GSS code like E09000025.")],
        help_text="The official ONS code, like E09000025.",
    )
    kind = models.CharField(max_length=20, choices=PartnerKind.choices, default=PartnerKind.MEMBER)
    is_founder = models.BooleanField(default=False, help_text="A founding member of the partnership.")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:partner-detail", args=[self.code])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(pk__in=partner_ids)

    def membership_on(self, day: dt.date) -> Membership | None:
        return next((m for m in self.memberships.all() if m.period.contains(day)), None)


class Membership(models.Model):
    """A period during which a partner belonged to the partnership (or bought from it, for customers)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True, help_text="Leave blank while the partner is still in.")
    note = models.CharField(max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            )
        ]

    def __str__(self) -> str:
        until = self.left_on.isoformat() if self.left_on else "now"
        return f"{self.partner.code} {self.joined_on.isoformat()} to {until}"

    @property
    def period(self) -> Period:
        return Period(self.joined_on, self.left_on)

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=partner_ids)

    def get_absolute_url(self) -> str:
        return self.partner.get_absolute_url()


class ServiceArea(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:service-list") + f"?area={self.code}"


class Sharing(models.TextChoices):
    SHARED = "shared", "Shared"
    PARTNER_SPECIFIC = "partner_specific", "Partner-specific"


class Service(models.Model):
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)
    sharing = models.CharField(max_length=20, choices=Sharing.choices, default=Sharing.SHARED)
    owner_partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="own_services",
        help_text="For a partner-specific service: the partner whose service it is.",
    )
    lead_partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_services",
        help_text="The council that holds the service's contracts.",
    )
    head_of_service = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:service-detail", args=[self.code])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        ids = list(partner_ids)
        received = ServiceCoverage.objects.filter(service=OuterRef("pk"), partner_id__in=ids)
        return Q(Exists(received)) | Q(owner_partner_id__in=ids)


class EndReason(models.TextChoices):
    NONE = "", "Still running"
    PARTNER_LEFT = "partner_left", "Partner left the partnership"
    RETURNED = "returned", "Service returned to the partner"
    CONTRACT_ENDED = "contract_ended", "Contract ended"
    OTHER = "other", "Other"


class ServiceCoverage(models.Model):
    """A partner receives a service from `starts_on` to `ends_on` (open-ended when blank)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="coverage")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="coverage")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True, default="")
    note = models.CharField(max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["service__name", "partner__name", "starts_on"]
        verbose_name_plural = "service coverage"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="coverage_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["partner", "starts_on"]),
            models.Index(fields=["service", "starts_on"]),
        ]

    def __str__(self) -> str:
        until = self.ends_on.isoformat() if self.ends_on else "now"
        return f"{self.service} for {self.partner.code} from {self.starts_on.isoformat()} to {until}"

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    def get_absolute_url(self) -> str:
        return reverse("core:coverage-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=partner_ids)

    @staticmethod
    def active_q(day: dt.date) -> Q:
        return active_on_q(day, start_field="starts_on", end_field="ends_on")


class FinancialYear(models.Model):
    """A UK local-government financial year, 1 April to 31 March, named like 2014/15."""

    start_year = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["start_year"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return financial_year_label(self.start_year)

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    @staticmethod
    def start_year_for(day: dt.date) -> int:
        return financial_year_of(day)

    def get_absolute_url(self) -> str:
        return reverse("core:financial-year-list")
