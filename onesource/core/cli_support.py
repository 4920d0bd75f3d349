"""What every `onesource` command needs: who it acts for, and a job run in the terminal with progress."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from onesource.core.models import Job, Partner, User


def acting_user(username: str | None, *, required: bool = False) -> User:
    """The named active user; without a name (unless `required`), the first platform admin: the
    system acting for itself."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {username!r}.")
        return user
    user = None if required else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("Say who acts with --as USERNAME.")
    return user


def start_job(kind: str, params: dict[str, Any], *, acting_user: User, partner: Partner | None = None) -> Job:
    """A queued job, or the job's refusal of its parameters as the command's error."""
    from onesource.core.jobs import create_job

    try:
        return create_job(kind, params, partner=partner, acting_user=acting_user)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc


def run_with_progress(job: Job, *, unit: str = "row", stream: Any = None, quiet: bool = False) -> Job:
    """Run the job here and now, drawing its progress on stderr (nothing when `quiet`)."""
    from tqdm import tqdm

    from onesource.core.jobs import run_job_now

    bar = tqdm(total=0, unit=unit, file=stream or sys.stderr, disable=quiet)

    def show(done: int, total: int, message: str) -> None:
        bar.total, bar.n = total, done
        bar.set_description(message[:40])
        bar.refresh()

    try:
        return run_job_now(job, show)
    finally:
        bar.close()
