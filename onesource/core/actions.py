"""Every change to partnership data. Pages, the API, the CLI and jobs all call these.

Each action validates, saves and is audited (see `audit.action`); bad input raises
`django.core.exceptions.ValidationError` with messages keyed by field, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from onesource.core.audit import action, apply_changes, record_event
from onesource.core.models import (
    ApiToken,
    ClosureDay,
    FinancialYear,
    Membership,
    Partner,
    RoleAssignment,
    Service,
    ServiceArea,
    ServiceCoverage,
    User,
)
from onesource.core.models.access import hash_token
from onesource.core.models.partnership import Sharing
from onesource.core.periods import validate_no_overlap, validate_period
from onesource.core.roles import ALL_PARTNER_ROLES, Role
from onesource.core.scoping import forget_scope

PARTNER_FIELDS = {"code", "name", "gss_code", "kind", "is_founder"}
SERVICE_FIELDS = {
    "area",
    "code",
    "name",
    "sharing",
    "owner_partner",
    "lead_partner",
    "head_of_service",
    "description",
}
COVERAGE_FIELDS = {"service", "partner", "starts_on", "ends_on", "end_reason", "note"}
MEMBERSHIP_FIELDS = {"joined_on", "left_on", "note"}


def _save(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude)
    instance.save()


# Partners


@action
def create_partner(*, acting_user: Any, **fields: Any) -> Partner:
    partner = Partner()
    apply_changes(partner, fields, PARTNER_FIELDS)
    _save(partner)
    return partner


@action
def update_partner(partner: Partner, *, acting_user: Any, **changes: Any) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    apply_changes(partner, changes, PARTNER_FIELDS)
    _save(partner)
    return partner


def _check_membership(
    partner: Partner, joined_on: dt.date, left_on: dt.date | None, exclude_pk: int | None
) -> None:
    validate_period(joined_on, left_on, start_field="joined_on", end_field="left_on")
    others = Membership.objects.filter(partner=partner).exclude(pk=exclude_pk)
    try:
        validate_no_overlap(
            others, joined_on, left_on, what="membership", start_attr="joined_on", end_attr="left_on"
        )
    except ValidationError as exc:
        raise ValidationError({"joined_on": exc.messages}) from exc


@action
def add_membership(
    partner: Partner, *, joined_on: dt.date, left_on: dt.date | None = None, note: str = "", acting_user: Any
) -> Membership:
    Partner.objects.select_for_update().get(pk=partner.pk)  # serialise period checks for this partner
    _check_membership(partner, joined_on, left_on, None)
    membership = Membership(partner=partner, joined_on=joined_on, left_on=left_on, note=note)
    _save(membership)
    return membership


@action
def update_membership(membership: Membership, *, acting_user: Any, **changes: Any) -> Membership:
    Partner.objects.select_for_update().get(pk=membership.partner_id)
    membership = Membership.objects.get(pk=membership.pk)
    apply_changes(membership, changes, MEMBERSHIP_FIELDS)
    _check_membership(membership.partner, membership.joined_on, membership.left_on, membership.pk)
    _save(membership)
    return membership


@action
def end_membership(
    partner: Partner, *, left_on: dt.date, end_coverage: bool = True, acting_user: Any
) -> Membership:
    """The partner leaves on `left_on`; services it still receives end then too (unless told not to)."""
    current = Membership.objects.filter(partner=partner, left_on__isnull=True).order_by("-joined_on").first()
    if current is None:
        raise ValidationError({"left_on": f"{partner.name} has no open membership to end."})
    membership = update_membership(current, left_on=left_on, acting_user=acting_user)
    if end_coverage:
        for coverage in ServiceCoverage.objects.filter(partner=partner).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=left_on), starts_on__lte=left_on
        ):
            update_coverage(coverage, ends_on=left_on, end_reason="partner_left", acting_user=acting_user)
    record_event(
        "partner.left", partner, acting_user=acting_user, partner=partner, data={"left_on": str(left_on)}
    )
    return membership


# Service areas and services


@action
def create_service_area(*, code: str, name: str, acting_user: Any) -> ServiceArea:
    area = ServiceArea(code=code, name=name)
    _save(area)
    return area


def _check_service(service: Service) -> None:
    if service.sharing == Sharing.PARTNER_SPECIFIC and service.owner_partner_id is None:
        raise ValidationError({"owner_partner": "Choose the partner whose service this is."})
    if service.sharing == Sharing.SHARED and service.owner_partner_id is not None:
        raise ValidationError({"owner_partner": "A shared service has no owning partner: leave this blank."})


@action
def create_service(*, acting_user: Any, **fields: Any) -> Service:
    service = Service()
    apply_changes(service, fields, SERVICE_FIELDS)
    _check_service(service)
    _save(service)
    return service


@action
def update_service(service: Service, *, acting_user: Any, **changes: Any) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    apply_changes(service, changes, SERVICE_FIELDS)
    _check_service(service)
    _save(service)
    return service


# Coverage: which partner receives which service, when


def _check_coverage(coverage: ServiceCoverage) -> None:
    validate_period(coverage.starts_on, coverage.ends_on, start_field="starts_on", end_field="ends_on")
    if coverage.ends_on is None and coverage.end_reason:
        raise ValidationError({"end_reason": "Give an end reason only when the coverage has an end date."})
    others = ServiceCoverage.objects.filter(
        service_id=coverage.service_id, partner_id=coverage.partner_id
    ).exclude(pk=coverage.pk)
    try:
        validate_no_overlap(
            others,
            coverage.starts_on,
            coverage.ends_on,
            what=f"period of this service for {coverage.partner.code}",
            start_attr="starts_on",
            end_attr="ends_on",
        )
    except ValidationError as exc:
        raise ValidationError({"starts_on": exc.messages}) from exc


@action
def create_coverage(*, acting_user: Any, **fields: Any) -> ServiceCoverage:
    coverage = ServiceCoverage()
    apply_changes(coverage, fields, COVERAGE_FIELDS)
    if coverage.service_id:
        Service.objects.select_for_update().get(pk=coverage.service_id)
    if coverage.service_id and coverage.partner_id:
        _check_coverage(coverage)
    _save(coverage)
    return coverage


@action
def update_coverage(coverage: ServiceCoverage, *, acting_user: Any, **changes: Any) -> ServiceCoverage:
    Service.objects.select_for_update().get(pk=coverage.service_id)
    coverage = ServiceCoverage.objects.get(pk=coverage.pk)
    apply_changes(coverage, changes, COVERAGE_FIELDS)
    _check_coverage(coverage)
    _save(coverage)
    return coverage


@action
def return_service(
    service: Service, partner: Partner, *, returned_on: dt.date, acting_user: Any
) -> ServiceCoverage:
    """The service goes back to the partner: its coverage ends on `returned_on`."""
    current = ServiceCoverage.objects.filter(service=service, partner=partner, ends_on__isnull=True).first()
    if current is None:
        raise ValidationError({"ends_on": f"{partner.name} does not currently receive {service.name}."})
    coverage = update_coverage(current, ends_on=returned_on, end_reason="returned", acting_user=acting_user)
    record_event(
        "service.returned",
        service,
        acting_user=acting_user,
        partner=partner,
        data={"returned_on": str(returned_on)},
    )
    return coverage


# Financial years


@action
def ensure_financial_years(first: int, last: int, *, acting_user: Any) -> list[FinancialYear]:
    if first > last:
        raise ValidationError({"start_year": "The first year must not be after the last."})
    return [FinancialYear.objects.get_or_create(start_year=year)[0] for year in range(first, last + 1)]


# Users, roles and tokens


@action
def create_user(
    *,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    acting_user: Any,
) -> User:
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save(user, exclude=["password"])
    return user


@action
def assign_role(user: User, role: str, partner: Partner | None = None, *, acting_user: Any) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if role in ALL_PARTNER_ROLES and partner is not None:
        raise ValidationError({"partner": "This role covers every partner: do not choose one."})
    if role not in ALL_PARTNER_ROLES and partner is None:
        raise ValidationError({"partner": "Choose the partner this role is for."})
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, role=role, partner=partner)
    forget_scope(user)
    return assignment


@action
def create_api_token(user: User, *, name: str = "", acting_user: Any) -> tuple[ApiToken, str]:
    """Make a token; returns it with the raw key, which is never stored and cannot be shown again."""
    raw = ApiToken.generate_raw()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=hash_token(raw))
    record_event("api_token.created", token, acting_user=acting_user, data={"user": user.username})
    return token, raw


@action
def revoke_api_token(token: ApiToken, *, acting_user: Any) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


# Working-day calendars


@action
def add_closure_day(partner: Partner, *, date: dt.date, reason: str, acting_user: Any) -> ClosureDay:
    """A day the partner is closed beyond the bank holidays; later working-day deadlines skip it."""
    closure = ClosureDay(partner=partner, date=date, reason=reason.strip())
    if ClosureDay.objects.filter(partner=partner, date=date).exists():
        raise ValidationError({"date": f"{partner.code} already has a closure day on {date:%-d %B %Y}."})
    _save(closure)
    return closure


@action
def remove_closure_day(closure: ClosureDay, *, acting_user: Any) -> None:
    closure.delete()
