"""The task list's entry for imports that failed: each person sees their own, until they try again and
the import goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import timezone

from onesource.core.jobs import JOB_KINDS
from onesource.core.models import Job, User
from onesource.core.models.jobs import JobStatus
from onesource.core.tasks import TaskItem, register_task_provider

# An import older than this is history, not a task.
FAILED_IMPORT_WINDOW = dt.timedelta(days=30)


def failed_imports(user: User) -> list[Job]:
    """The user's failed imports of the last 30 days not followed by a successful one of the same kind."""
    kinds = [name for name, kind in JOB_KINDS.items() if kind.is_import]
    later_success = Job.objects.filter(
        created_by=user,
        kind=OuterRef("kind"),
        status=JobStatus.SUCCEEDED,
        created_at__gt=OuterRef("created_at"),
    )
    return list(
        Job.objects.filter(
            created_by=user,
            kind__in=kinds,
            status=JobStatus.FAILED,
            created_at__gte=timezone.now() - FAILED_IMPORT_WINDOW,
        )
        .exclude(Exists(later_success))
        .order_by("-created_at")
    )


@register_task_provider("core.failed_imports")
def failed_import_tasks(user: User) -> Iterable[TaskItem]:
    failed = failed_imports(user)
    if not failed:
        return []
    latest = failed[0]
    return [
        TaskItem(
            title="Import that failed" if len(failed) == 1 else "Imports that failed",
            url=latest.get_absolute_url(),
            count=len(failed),
            hint=f"{JOB_KINDS[latest.kind].label}: nothing was changed; correct the file and import it again",
            priority=20,
        )
    ]
