"""Who sees which recharge figures (the rules are written out in docs/visibility.md, "Costing").

A partnership-wide figure (what a run charged in all, each service's whole cost table, another
council's line) lets a council work out the others' shares by subtraction, so only roles held for all
partners see them; a council's own users see their own share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Sum

from onesource.core.scoping import scope_for
from onesource.costing.models import RechargeCharge, RechargeRun, RunSignOff


def sees_partnership_totals(user: Any) -> bool:
    return scope_for(user).is_all_partners


def own_share(run: RechargeRun, user: Any) -> Decimal:
    """What the partners this user may see are charged in the run, in all."""
    total = RechargeCharge.objects.restrict(user).filter(run=run).aggregate(total=Sum("total"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def sign_off_rows(run: RechargeRun, user: Any) -> list[dict[str, Any]]:
    """The member sign-offs this user may see, as people read them. Every council's decision, who and
    when, is shown to the shared service; a council sees its own row (and sign_off_progress)."""
    everyone = sees_partnership_totals(user)
    visible = set(RunSignOff.objects.restrict(user).filter(run=run).values_list("pk", flat=True))
    rows = []
    sign_offs = run.sign_offs.select_related("partner", "decided_by").order_by("partner__name")
    if not everyone:
        # A council sees its own sign-off; the others are a count (sign_off_progress), not names.
        sign_offs = sign_offs.filter(pk__in=visible)
    for sign_off in sign_offs:
        decided_by = sign_off.decided_by
        rows.append(
            {
                "sign_off": sign_off,
                "partner": sign_off.partner.name,
                "partner_code": sign_off.partner.code,
                "decision": sign_off.get_decision_display(),
                "decision_code": sign_off.decision,
                "decided_by": (decided_by.get_full_name() or decided_by.username) if decided_by else "",
                "decided_at": sign_off.decided_at,
                "comment": sign_off.comment if everyone or sign_off.pk in visible else "",
                "is_own": sign_off.pk in visible and not everyone,
            }
        )
    return rows


def sign_off_progress(run: RechargeRun) -> tuple[int, int]:
    """(signed, members): how far the run is, without naming the councils."""
    decisions = list(run.sign_offs.values_list("decision", flat=True))
    return sum(1 for d in decisions if d == "signed"), len(decisions)
