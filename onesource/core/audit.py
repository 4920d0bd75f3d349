"""The action layer's audit support.

Field-level changes (before and after, who, when, request id) are recorded by django-auditlog
for every model registered in `audit_registry`. Actions add business events with `record_event`.
`@action` makes a function an action: one transaction, the acting user on every change it makes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver

from onesource.core.middleware import current_request_id

P = ParamSpec("P")
R = TypeVar("R")

_acting_user: ContextVar[Any] = ContextVar("onesource_acting_user", default=None)


@receiver(pre_save, sender=LogEntry)
def _name_the_actor(sender: type, instance: LogEntry, **kwargs: Any) -> None:
    """Entries written inside an action name its acting user (pages, API, CLI and jobs alike)."""
    actor = _acting_user.get()
    if instance.actor_id is None and getattr(actor, "pk", None) is not None:
        instance.actor = actor
        instance.actor_email = getattr(actor, "email", None)


def action(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func(..., acting_user=...)` in one transaction with the audit trail naming the actor."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if "acting_user" not in kwargs:
            raise TypeError(f"{func.__name__} needs acting_user=")
        token = _acting_user.set(kwargs["acting_user"])
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        finally:
            _acting_user.reset(token)

    return wrapper


def record_event(
    name: str,
    obj: models.Model | None,
    *,
    acting_user: Any,
    partner: Any = None,
    data: dict[str, Any] | None = None,
) -> Any:
    from onesource.core.models import Event

    return Event.objects.create(
        name=name,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_pk=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        partner=partner,
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        request_id=current_request_id() or "",
        data=data or {},
    )


def apply_changes(instance: models.Model, changes: dict[str, Any], allowed: set[str]) -> None:
    """Set the given fields on `instance`; a field outside `allowed` is a programming error."""
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))} on {type(instance).__name__}")
    for name, value in changes.items():
        setattr(instance, name, value)
