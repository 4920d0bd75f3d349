"""The task-list registry: every provider asked, most urgent first, nothing for the anonymous."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from onesource.core import tasks
from onesource.core.tasks import TaskItem, register_task_provider, tasks_for


@pytest.fixture
def only_test_providers(monkeypatch):
    monkeypatch.setattr(tasks, "TASK_PROVIDERS", {})


def test_items_from_every_provider_sorted_by_priority_then_title(only_test_providers, system_user):
    @register_task_provider("test.reminders")
    def reminders(user):
        return [TaskItem("Review risk assessment", "/a/", priority=50)]

    @register_task_provider("test.signoffs")
    def signoffs(user):
        return [TaskItem("Sign off 2022/23", "/b/", priority=10), TaskItem("Approve run", "/c/", priority=10)]

    assert [item.title for item in tasks_for(system_user)] == [
        "Approve run",
        "Sign off 2022/23",
        "Review risk assessment",
    ]


def test_anonymous_user_has_no_tasks(only_test_providers):
    @register_task_provider("test.any")
    def any_tasks(user):
        raise AssertionError("providers are not asked for an anonymous user")

    assert tasks_for(AnonymousUser()) == []
