"""`POST /api/costing/allocate`: the allocation engine over HTTP; the same JSON as `onesource allocate`."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from onesource.core.api_base import ErrorOut, ValidationErrorOut
from onesource.costing.engine import AllocationError, allocate_json

engine_router = Router(tags=["costing"])

_FIELD = re.compile(r"^(method|pools|receivers|usage|order)\b")

REQUEST_EXAMPLE = {
    "method": "reciprocal",
    "pools": [{"id": "MAINT", "cost": "100000.00"}, {"id": "GF", "cost": "50000.00"}],
    "receivers": [{"id": "CUT", "cost": "56400.00"}, {"id": "SEW"}],
    "usage": {
        "MAINT": {"GF": "2000", "CUT": "9000", "SEW": "9000"},
        "GF": {"MAINT": "1", "CUT": "3", "SEW": "1"},
    },
}


def error_field(message: str) -> str:
    """The input field a message is about ('usage', 'order', ...), for the 422 body's `errors` key."""
    match = _FIELD.match(message)
    return match.group(1) if match else "__all__"


def parse_json_body(raw: bytes) -> Any:
    """JSON with decimals kept exact: numbers never pass through binary floating point."""
    try:
        return json.loads(raw or b"null", parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise AllocationError(f"The input is not valid JSON: {exc}") from None


def _reject_constant(name: str) -> Any:
    raise AllocationError(f"{name} is not a number.")


@engine_router.post(
    "/allocate",
    response={200: dict[str, Any], 401: ErrorOut, 422: ValidationErrorOut},
    summary="Allocate support cost pools to receivers (direct, step_down or reciprocal)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}, "example": REQUEST_EXAMPLE}},
        }
    },
)
def allocate_endpoint(request: HttpRequest):
    """Same body as `onesource allocate`; amounts come back as strings with two decimal places.

    Bad input is a 422 naming the problem (unknown ids, bad order, negative or non-numeric amounts, a pool
    whose usage sums to zero, usage that never reaches a receiver) and no result.
    """
    try:
        return Status(200, allocate_json(parse_json_body(request.body)))
    except AllocationError as exc:
        message = str(exc)
        return Status(422, {"detail": message, "errors": {error_field(message): [message]}})
