"""Every change to HR casework. Pages, the API, the CLI and the demo all call these.

Each action checks that the acting user does casework for the employing council, enforces the Acas
order and its rules, records the day of each stage, and is audited (see `core.audit.action`). Bad
input raises `ValidationError` keyed by field and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max

from onesource.core.audit import action, record_event
from onesource.core.models import Partner, Service, User
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.core.workingdays import calendar_for
from onesource.hr import letters
from onesource.hr.models import (
    COMPLAINT_KINDS,
    COMPLAINT_OUTCOMES,
    INVOLVED_BEFORE_APPEAL,
    SANCTION_OUTCOMES,
    Allegation,
    AppealOutcome,
    Case,
    CaseKind,
    CaseParty,
    CaseworkSetting,
    CloseReason,
    Evidence,
    Hearing,
    Interview,
    LetterKind,
    MediationOutcome,
    Outcome,
    PartyRole,
    Stage,
    StageEntry,
    Suspension,
    SuspensionReview,
    latest_alternative_day,
)

KIND_PREFIX = {
    CaseKind.DISCIPLINARY: "DIS",
    CaseKind.GRIEVANCE: "GRV",
    CaseKind.CAPABILITY: "CAP",
    CaseKind.BULLYING_HARASSMENT: "BH",
    CaseKind.MEDIATION: "MED",
}
SUSPENSION_REVIEW_DAYS = 28  # reviewed at least every four weeks


def _require_casework(user: Any, case_or_partner: Case | Partner) -> None:
    partner_id = (
        case_or_partner.employing_partner_id if isinstance(case_or_partner, Case) else case_or_partner.pk
    )
    if not scope_for(user).has(Capability.MANAGE_CASEWORK, partner_id):
        raise PermissionDenied("Only HR caseworkers of the employing council may change this case.")


def _save(instance: Any) -> None:
    instance.full_clean()
    instance.save()


def _last_stage_day(case: Case) -> dt.date:
    last = case.stage_entries.aggregate(day=Max("entered_on"))["day"]
    return last or case.opened_on


def _check_day(case: Case, on: dt.date, field: str = "on") -> None:
    last = _last_stage_day(case)
    if on < last:
        raise ValidationError({field: f"Give a day on or after {last:%-d %B %Y}, the case's last step."})
    if on > dt.date.today() + dt.timedelta(days=366):
        raise ValidationError({field: "Give a day within the next year."})


def _enter(case: Case, stage: str, on: dt.date, note: str = "", *, acting_user: Any) -> None:
    """Move the case to `stage` on day `on`, which must come next in its route."""
    route = case.route
    if case.stage == Stage.CLOSED:
        raise ValidationError({"__all__": f"{case.reference} is closed."})
    current, wanted = route.index(case.stage), route.index(stage) if stage in route else -1
    if wanted != current + 1:
        expected = Stage(route[current + 1]).label.lower()
        raise ValidationError(
            {
                "__all__": f"{case.reference} is at {case.get_stage_display().lower()}: "
                f"the next step is {expected}."
            }
        )
    _check_day(case, on)
    previous = case.stage
    case.stage = stage
    case.save(update_fields=["stage"])
    StageEntry.objects.create(case=case, stage=stage, entered_on=on, note=note)
    record_event(
        "hr_case.stage",
        case,
        acting_user=acting_user,
        partner=case.employing_partner,
        data={"from": previous, "to": stage, "on": on.isoformat()},
    )


def _next_reference(partner: Partner, kind: str, year: int) -> str:
    prefix = f"{partner.code}-{KIND_PREFIX[CaseKind(kind)]}-{year}-"
    taken = Case.objects.filter(reference__startswith=prefix).count()
    number = taken + 1
    while Case.objects.filter(reference=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


# Opening a case and its parties


@action
def open_case(
    *,
    kind: str,
    employee: Any,
    opened_on: dt.date,
    summary: str,
    allegations: list[str] | None = None,
    service: Service | None = None,
    referred_from: Case | None = None,
    acting_user: Any,
) -> Case:
    """A new case about `employee`, under their employing council's policy."""
    partner = employee.employing_partner
    _require_casework(acting_user, partner)
    if kind not in CaseKind.values:
        raise ValidationError({"kind": "Choose the kind of case."})
    if not summary.strip():
        raise ValidationError({"summary": "Say in a few words what the case is about."})
    if opened_on > dt.date.today():
        raise ValidationError({"opened_on": "A case cannot be opened in the future."})
    if opened_on < employee.started_on:
        raise ValidationError({"opened_on": "The case opens before the employee started."})
    case = Case(
        reference=_next_reference(partner, kind, opened_on.year),
        kind=kind,
        employing_partner=partner,
        service=service,
        opened_on=opened_on,
        summary=summary.strip(),
        referred_from=referred_from,
    )
    _save(case)
    StageEntry.objects.create(case=case, stage=Stage.RAISED, entered_on=opened_on)
    CaseParty.objects.create(case=case, role=PartyRole.EMPLOYEE, employee=employee, partner=partner)
    if getattr(acting_user, "pk", None):
        CaseParty.objects.create(case=case, role=PartyRole.CASEWORKER, user=acting_user)
    for text in allegations or []:
        if text.strip():
            Allegation.objects.create(case=case, text=text.strip())
    record_event(
        "hr_case.opened",
        case,
        acting_user=acting_user,
        partner=partner,
        data={"kind": kind, "opened_on": opened_on.isoformat()},
    )
    return case


