"""What every app's API shares: authentication, errors as 422/404, scoped lookups, pagination."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

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


def build_api() -> NinjaAPI:
    api = NinjaAPI(
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
