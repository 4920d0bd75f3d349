"""Days a partner council is closed beyond the bank holidays (a Christmas closure, a local day)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from onesource.core.scoping import ScopedQuerySet


class ClosureDay(models.Model):
    partner = models.ForeignKey("core.Partner", on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200, help_text="For example: Christmas closure.")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "date"], name="one_closure_per_partner_day")
        ]

    def __str__(self) -> str:
        return f"{self.partner.code} closed {self.date:%-d %B %Y}: {self.reason}"

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=partner_ids)