def _check_party_rules(case: Case, party: CaseParty) -> None:
    others = [p for p in case.parties.all() if p.pk != party.pk]
    same_person = [p for p in others if p.person_key == party.person_key]
    roles_held = {p.role for p in same_person}
    managing = {PartyRole.HEARING_MANAGER, PartyRole.INVESTIGATING_OFFICER, PartyRole.APPEAL_MANAGER}
    if party.role in managing and roles_held & {PartyRole.EMPLOYEE, PartyRole.COMPLAINANT}:
        raise ValidationError({"role": "Someone the case is about cannot also manage it."})
    if party.role == PartyRole.HEARING_MANAGER and PartyRole.INVESTIGATING_OFFICER in roles_held:
        raise ValidationError({"role": "The hearing manager must not be the investigating officer."})
    if party.role == PartyRole.INVESTIGATING_OFFICER and PartyRole.HEARING_MANAGER in roles_held:
        raise ValidationError({"role": "The investigating officer must not be the hearing manager."})
    if party.role == PartyRole.APPEAL_MANAGER and roles_held & INVOLVED_BEFORE_APPEAL:
        held = ", ".join(sorted(PartyRole(r).label.lower() for r in roles_held & INVOLVED_BEFORE_APPEAL))
        raise ValidationError(
            {"role": f"The appeal manager must not have been involved before (they are the {held})."}
        )
    if party.role == PartyRole.COMPANION and not party.companion_kind:
        raise ValidationError(
            {"companion_kind": "Say whether the companion is a colleague or a union representative."}
        )
    single = {
        PartyRole.INVESTIGATING_OFFICER,
        PartyRole.HEARING_MANAGER,
        PartyRole.APPEAL_MANAGER,
        PartyRole.EMPLOYEE,
    }
    if party.role in single and any(p.role == party.role for p in others):
        raise ValidationError({"role": f"The case already has its {PartyRole(party.role).label.lower()}."})
    if any(p.role == party.role for p in same_person):
        raise ValidationError({"role": f"They are already the {PartyRole(party.role).label.lower()}."})


@action
def add_party(
    case: Case,
    *,
    role: str,
    employee: Any = None,
    user: User | None = None,
    name: str = "",
    companion_kind: str = "",
    acting_user: Any,
) -> CaseParty:
    """Someone joins the case in a role: an employee of any partner, a user, or someone named."""
    _require_casework(acting_user, case)
    if case.stage == Stage.CLOSED:
        raise ValidationError({"__all__": f"{case.reference} is closed."})
    if role not in PartyRole.values:
        raise ValidationError({"role": "Choose the party's role."})
    if employee is None and user is None and not name.strip():
        raise ValidationError({"employee": "Choose an employee, a user or give a name."})
    partner = employee.employing_partner if employee is not None else None
    party = CaseParty(
        case=case,
        role=role,
        employee=employee,
        user=user,
        name=name.strip(),
        partner=partner,
        companion_kind=companion_kind if role == PartyRole.COMPANION else "",
    )
    _check_party_rules(case, party)
    _save(party)
    record_event(
        "hr_case.party_added",
        case,
        acting_user=acting_user,
        partner=case.employing_partner,
        data={"role": role},
    )
    return party


