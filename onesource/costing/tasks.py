"""Costing's contribution to the home page's task list: sign-offs waiting, runs rejected or ready."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from onesource.core.models import User
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.core.tasks import TaskItem, register_task_provider
from onesource.costing.models import RechargeRun, RunSignOff, RunStatus, SignOffDecision


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


@register_task_provider("costing.sign_off")
def recharge_tasks(user: User) -> Iterable[TaskItem]:
    scope = scope_for(user)
    # Only a council's own finance officer signs its statement (see actions.can_sign_off).
    own_partners = scope.by_partner.get(Capability.APPROVE_FINANCE, frozenset())
    if own_partners:
        waiting = list(
            RunSignOff.objects.filter(
                partner_id__in=own_partners,
                decision=SignOffDecision.WAITING,
                run__status=RunStatus.DRAFT,
            )
            .exclude(run__created_by=user)
            # A run another council rejected cannot be signed: it waits for a corrected version.
            .exclude(run__sign_offs__decision=SignOffDecision.REJECTED)
            .select_related("run", "partner")
            .order_by("run__year", "run__version")
        )
        if waiting:
            first = waiting[0]
            yield TaskItem(
                title=_plural(
                    len(waiting),
                    "Recharge run waiting for your sign-off",
                    "Recharge runs waiting for your sign-off",
                ),
                url=reverse("costing:sign-off", args=[first.run_id, first.partner.code]),
                count=len(waiting),
                hint=f"{first.partner.name}'s statement in {first.run}",
                priority=10,
            )
    if scope.partners_with(Capability.MANAGE_FINANCE) is None:
        drafts = RechargeRun.objects.filter(status=RunStatus.DRAFT)
        rejected = list(drafts.filter(sign_offs__decision=SignOffDecision.REJECTED).distinct())
        if rejected:
            yield TaskItem(
                title=_plural(
                    len(rejected), "Recharge run rejected by a council", "Recharge runs rejected by a council"
                ),
                url=rejected[0].get_absolute_url(),
                count=len(rejected),
                hint=f"{rejected[0]}: correct the figures and build a new version",
                priority=10,
            )
        # Signed by every member but still a draft: only a run no member is charged in, approved by hand.
        ready = [
            run
            for run in drafts.exclude(
                sign_offs__decision__in=[SignOffDecision.WAITING, SignOffDecision.REJECTED]
            )
            .exclude(created_by=user)
            .distinct()
        ]
        if ready:
            yield TaskItem(
                title=_plural(len(ready), "Recharge run ready to approve", "Recharge runs ready to approve"),
                url=reverse("costing:run-approve", args=[ready[0].pk]),
                count=len(ready),
                hint=str(ready[0]),
                priority=20,
            )
