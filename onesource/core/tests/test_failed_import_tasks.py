"""A failed import stays on its starter's task list until an import of the same kind succeeds."""

from __future__ import annotations

from onesource.core.job_tasks import failed_imports
from onesource.core.models import Job
from onesource.core.roles import Role
from onesource.core.tasks import tasks_for


def _import_tasks(user):
    return [t for t in tasks_for(user) if t.title.startswith("Import")]


def test_a_failed_import_is_a_task_for_whoever_started_it(partnership, make_user):
    officer = make_user(Role.HR_OFFICER, "HAV")
    other = make_user(Role.HR_OFFICER, "NEW")
    failed = Job.objects.create(kind="workforce.import", status="failed", created_by=officer)
    # A failed job that is not an import is not this task.
    Job.objects.create(kind="core.coverage_report", status="failed", created_by=officer)
    [task] = _import_tasks(officer)
    assert task.count == 1 and task.url == failed.get_absolute_url()
    assert "Workforce import" in task.hint and "nothing was changed" in task.hint
    assert _import_tasks(other) == []
    Job.objects.create(kind="workforce.import", status="succeeded", created_by=officer)
    assert failed_imports(officer) == []
    assert _import_tasks(officer) == []
