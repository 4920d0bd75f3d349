"""The workforce: the establishment (posts), the people, and their history over time.

Every person is employed by one partner and may work for several (a time split). Posts belong to
a service. Everything that changes over time is a period with `starts_on` and an optional
`ends_on` (blank while current); periods of the same kind for one person never overlap.

Sickness absences and risk assessments are special category health data: read them only through
`onesource.workforce.health`, which checks the capability for the employing partner and logs
every read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from onesource.core.models import Partner, Service, ServiceCoverage
from onesource.core.periods import Period, active_on_q
from onesource.core.roles import Capability
from onesource.core.scoping import ScopedQuerySet

FTE_VALIDATORS = [
    MinValueValidator(Decimal("0.01"), "FTE must be more than 0."),
    MaxValueValidator(Decimal("1.00"), "FTE cannot be more than 1.00."),
]


class PeriodMixin(models.Model):
    """A from/to period; `ends_on` blank means still current."""

    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Leave blank while it is current.")

    class Meta:
        abstract = True

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    @staticmethod
    def active_q(day: dt.date, prefix: str = "") -> Q:
        return active_on_q(day, start_field=f"{prefix}starts_on", end_field=f"{prefix}ends_on")

    def period_label(self) -> str:
        until = self.ends_on.isoformat() if self.ends_on else "now"
        return f"{self.starts_on.isoformat()} to {until}"


def _ends_after_starts(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name=name
    )


class Grade(models.TextChoices):
    SCALE_1 = "Scale 1", "Scale 1"
    SCALE_2 = "Scale 2", "Scale 2"
    SCALE_3 = "Scale 3", "Scale 3"
    SCALE_4 = "Scale 4", "Scale 4"
    SCALE_5 = "Scale 5", "Scale 5"
    SCALE_6 = "Scale 6", "Scale 6"
    SO1 = "SO1", "SO1"
    SO2 = "SO2", "SO2"
    PO1 = "PO1", "PO1"
    PO2 = "PO2", "PO2"
    PO3 = "PO3", "PO3"
    PO4 = "PO4", "PO4"
    PO5 = "PO5", "PO5"
    PO6 = "PO6", "PO6"
    PO7 = "PO7", "PO7"
    PO8 = "PO8", "PO8"
    SENIOR_1 = "Senior 1", "Senior manager 1"
    SENIOR_2 = "Senior 2", "Senior manager 2"
    SENIOR_3 = "Senior 3", "Senior manager 3"
    DIRECTOR = "Director", "Director"
    CHIEF = "Chief", "Managing director"


# Posts


class Post(PeriodMixin):
    """A post in the establishment: it exists from `starts_on` (created) to `ends_on` (deleted)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="posts")
    reference = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]{2,20}$", "Use capital letters, digits and dashes.")],
        help_text="The establishment reference, like P-00123.",
    )
    title = models.CharField(max_length=200)
    grade = models.CharField(max_length=20, choices=Grade.choices)
    fte = models.DecimalField("FTE", max_digits=4, decimal_places=2, validators=FTE_VALIDATORS)
    budgeted_annual_cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), "The cost cannot be negative.")],
        help_text="Salary plus on-costs for the post's FTE, per year.",
    )
    responsibilities = models.TextField(blank=True, help_text="What the post is responsible for.")
    is_senior_management = models.BooleanField("senior management", default=False)
    funded_by = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funded_posts",
        help_text="Leave blank for a post funded by the shared budget.",
    )
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["service__name", "title", "reference"]
        constraints = [_ends_after_starts("post_ends_after_start")]
        indexes = [
            models.Index(fields=["starts_on", "ends_on"]),
            models.Index(fields=["service", "starts_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    def get_absolute_url(self) -> str:
        return reverse("workforce:post-detail", args=[self.pk])

    @property
    def funding_label(self) -> str:
        return f"{self.funded_by.code} only" if self.funded_by_id and self.funded_by else "Shared"

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        """A partner sees posts it funds, and shared posts of services it receives (or received)."""
        ids = list(partner_ids)
        received = ServiceCoverage.objects.filter(service=OuterRef("service_id"), partner_id__in=ids)
        return Q(funded_by_id__in=ids) | (Q(funded_by__isnull=True) & Q(Exists(received)))


# People


class LeavingReason(models.TextChoices):
    NONE = "", "Not left"
    RESIGNATION = "resignation", "Resignation"
    RETIREMENT = "retirement", "Retirement"
    REDUNDANCY = "redundancy", "Redundancy"
    VOLUNTARY_REDUNDANCY = "voluntary_redundancy", "Voluntary redundancy"
    END_OF_CONTRACT = "end_of_contract", "End of contract or engagement"
    TRANSFER = "transfer", "Transferred to another employer"
    DISMISSAL = "dismissal", "Dismissal"
    DEATH = "death", "Death in service"
    OTHER = "other", "Other"


def employee_scope_q(partner_ids: Iterable[int], prefix: str = "") -> Q:
    """People employed by the partners, or who work (or worked) for them under a time split."""
    ids = list(partner_ids)
    served = TimeSplitShare.objects.filter(split__employee_id=OuterRef(f"{prefix}pk"), partner_id__in=ids)
    return Q(**{f"{prefix}employing_partner_id__in": ids}) | Q(Exists(served))


class Employee(models.Model):
    staff_number = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]{2,20}$", "Use capital letters, digits and dashes.")],
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, db_index=True)
    employing_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="employees",
        help_text="The council that holds the person's contract of employment.",
    )
    started_on = models.DateField("start date")
    left_on = models.DateField("leaving date", null=True, blank=True)
    leaving_reason = models.CharField(max_length=30, choices=LeavingReason.choices, blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "staff_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("started_on")),
                name="employee_left_after_started",
            )
        ]
        indexes = [
            models.Index(fields=["started_on", "left_on"]),
            models.Index(fields=["employing_partner", "started_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.staff_number})"

    def get_absolute_url(self) -> str:
        return reverse("workforce:employee-detail", args=[self.staff_number])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def employment(self) -> Period:
        return Period(self.started_on, self.left_on)

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return employee_scope_q(partner_ids)

    @staticmethod
    def employed_q(day: dt.date, prefix: str = "") -> Q:
        return active_on_q(day, start_field=f"{prefix}started_on", end_field=f"{prefix}left_on")


class EmployeeHistory(PeriodMixin):
    """A period in a person's history; scoped like the person."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return self.employee.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return employee_scope_q(partner_ids, prefix="employee__")


class Assignment(EmployeeHistory):
    """A person fills a post (or part of it) for a period."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="assignments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="assignments")
    fte = models.DecimalField("FTE", max_digits=4, decimal_places=2, validators=FTE_VALIDATORS)
    salary = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "The salary cannot be negative.")],
        help_text="Full-time-equivalent annual salary in this post.",
    )

    class Meta:
        ordering = ["employee", "starts_on"]
        constraints = [_ends_after_starts("assignment_ends_after_start")]
        indexes = [
            models.Index(fields=["starts_on", "ends_on"]),
            models.Index(fields=["post", "starts_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name} in {self.post.title}, {self.period_label()}"


class ContractType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed-term"
    AGENCY = "agency", "Agency"
    INTERIM = "interim", "Interim"
    SECONDEE = "secondee", "Secondee"
    CASUAL = "casual", "Casual"


COSTED_CONTRACT_TYPES = {ContractType.AGENCY, ContractType.INTERIM}


class ContractPeriod(EmployeeHistory):
    """The person's contract type for a period. Agency and interim periods carry their cost."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="contract_periods")
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "The cost cannot be negative.")],
        help_text="For agency and interim staff: the total charged for this period.",
    )
    supplier = models.CharField(max_length=200, blank=True, help_text="The agency, for agency staff.")

    class Meta:
        ordering = ["employee", "starts_on"]
        constraints = [_ends_after_starts("contract_period_ends_after_start")]
        indexes = [models.Index(fields=["contract_type", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.get_contract_type_display()}, {self.period_label()}"


class TimeSplit(EmployeeHistory):
    """How a person's time is split between the partners they work for, for a period."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="time_splits")

    class Meta:
        ordering = ["employee", "starts_on"]
        constraints = [_ends_after_starts("time_split_ends_after_start")]

    def __str__(self) -> str:
        shares = ", ".join(f"{s.partner.code} {s.percent.normalize():f}%" for s in self.shares.all())
        return f"{shares} ({self.period_label()})"


class TimeSplitShare(models.Model):
    split = models.ForeignKey(TimeSplit, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="time_shares")
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), "A share must be more than 0%."),
            MaxValueValidator(Decimal("100"), "A share cannot be more than 100%."),
        ],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["split", "-percent", "partner__code"]
        constraints = [models.UniqueConstraint(fields=["split", "partner"], name="one_share_per_partner")]

    def __str__(self) -> str:
        return f"{self.partner.code} {self.percent}%"

    def get_absolute_url(self) -> str:
        return self.split.employee.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return employee_scope_q(partner_ids, prefix="split__employee__")


