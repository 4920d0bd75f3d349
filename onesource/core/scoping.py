"""Partner scoping: the one way partner-owned data is read.

Every partner-owned model uses `ScopedQuerySet` and defines `scope_q(partner_ids)`, the filter
that keeps rows belonging to those partners. Views, the API, the CLI and jobs read through
`Model.objects.restrict(user, capability)`. Users who hold a role for all partners see
everything; everyone else sees the partners they hold a role for, for that capability only.
Reading unscoped is possible but has to be spelled `dangerously_unscoped()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404

from onesource.core.roles import ALL_PARTNER_ROLES, ROLE_CAPABILITIES, Capability

if TYPE_CHECKING:
    from onesource.core.models import User


@dataclass(frozen=True)
class Scope:
    """What one user may do: for each capability, all partners or a set of partner ids."""

    user_id: int | None
    everywhere: frozenset[Capability] = frozenset()
    by_partner: dict[Capability, frozenset[int]] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()

    def has(self, capability: Capability | str, partner_id: int | None = None) -> bool:
        capability = Capability(capability)
        if capability in self.everywhere:
            return True
        partners = self.by_partner.get(capability, frozenset())
        return bool(partners) if partner_id is None else partner_id in partners

    def partners_with(self, capability: Capability | str) -> frozenset[int] | None:
        """Partner ids where the user has the capability; None means every partner."""
        capability = Capability(capability)
        if capability in self.everywhere:
            return None
        return self.by_partner.get(capability, frozenset())

    @property
    def is_all_partners(self) -> bool:
        return Capability.VIEW in self.everywhere


NO_SCOPE = Scope(user_id=None)


def scope_for(user: User | Any) -> Scope:
    """The user's scope, computed once per user object (so once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_onesource_scope", None)
    if cached is not None:
        return cached
    everywhere: set[Capability] = set()
    by_partner: dict[Capability, set[int]] = {}
    roles: set[str] = set()
    for role, partner_id in user.role_assignments.values_list("role", "partner_id"):
        roles.add(role)
        capabilities = ROLE_CAPABILITIES.get(role, frozenset())
        if role in ALL_PARTNER_ROLES:
            everywhere.update(capabilities)
        else:
            for capability in capabilities:
                by_partner.setdefault(capability, set()).add(partner_id)
    if user.is_superuser:
        everywhere.update(Capability)
    scope = Scope(
        user_id=user.pk,
        everywhere=frozenset(everywhere),
        by_partner={c: frozenset(p) for c, p in by_partner.items()},
        roles=frozenset(roles),
    )
    user._onesource_scope = scope  # type: ignore[union-attr]
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's roles change."""
    if hasattr(user, "_onesource_scope"):
        del user._onesource_scope


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user: Any, capability: Capability | str = Capability.VIEW) -> ScopedQuerySet:
        partners = scope_for(user).partners_with(capability)
        if partners is None:
            return self
        if not partners:
            return self.none()
        return self.filter(self.model.scope_q(partners))  # type: ignore[attr-defined]

    def dangerously_unscoped(self) -> ScopedQuerySet:
        """Every row, whoever asks: for system work (migrations, demo data, jobs acting as the system)."""
        return self


def get_scoped_or_404(
    queryset: ScopedQuerySet, user: Any, capability: Capability | str = Capability.VIEW, **lookup: Any
) -> Any:
    """One object the user may see, or the same 404 as an object that does not exist."""
    try:
        return queryset.restrict(user, capability).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("No such object.") from exc
