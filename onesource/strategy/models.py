"""A strategy (e.g. 2020-23): its priorities, the services' priorities that serve them, and the programme
of projects and activities, phased, with milestones, RAG and links to the savings they deliver.

The programme links to savings lines by a plain foreign key to "savings.SavingsLine": strategy depends
on savings (one way; savings knows nothing of strategy) and imports none of its code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.urls import reverse

from onesource.core.models import Service
from onesource.core.scoping import ScopedQuerySet


def service_visible_q(partner_ids: Iterable[int], field: str = "service") -> Q:
    """Rows with no service, or whose service the partners receive or own (core's Service scope)."""
    services = Service.objects.filter(Service.scope_q(list(partner_ids))).values("pk")
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}_id__in": services})


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class ProjectStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    COMPLETE = "complete", "Complete"
    STOPPED = "stopped", "Stopped"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    DELAYED = "delayed", "Delayed"
    COMPLETE = "complete", "Complete"
    MISSED = "missed", "Missed"


class ProjectKind(models.TextChoices):
    PROJECT = "project", "Project"
    ACTIVITY = "activity", "Activity"


class Strategy(models.Model):
    """The shared service's strategy for a span of years. Seen by every partner."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200, unique=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    launched_on = models.DateField(null=True, blank=True)
    vision = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="strategy_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:strategy-detail", args=[self.code])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q()


class StrategicPriority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name_plural = "strategic priorities"
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="one_priority_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:priority-map", args=[self.strategy.code]) + f"#priority-{self.number}"

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q()


class ServicePriority(models.Model):
    """A service's key priority for a year's service plan, serving one or more strategic priorities."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="service_priorities")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="service_priorities")
    plan_year = models.PositiveSmallIntegerField(
        help_text="The service plan's financial year: 2021 means 2021/22."
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    strategic_priorities = models.ManyToManyField(StrategicPriority, related_name="service_priorities")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "service__name", "title"]
        verbose_name_plural = "service priorities"

    def __str__(self) -> str:
        return f"{self.service.name}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:service-priority-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return service_visible_q(partner_ids)


class Phase(models.Model):
    """A stage of the strategy's activity plan (e.g. 2020-21, 2021-22, 2022-23)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="one_phase_number")]

    def __str__(self) -> str:
        return f"Phase {self.number}: {self.name}"

    def get_absolute_url(self) -> str:
        return self.strategy.get_absolute_url()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q()


class Project(models.Model):
    """A project or activity in the programme, with its RAG and the savings it delivers."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="projects")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="projects", null=True, blank=True)
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProjectKind.choices, default=ProjectKind.PROJECT)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
        help_text="Leave blank for work across the shared service.",
    )
    lead = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.NOT_STARTED)
    rag = models.CharField("RAG", max_length=10, choices=RAG.choices, default=RAG.GREEN)
    rag_reason = models.TextField("Reason for the RAG", blank=True)
    is_key_deliverable = models.BooleanField(default=False, help_text="Reported as a key deliverable.")
    is_critical_enabler = models.BooleanField(
        default=False, help_text="Other priorities cannot be delivered without it."
    )
    strategic_priorities = models.ManyToManyField(StrategicPriority, related_name="projects", blank=True)
    savings_lines = models.ManyToManyField("savings.SavingsLine", related_name="+", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="project_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:project-detail", args=[self.code])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return service_visible_q(partner_ids)

    def active_between(self, start: dt.date, end: dt.date) -> bool:
        return self.starts_on <= end and self.ends_on >= start


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=200)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "name"]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.project.name}: {self.name}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + "#milestones"

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return service_visible_q(partner_ids, "project__service")