@action
def remove_party(party: CaseParty, *, acting_user: Any) -> None:
    _require_casework(acting_user, party.case)
    if party.role == PartyRole.EMPLOYEE:
        raise ValidationError({"role": "The employee the case is about cannot be removed."})
    if party.interviews.exists():
        raise ValidationError({"role": "They were interviewed; the interview record keeps them on the case."})
    case, role = party.case, party.role
    party.delete()
    record_event(
        "hr_case.party_removed",
        case,
        acting_user=acting_user,
        partner=case.employing_partner,
        data={"role": role},
    )


# Investigation


@action
def start_investigation(case: Case, *, on: dt.date, terms_of_reference: str, acting_user: Any) -> Case:
    _require_casework(acting_user, case)
    if not terms_of_reference.strip():
        raise ValidationError({"terms_of_reference": "Set out what the investigation is to establish."})
    if case.party(PartyRole.INVESTIGATING_OFFICER) is None:
        raise ValidationError({"__all__": "Add the investigating officer to the case first."})
    case.terms_of_reference = terms_of_reference.strip()
    case.save(update_fields=["terms_of_reference"])
    _enter(case, Stage.INVESTIGATION, on, acting_user=acting_user)
    return case


@action
def record_interview(
    case: Case, *, party: CaseParty, held_on: dt.date, summary: str, acting_user: Any
) -> Interview:
    _require_casework(acting_user, case)
    if case.stage != Stage.INVESTIGATION:
        raise ValidationError({"__all__": "Interviews are recorded during the investigation."})
    if party.case_id != case.pk:
        raise ValidationError({"party": "Choose someone on this case."})
    if held_on < _last_stage_day(case):
        raise ValidationError({"held_on": "The interview is before the investigation began."})
    if not summary.strip():
        raise ValidationError({"summary": "Summarise what was said."})
    interview = Interview(case=case, party=party, held_on=held_on, summary=summary.strip())
    _save(interview)
    return interview


@action
def add_evidence(
    case: Case, *, title: str, received_on: dt.date, description: str = "", acting_user: Any
) -> Evidence:
    _require_casework(acting_user, case)
    if case.stage == Stage.CLOSED:
        raise ValidationError({"__all__": f"{case.reference} is closed."})
    evidence = Evidence(
        case=case, title=title.strip(), description=description.strip(), received_on=received_on
    )
    _save(evidence)
    return evidence


# Suspension


