"""What every app's API shares: authentication, errors as 4xx, scoped lookups, pagination.

Every input the API can be sent ends in a 2xx or a documented 4xx, never a 500: the exception handlers
below turn database integrity errors, malformed bodies and oversized requests into 4xx with field
messages, and `OnesourceAPI` documents 401/403/404/413/422 on the operations where they can happen.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination
from ninja.security import HttpBearer, django_auth
from pydantic import AfterValidator

from onesource.core.models import ApiToken
from onesource.core.models.access import hash_token
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404, scope_for


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `onesource token create USERNAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERROR_BODY = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_BODY = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail", "errors"],
}
ERROR_RESPONSES = {
    "400": ("The body cannot be parsed (not JSON, or not multipart/form-data).", ERROR_BODY),
    "401": ("Not signed in, or the API token is not valid.", ERROR_BODY),
    "403": ("Your roles do not allow this.", ERROR_BODY),
    "404": ("No such object, or one of a partner you cannot see.", ERROR_BODY),
    "413": ("The request body is larger than the server accepts.", ERROR_BODY),
    "422": (
        "The input is not valid; nothing was saved. `errors` holds messages by field.",
        VALIDATION_ERROR_BODY,
    ),
}


def document_error_responses(openapi: dict[str, Any]) -> None:
    """Add the error responses each operation can give to the published schema, where it has not said.

    401 and 403 wherever authentication is required, 422 wherever there is input (parameters or a
    body), 404 wherever a path names an object, 400 and 413 wherever there is a body.
    """
    for path_item in openapi.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            parameters = operation.get("parameters", [])
            codes = set()
            if operation.get("security"):
                codes |= {"401", "403"}
            if parameters or "requestBody" in operation:
                codes.add("422")
            if any(p.get("in") == "path" for p in parameters):
                codes.add("404")
            if "requestBody" in operation:
                codes |= {"400", "413"}
            responses = operation["responses"]
            for code in sorted(codes):
                if code not in responses and int(code) not in responses:
                    description, body = ERROR_RESPONSES[code]
                    responses[code] = {
                        "description": description,
                        "content": {"application/json": {"schema": body}},
                    }


class OnesourceAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        openapi = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_error_responses(openapi)
        return openapi


# Inputs are bounded where unbounded values would overflow date arithmetic further down (year 0,
# 9999-12-31 plus a day) or build absurd queries; nothing the partnership records lies outside them.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2199, 12, 31)
Day = Annotated[dt.date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]
Year = Annotated[
    int, Field(ge=EARLIEST_DAY.year, le=LATEST_DAY.year - 1, description="Financial year (its April)")
]


def _null_as_empty(value: str | None) -> str:
    return "" if value is None else value


# An optional text field: null and "" both mean "no text" and are stored as "" (the columns are NOT NULL).
# In a PATCH, leaving the field out keeps it; null or "" clears it.
OptionalText = Annotated[str | None, AfterValidator(_null_as_empty)]


def kept_if_absent(**kwargs: Any) -> Any:
    """The default of a required field in a PATCH (`name: str = kept_if_absent()`): leaving the field
    out keeps its value; null is not a string, so it is a 422 (the default itself is never validated)."""
    return Field(None, **kwargs)


MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500


class BoundedPagination(PageNumberPagination):
    """Ninja's page-number pagination with both numbers bounded, so a huge page is a 422, not an overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


# Integrity errors name the column or constraint differently on SQLite and PostgreSQL.
_NOT_NULL = re.compile(r'NOT NULL constraint failed: \w+\.(\w+)|null value in column "(\w+)"')
_UNIQUE = re.compile(r"UNIQUE constraint failed: \w+\.(\w+)|Key \((\w+)[,)]")


def integrity_messages(exc: IntegrityError) -> dict[str, list[str]]:
    text = str(exc)
    if match := _NOT_NULL.search(text):
        return {next(g for g in match.groups() if g): ["This field may not be empty (null)."]}
    if match := _UNIQUE.search(text):
        return {next(g for g in match.groups() if g): ["A record with this value already exists."]}
    return {"__all__": ["The input clashes with existing records or leaves out a required value."]}


def build_api() -> NinjaAPI:
    api = OnesourceAPI(
        title="onesource API",
        version="1",
        description=(
            "The shared back-office service's data, scoped to the partners the caller may see. "
            "Authenticate with a browser session or `Authorization: Bearer <token>` "
            "(make one with `onesource token create USERNAME`). Invalid input gets 422 and saves nothing; "
            "an object of a partner you cannot see is 404."
        ),
        # Token first: a request that carries a valid bearer token needs no CSRF check, and ninja stops at
        # the first auth that raises, so session auth (which raises 403 on a missing CSRF token) comes last.
        auth=[TokenAuth(), django_auth],
        urls_namespace="api",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )

    @api.exception_handler(ValidationError)
    def django_validation_error(request: HttpRequest, exc: ValidationError):
        return api.create_response(
            request, {"detail": "The input is not valid.", "errors": validation_messages(exc)}, status=422
        )

    @api.exception_handler(NinjaValidationError)
    def ninja_validation_error(request: HttpRequest, exc: NinjaValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            loc = [
                str(part) for part in error.get("loc", []) if part not in {"body", "payload", "query", "path"}
            ]
            errors.setdefault(".".join(loc) or "__all__", []).append(error.get("msg", "Invalid value."))
        return api.create_response(
            request, {"detail": "The input is not valid.", "errors": errors}, status=422
        )

    def invalid(request: HttpRequest, errors: dict[str, list[str]]):
        return api.create_response(
            request, {"detail": "The input is not valid.", "errors": errors}, status=422
        )

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError):
        # The action's transaction has rolled back, so nothing was saved.
        return invalid(request, integrity_messages(exc))

    @api.exception_handler(MultiPartParserError)
    def malformed_multipart(request: HttpRequest, exc: MultiPartParserError):
        # 400, like ninja's own answer to a JSON body it cannot parse.
        return api.create_response(
            request, {"detail": "Cannot parse request body (not valid multipart/form-data)."}, status=400
        )

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def out_of_range(request: HttpRequest, exc: Exception):
        # A number too large for its database column (SQLite raises OverflowError, PostgreSQL DataError).
        return invalid(request, {"__all__": ["A number in the input is too large."]})

    @api.exception_handler(UnicodeDecodeError)
    def undecodable(request: HttpRequest, exc: UnicodeDecodeError):
        return invalid(request, {"__all__": ["The body is not valid text in UTF-8."]})

    @api.exception_handler(csv.Error)
    def malformed_csv(request: HttpRequest, exc: csv.Error):
        return invalid(request, {"file": [f"The file is not valid CSV: {exc}."]})

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig):
        return api.create_response(
            request, {"detail": "The request body is larger than the server accepts."}, status=413
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404):
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied):
        return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return api.create_response(request, {"detail": "Sign in or send a valid API token."}, status=401)

    return api


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {("__all__" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
    return {"__all__": exc.messages}


def require(request: HttpRequest, capability: Capability | str, partner_id: int | None = None) -> None:
    """403 unless the caller has the capability (for that partner, when given)."""
    if not scope_for(request.user).has(capability, partner_id):
        raise PermissionDenied("Your roles do not allow this.")


def scoped(request: HttpRequest, model: Any, capability: Capability | str = Capability.VIEW):
    return model.objects.restrict(request.user, capability)


def get_scoped(
    request: HttpRequest, model: Any, capability: Capability | str = Capability.VIEW, **lookup: Any
):
    return get_scoped_or_404(model.objects.all(), request.user, capability, **lookup)
