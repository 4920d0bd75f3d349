"""Saved versions of a committee report: officers' commentary per section, and draft or final status.

A partner and period has at most one draft at a time. Finalising a draft freezes it: the sections as
they were rendered that day (with their charts' figures) are kept on the version, so the final report
reads the same whatever later changes to the data; a final version is never changed. Commentary added
after that starts the next draft, from the final's commentary.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse

from onesource.core.models import Partner
from onesource.core.scoping import ScopedQuerySet


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class CommitteeReportVersion(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="committee_reports")
    start = models.DateField("From")
    end = models.DateField("To")
    number = models.PositiveIntegerField("Version")
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # {section key: the officers' commentary on that section}
    commentary = models.JSONField(default=dict, blank=True)
    # Filled on finalising: [{key, title, number, html, charts: [chart fields]}], the report as it was.
    frozen_sections = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partner__code", "start", "end", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "start", "end", "number"], name="committee_report_version_unique"
            ),
            models.UniqueConstraint(
                fields=["partner", "start", "end"],
                condition=Q(status="draft"),
                name="committee_report_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Committee report for {self.partner.name}, {self.start:%B %Y} to {self.end:%B %Y}, "
            f"version {self.number} ({self.get_status_display().lower()})"
        )

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=list(partner_ids))

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL

    def commentary_for(self, section_key: str) -> str:
        return str(self.commentary.get(section_key, ""))

    def get_absolute_url(self) -> str:
        return reverse("reports:version", args=[self.partner.code, self.number]) + "?" + self.period_query()

    def period_query(self) -> str:
        return urlencode({"from": self.start.isoformat(), "to": self.end.isoformat()})

    def frozen(self) -> list[dict[str, Any]]:
        return list(self.frozen_sections or [])
