"""The task list: what is waiting for each person, contributed by the apps that own the work.

Each app registers a provider (usually in a `tasks.py` imported from its `AppConfig.ready`). The home
page asks every provider for the signed-in user's tasks and lists them, each linking to the page that
does it. A provider sees only what the user may see: it reads through `restrict(user, capability)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from onesource.core.models import User


@dataclass(frozen=True)
class TaskItem:
    """One thing to do: what, where to do it, and optionally how many and a line of detail."""

    title: str
    url: str
    count: int | None = None
    hint: str = ""
    # Lower sorts first; sign-offs and failures before reminders.
    priority: int = 50


TaskProvider = Callable[[User], Iterable[TaskItem]]

TASK_PROVIDERS: dict[str, TaskProvider] = {}


def register_task_provider(key: str) -> Callable[[TaskProvider], TaskProvider]:
    def register(provider: TaskProvider) -> TaskProvider:
        TASK_PROVIDERS[key] = provider
        return provider

    return register


def tasks_for(user: User | AnonymousUser) -> list[TaskItem]:
    """Every registered provider's tasks for this user, most urgent first."""
    if not user.is_authenticated:
        return []
    assert isinstance(user, User)
    items = [item for provider in TASK_PROVIDERS.values() for item in provider(user)]
    return sorted(items, key=lambda item: (item.priority, item.title))