class Secondment(EmployeeHistory):
    """The person works for another partner than their employer for a period."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="secondments")
    from_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="secondments_out")
    to_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="secondments_in")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["employee", "starts_on"]
        constraints = [_ends_after_starts("secondment_ends_after_start")]

    def __str__(self) -> str:
        return f"Seconded from {self.from_partner.code} to {self.to_partner.code}, {self.period_label()}"


class FurloughPeriod(EmployeeHistory):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="furlough_periods")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["employee", "starts_on"]
        constraints = [_ends_after_starts("furlough_ends_after_start")]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"Furlough, {self.period_label()}"


# Special category health data: read only through onesource.workforce.health.


class HealthQuerySet(ScopedQuerySet):
    """Health data is read with VIEW_HEALTH whatever capability the caller names, so a plain
    `restrict(user)` (VIEW) can never hand it to a partner officer."""

    def restrict(self, user: Any, capability: Capability | str = Capability.VIEW_HEALTH) -> ScopedQuerySet:
        return super().restrict(user, Capability.VIEW_HEALTH)


def health_scope_q(partner_ids: Iterable[int]) -> Q:
    """Health data is visible to the employing partner only, never to partners served."""
    return Q(employee__employing_partner_id__in=list(partner_ids))


class SicknessReason(models.TextChoices):
    MINOR_ILLNESS = "minor_illness", "Minor illness (colds, flu, infections)"
    MUSCULOSKELETAL = "musculoskeletal", "Musculoskeletal, including back"
    MENTAL_HEALTH = "mental_health", "Stress, depression and mental health"
    STOMACH = "stomach", "Stomach, liver and digestion"
    INJURY = "injury", "Injury or accident"
    SURGERY = "surgery", "Operation or recovery"
    COVID = "covid", "COVID-19"
    OTHER = "other", "Other"


class SicknessAbsence(EmployeeHistory):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="sickness_absences")
    working_days_lost = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"), "Enter at least half a day.")],
    )
    reason = models.CharField("reason category", max_length=30, choices=SicknessReason.choices)

    objects = HealthQuerySet.as_manager()  # type: ignore[misc]  # stricter than the history default

    class Meta:
        ordering = ["employee", "starts_on"]
        constraints = [_ends_after_starts("sickness_ends_after_start")]
        indexes = [models.Index(fields=["starts_on"])]

    def __str__(self) -> str:
        return f"Sickness absence, {self.period_label()}"

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return health_scope_q(partner_ids)


class RiskAssessmentKind(models.TextChoices):
    HEALTH = "health", "Individual health"
    PREGNANCY = "pregnancy", "New and expectant mother"
    COVID = "covid", "COVID-19 personal risk"
    STRESS = "stress", "Work-related stress"
    DISPLAY_SCREEN = "display_screen", "Display screen equipment"


class RiskAssessment(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="risk_assessments")
    kind = models.CharField(max_length=30, choices=RiskAssessmentKind.choices)
    assessed_on = models.DateField()
    review_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(help_text="The findings and the adjustments agreed.")

    objects = HealthQuerySet.as_manager()

    class Meta:
        ordering = ["employee", "-assessed_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} risk assessment, {self.assessed_on.isoformat()}"

    def get_absolute_url(self) -> str:
        return self.employee.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return health_scope_q(partner_ids)
