"""Workforce's contribution to the home-page task list: risk assessments due for review."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from onesource.core.models import User
from onesource.core.tasks import TaskItem, register_task_provider
from onesource.workforce.models import RiskAssessment


@register_task_provider("workforce.risk_assessment_reviews")
def risk_assessments_due_for_review(user: User) -> Iterable[TaskItem]:
    # restrict() on health data always demands VIEW_HEALTH, so others get an empty list.
    due = (
        RiskAssessment.objects.restrict(user)
        .filter(review_on__isnull=False, review_on__lte=timezone.localdate())
        .select_related("employee")
    )
    count = due.count()
    if not count:
        return []
    url = due.get().employee.get_absolute_url() if count == 1 else reverse("workforce:employee-list")
    return [
        TaskItem(
            title="Review risk assessments that are due",
            url=url,
            count=count,
            hint="Review date reached or passed",
            priority=30,
        )
    ]
