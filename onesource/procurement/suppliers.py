"""The normaliser's suggestions over the supplier register, ready to show."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from onesource.procurement.models import Supplier, SupplierDistinction
from onesource.procurement.normalise import suggest_matches


def match_suggestions(limit: int = 100) -> list[dict[str, Any]]:
    """The normaliser's suggestions, each pair with its suppliers and how many payments each has."""
    pairs = SupplierDistinction.objects.values_list("first_id", "second_id")
    found = suggest_matches(Supplier.objects.values_list("pk", "key"), distinct=pairs, limit=limit)
    ids = {s.first_id for s in found} | {s.second_id for s in found}
    suppliers = Supplier.objects.annotate(payment_count=Count("payments")).in_bulk(ids)
    return [
        {
            "first": suppliers[s.first_id],
            "second": suppliers[s.second_id],
            "score": s.score,
            "reason": s.reason,
        }
        for s in found
    ]
