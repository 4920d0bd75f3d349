"""Jobs: long work run in the background with progress a person can watch.

An app registers a kind of job with `@job_kind("app.name", label=...)` on a function
`handler(ctx: JobContext, **params) -> dict`. `start_job` stores a Job and queues it on
django-tasks (the database backend by default: `onesource worker` runs it; `onesource serve`
starts a worker beside the web server). The CLI runs jobs in its own process with
`run_job_now`, showing a progress bar. Progress goes to the cache, not the database, because the
handler's own writes sit in a transaction that nobody else can see until it commits.
"""

from __future__ import annotations

import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from onesource.core.audit import action, record_event
from onesource.core.audit_display import ParameterWords
from onesource.core.middleware import request_id_context
from onesource.core.models import Job, Partner, User
from onesource.core.models.jobs import JobStatus


class JobFailed(Exception):
    """Raised by a handler to fail with messages meant for the person who started the job."""

    def __init__(self, message: str, errors: list[Any] | None = None):
        super().__init__(message)
        self.errors = errors or []


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    handler: Callable[..., dict[str, Any] | None]
    capability: str
    # Parameter names in words for the job page; a parameter labelled None (a stored file's path,
    # a file's contents) is not shown. Unlisted ones are shown with their name made readable.
    parameters: Mapping[str, ParameterWords] = field(default_factory=dict)
    # An import: a failed one is put on its starter's task list until a later one of the kind succeeds.
    is_import: bool = False


JOB_KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    label: str,
    capability: str = "run_jobs",
    parameters: Mapping[str, ParameterWords] | None = None,
    is_import: bool = False,
) -> Callable[[Callable], Callable]:
    def register(handler: Callable) -> Callable:
        JOB_KINDS[name] = JobKind(
            name=name,
            label=label,
            handler=handler,
            capability=capability,
            parameters=dict(parameters or {}),
            is_import=is_import,
        )
        return handler

    return register


def _progress_key(job_id: Any) -> str:
    return f"onesource:job-progress:{job_id}"


class JobContext:
    """Handed to a handler: who asked, and a way to report progress and attach an output file."""

    def __init__(self, job: Job, on_progress: Callable[[int, int, str], None] | None = None):
        self.job = job
        self.acting_user = job.created_by
        self._on_progress = on_progress
        self._last_write = 0.0

    def progress(self, done: int, total: int, message: str = "") -> None:
        now = time.monotonic()
        if self._on_progress:
            self._on_progress(done, total, message)
        # Throttled: a handler may call this per row.
        if now - self._last_write >= 0.25 or done >= total:
            cache.set(_progress_key(self.job.pk), {"done": done, "total": total, "message": message}, 3600)
            self._last_write = now

    def attach_output(self, name: str, content: bytes) -> None:
        self.job.output.save(f"{self.job.pk}-{name}", ContentFile(content), save=False)
        self.job.output_name = name


def job_progress(job: Job) -> dict[str, Any]:
    """Live progress while running, the stored figures once finished."""
    if job.status == JobStatus.RUNNING:
        live = cache.get(_progress_key(job.pk))
        if live:
            return live
    return {"done": job.progress_done, "total": job.progress_total, "message": job.message}


def _check_kind(kind: str, user: Any, partner: Partner | None) -> JobKind:
    from onesource.core.scoping import scope_for

    if kind not in JOB_KINDS:
        raise ValidationError(
            {"kind": f"Unknown kind of job {kind!r}. Known: {', '.join(sorted(JOB_KINDS))}."}
        )
    job_kind_ = JOB_KINDS[kind]
    scope = scope_for(user)
    if not scope.has(job_kind_.capability, partner.pk if partner else None) or (
        partner is None and scope.partners_with(job_kind_.capability) is not None
    ):
        raise ValidationError(
            {"partner": "You are not allowed to run this kind of job for that partner: choose one of yours."}
        )
    return job_kind_


def _default_partner(kind: str, user: Any) -> Partner | None:
    """A user who may run this job for exactly one partner runs it for that partner."""
    from onesource.core.scoping import scope_for

    partners = scope_for(user).partners_with(JOB_KINDS[kind].capability) if kind in JOB_KINDS else None
    if partners is not None and len(partners) == 1:
        return Partner.objects.get(pk=next(iter(partners)))
    return None


@action
def create_job(kind: str, params: dict[str, Any], *, partner: Partner | None = None, acting_user: Any) -> Job:
    partner = partner or _default_partner(kind, acting_user)
    _check_kind(kind, acting_user, partner)
    job = Job.objects.create(kind=kind, params=params, partner=partner, created_by=acting_user)
    record_event("job.started", job, acting_user=acting_user, partner=partner, data={"kind": kind})
    return job


def start_job(kind: str, params: dict[str, Any], *, partner: Partner | None = None, acting_user: Any) -> Job:
    """Store the job and queue it to run in the background once the transaction commits."""
    job = create_job(kind, params, partner=partner, acting_user=acting_user)
    job_id = str(job.pk)
    transaction.on_commit(lambda: execute_job.enqueue(job_id))
    return job


def run_job_now(job: Job, on_progress: Callable[[int, int, str], None] | None = None) -> Job:
    """Run a stored job in this process (the CLI's way), reporting progress to `on_progress`."""
    _execute(job, on_progress)
    job.refresh_from_db()
    return job


@task()
def execute_job(job_id: str) -> str:
    job = Job.objects.get(pk=job_id)
    _execute(job, None)
    return job_id


def _execute(job: Job, on_progress: Callable[[int, int, str], None] | None) -> None:
    if job.status != JobStatus.QUEUED:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.status = JobStatus.RUNNING
    ctx = JobContext(job, on_progress)
    kind = JOB_KINDS.get(job.kind)
    try:
        if kind is None:
            raise JobFailed(f"This installation cannot run jobs of kind {job.kind!r}.")
        with request_id_context(f"job-{uuid.UUID(str(job.pk)).hex[:16]}"):
            result = kind.handler(ctx, **job.params) or {}
        job.status = JobStatus.SUCCEEDED
        job.result = result
        job.message = str(result.get("message", "Finished."))[:500]
    except JobFailed as exc:
        job.status = JobStatus.FAILED
        job.message = str(exc)[:500]
        job.errors = exc.errors
    except ValidationError as exc:
        job.status = JobStatus.FAILED
        job.message = "The job stopped: nothing was changed."
        job.errors = exc.messages
    except Exception as exc:  # a bug: keep the trace for whoever investigates
        job.status = JobStatus.FAILED
        job.message = f"The job failed unexpectedly: {exc}"[:500]
        job.errors = [traceback.format_exc(limit=5)]
    live = cache.get(_progress_key(job.pk)) or {}
    job.progress_done = live.get("done", job.progress_done)
    job.progress_total = live.get("total", job.progress_total)
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_progress_key(job.pk))


def job_creator(job: Job) -> User | None:
    return job.created_by