@action
def suspend(case: Case, *, starts_on: dt.date, reason: str, acting_user: Any) -> Suspension:
    """Suspension on full pay (never otherwise), with its first review four weeks on."""
    _require_casework(acting_user, case)
    if case.kind not in (CaseKind.DISCIPLINARY, CaseKind.BULLYING_HARASSMENT):
        raise ValidationError(
            {"__all__": "Only a disciplinary or bullying and harassment case suspends someone."}
        )
    if case.suspensions.filter(ends_on__isnull=True).exists():
        raise ValidationError({"__all__": "The employee is already suspended."})
    if starts_on < case.opened_on:
        raise ValidationError({"starts_on": "The suspension starts before the case was opened."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why suspension is needed rather than another arrangement."})
    suspension = Suspension(
        case=case,
        starts_on=starts_on,
        reason=reason.strip(),
        next_review_on=starts_on + dt.timedelta(days=SUSPENSION_REVIEW_DAYS),
    )
    _save(suspension)
    record_event(
        "hr_case.suspended",
        case,
        acting_user=acting_user,
        partner=case.employing_partner,
        data={"starts_on": starts_on.isoformat()},
    )
    return suspension


@action
def review_suspension(
    suspension: Suspension, *, reviewed_on: dt.date, note: str, continued: bool, acting_user: Any
) -> SuspensionReview:
    case = suspension.case
    _require_casework(acting_user, case)
    if suspension.ends_on is not None:
        raise ValidationError({"__all__": "This suspension has ended."})
    if reviewed_on < suspension.starts_on:
        raise ValidationError({"reviewed_on": "The review is before the suspension began."})
    if not note.strip():
        raise ValidationError({"note": "Record why the suspension continues or ends."})
    review = SuspensionReview(
        suspension=suspension, case=case, reviewed_on=reviewed_on, note=note.strip(), continued=continued
    )
    _save(review)
    if continued:
        suspension.next_review_on = reviewed_on + dt.timedelta(days=SUSPENSION_REVIEW_DAYS)
    else:
        suspension.ends_on = reviewed_on
    suspension.save(update_fields=["next_review_on", "ends_on"])
    return review


# Hearings and letters


def _hearing_manager_checked(case: Case, role: str) -> CaseParty:
    manager = case.party(role)
    if manager is None:
        raise ValidationError({"__all__": f"Add the {PartyRole(role).label.lower()} to the case first."})
    return manager


@action
def invite_to_hearing(
    case: Case,
    *,
    scheduled_for: dt.datetime,
    on: dt.date,
    location: str = "",
    acting_user: Any,
) -> Hearing:
    """Invite the employee in writing to a hearing, with the evidence; the letter names the right to
    be accompanied. Dated `on`; the hearing must be after it."""
    _require_casework(acting_user, case)
    _hearing_manager_checked(case, PartyRole.HEARING_MANAGER)
    if scheduled_for.date() <= on:
        raise ValidationError(
            {
                "scheduled_for": "Give the employee time to prepare: "
                "hold the hearing after the day of the letter."
            }
        )
    _enter(case, Stage.INVITATION, on, acting_user=acting_user)
    case.evidence.filter(sent_to_employee_on__isnull=True).update(sent_to_employee_on=on)
    hearing = Hearing(
        case=case, kind=Hearing.Kind.HEARING, scheduled_for=scheduled_for, location=location.strip()
    )
    _save(hearing)
    letters.write_letter(case, LetterKind.INVITATION, on, hearing=hearing)
    return hearing


@action
def postpone_hearing(
    hearing: Hearing,
    *,
    scheduled_for: dt.datetime,
    because: str,
    companion_unavailable: bool,
    on: dt.date,
    acting_user: Any,
) -> Hearing:
    """Move a hearing to a new time and write again. When the companion cannot come, the new time
    must fall within the statutory five working days; that right is used once per hearing."""
    case = hearing.case
    _require_casework(acting_user, case)
    if hearing.status != Hearing.Status.SCHEDULED:
        raise ValidationError({"__all__": "Only a scheduled hearing can be moved."})
    if not because.strip():
        raise ValidationError({"because": "Say why the hearing is moved."})
    latest = None
    if companion_unavailable:
        chain, earlier = [], hearing.replaces
        while earlier is not None:
            chain.append(earlier)
            earlier = earlier.replaces
        if any(h.companion_unavailable for h in chain):
            raise ValidationError(
                {"companion_unavailable": "The hearing was already moved once for the companion."}
            )
        latest = latest_alternative_day(hearing)
        if scheduled_for.date() > latest:
            raise ValidationError(
                {
                    "scheduled_for": "When the companion cannot come, "
                    f"the new time must be by {latest:%A %-d %B %Y}."
                }
            )
        if not calendar_for(case.employing_partner_id).is_working_day(scheduled_for.date()):
            raise ValidationError({"scheduled_for": "Choose a working day."})
    if scheduled_for.date() <= on:
        raise ValidationError({"scheduled_for": "The new time must be after the day of the letter."})
    hearing.status = Hearing.Status.POSTPONED
    hearing.postponed_because = because.strip()
    hearing.companion_unavailable = companion_unavailable
    hearing.latest_alternative_on = latest
    hearing.save(
        update_fields=["status", "postponed_because", "companion_unavailable", "latest_alternative_on"]
    )
    moved = Hearing(
        case=case, kind=hearing.kind, scheduled_for=scheduled_for, location=hearing.location, replaces=hearing
    )
    _save(moved)
    record_event(
        "hr_case.hearing_postponed",
        case,
        acting_user=acting_user,
        partner=case.employing_partner,
        data={"companion_unavailable": companion_unavailable, "latest": latest.isoformat() if latest else ""},
    )
    if hearing.kind == Hearing.Kind.HEARING:
        letters.write_letter(case, LetterKind.INVITATION, on, hearing=moved)
    return moved


@action
def hold_hearing(hearing: Hearing, *, acting_user: Any) -> Hearing:
    case = hearing.case
    _require_casework(acting_user, case)
    if hearing.status != Hearing.Status.SCHEDULED:
        raise ValidationError({"__all__": "This hearing was moved or has already been held."})
    hearing.status = Hearing.Status.HELD
    hearing.save(update_fields=["status"])
    if hearing.kind == Hearing.Kind.HEARING:
        _enter(case, Stage.HEARING, hearing.scheduled_for.date(), acting_user=acting_user)
    return hearing


@action
def record_decision(
    case: Case,
    *,
    outcome: str,
    on: dt.date,
    note: str = "",
    findings: dict[int, str] | None = None,
    acting_user: Any,
) -> Case:
    _require_casework(acting_user, case)
    allowed = COMPLAINT_OUTCOMES if case.kind in COMPLAINT_KINDS else SANCTION_OUTCOMES
    if outcome not in allowed:
        choices = ", ".join(Outcome(o).label.lower() for o in sorted(allowed))
        raise ValidationError(
            {"outcome": f"For a {case.get_kind_display().lower()} case choose one of: {choices}."}
        )
    _enter(case, Stage.DECISION, on, note, acting_user=acting_user)
    case.outcome, case.outcome_on, case.outcome_note = outcome, on, note.strip()
    case.save(update_fields=["outcome", "outcome_on", "outcome_note"])
    for allegation in case.allegations.all():
        finding = (findings or {}).get(allegation.pk, "")
        if finding:
            allegation.finding = finding
            _save(allegation)
    letters.write_letter(case, LetterKind.OUTCOME, on)
    return case


@action
def lodge_appeal(case: Case, *, lodged_on: dt.date, grounds: str, acting_user: Any) -> Case:
    """The employee appeals; heard by an appeal manager not involved before (add them first)."""
    _require_casework(acting_user, case)
    _hearing_manager_checked(case, PartyRole.APPEAL_MANAGER)
    if not grounds.strip():
        raise ValidationError({"grounds": "Set out the grounds of the appeal."})
    _enter(case, Stage.APPEAL, lodged_on, grounds, acting_user=acting_user)
    case.appeal_lodged_on = lodged_on
    case.save(update_fields=["appeal_lodged_on"])
    return case


@action
def schedule_appeal_hearing(
    case: Case, *, scheduled_for: dt.datetime, location: str = "", acting_user: Any
) -> Hearing:
    _require_casework(acting_user, case)
    if case.stage != Stage.APPEAL:
        raise ValidationError({"__all__": "Lodge the appeal first."})
    if case.appeal_lodged_on and scheduled_for.date() < case.appeal_lodged_on:
        raise ValidationError({"scheduled_for": "The appeal hearing is before the appeal was lodged."})
    hearing = Hearing(
        case=case, kind=Hearing.Kind.APPEAL, scheduled_for=scheduled_for, location=location.strip()
    )
    _save(hearing)
    return hearing


@action
def record_appeal_outcome(case: Case, *, outcome: str, on: dt.date, note: str = "", acting_user: Any) -> Case:
    """The appeal's outcome is final: the letter goes out and the case closes."""
    _require_casework(acting_user, case)
    if case.stage != Stage.APPEAL:
        raise ValidationError({"__all__": "There is no appeal to decide."})
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": "Choose the appeal's outcome."})
    _check_day(case, on)
    case.appeal_outcome, case.appeal_outcome_on = outcome, on
    case.save(update_fields=["appeal_outcome", "appeal_outcome_on"])
    letters.write_letter(case, LetterKind.APPEAL_OUTCOME, on, note=note)
    _close(case, on, CloseReason.CONCLUDED, acting_user=acting_user)
    return case


# Closing, and mediation


def _close(case: Case, on: dt.date, reason: str, *, acting_user: Any) -> None:
    if case.stage == Stage.CLOSED:
        raise ValidationError({"__all__": f"{case.reference} is already closed."})
    _check_day(case, on)
    previous = case.stage
    case.stage, case.closed_on, case.close_reason = Stage.CLOSED, on, reason
    case.save(update_fields=["stage", "closed_on", "close_reason"])
    StageEntry.objects.create(case=case, stage=Stage.CLOSED, entered_on=on)
    record_event(
        "hr_case.stage",
        case,
        acting_user=acting_user,
        partner=case.employing_partner,
        data={"from": previous, "to": Stage.CLOSED, "on": on.isoformat(), "reason": reason},
    )


@action
def close_case(case: Case, *, on: dt.date, reason: str, acting_user: Any) -> Case:
    """Close a case: concluded after its decision (no appeal) or mediation, or earlier for a reason."""
    _require_casework(acting_user, case)
    if reason not in CloseReason.values:
        raise ValidationError({"reason": "Choose why the case closes."})
    if reason == CloseReason.CONCLUDED:
        done = Stage.MEDIATION if case.kind == CaseKind.MEDIATION else Stage.DECISION
        if case.stage != done:
            raise ValidationError(
                {"reason": "A case is concluded after its decision; choose another reason."}
            )
        if case.kind == CaseKind.MEDIATION and not case.mediation_outcome:
            raise ValidationError({"reason": "Record the mediation's outcome first."})
    if reason == CloseReason.REFERRED_TO_MEDIATION:
        raise ValidationError({"reason": "Refer the case to mediation instead."})
    _close(case, on, reason, acting_user=acting_user)
    return case


@action
def refer_to_mediation(case: Case, *, on: dt.date, acting_user: Any) -> Case:
    """Offer mediation instead of the formal route: a mediation case opens and this one closes."""
    _require_casework(acting_user, case)
    if case.kind == CaseKind.MEDIATION:
        raise ValidationError({"__all__": "This is already a mediation case."})
    if case.stage not in (Stage.RAISED, Stage.INVESTIGATION):
        raise ValidationError({"__all__": "Mediation is offered before a hearing is arranged."})
    employee_party = case.party(PartyRole.EMPLOYEE)
    assert employee_party is not None and employee_party.employee is not None
    mediation = open_case(
        kind=CaseKind.MEDIATION,
        employee=employee_party.employee,
        opened_on=on,
        summary=f"Mediation offered instead of the formal process of {case.reference}.",
        service=case.service,
        referred_from=case,
        acting_user=acting_user,
    )
    for party in case.parties.filter(role=PartyRole.COMPLAINANT):
        CaseParty.objects.create(
            case=mediation,
            role=PartyRole.COMPLAINANT,
            employee=party.employee,
            user=party.user,
            name=party.name,
            partner=party.partner,
        )
    _close(case, on, CloseReason.REFERRED_TO_MEDIATION, acting_user=acting_user)
    return mediation


@action
def start_mediation(case: Case, *, on: dt.date, acting_user: Any) -> Case:
    _require_casework(acting_user, case)
    if case.party(PartyRole.MEDIATOR) is None:
        raise ValidationError({"__all__": "Add the mediator to the case first."})
    _enter(case, Stage.MEDIATION, on, acting_user=acting_user)
    return case


@action
def record_mediation_outcome(case: Case, *, outcome: str, on: dt.date, acting_user: Any) -> Case:
    """The mediation's outcome; the case closes with it."""
    _require_casework(acting_user, case)
    if case.kind != CaseKind.MEDIATION or case.stage != Stage.MEDIATION:
        raise ValidationError({"__all__": "Only a mediation under way has an outcome to record."})
    if outcome not in MediationOutcome.values:
        raise ValidationError({"outcome": "Choose whether the mediation resolved the matter."})
    case.mediation_outcome = outcome
    case.save(update_fields=["mediation_outcome"])
    _close(case, on, CloseReason.CONCLUDED, acting_user=acting_user)
    return case


@action
def set_cost_per_formal_case(partner: Partner, *, amount: Decimal, acting_user: Any) -> CaseworkSetting:
    _require_casework(acting_user, partner)
    setting, _ = CaseworkSetting.objects.get_or_create(partner=partner)
    setting.cost_per_formal_case = amount
    _save(setting)
    return setting


@action
def update_case(case: Case, *, acting_user: Any, **changes: Any) -> Case:
    """Change what the case says (summary, service, terms of reference); its stage moves only by
    the steps above."""
    _require_casework(acting_user, case)
    allowed = {"summary", "service", "terms_of_reference"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({"__all__": f"These cannot be changed directly: {', '.join(sorted(unknown))}."})
    for name, value in changes.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    if not case.summary:
        raise ValidationError({"summary": "Say in a few words what the case is about."})
    _save(case)
    return case
