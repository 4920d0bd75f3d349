import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from onesource.hr import actions
from onesource.hr.models import Hearing, Letter, Stage

D = dt.date


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def investigate_and_invite(case, people, hearing_day=None):
    hearing_day = hearing_day or D(2025, 12, 22)
    hr = people["hav_hr"]
    actions.start_investigation(
        case, on=D(2025, 11, 5), terms_of_reference="Establish the facts.", acting_user=hr
    )
    actions.record_interview(
        case, party=case.party("complainant"), held_on=D(2025, 11, 10), summary="Saw it.", acting_user=hr
    )
    actions.add_evidence(case, title="System access log", received_on=D(2025, 11, 12), acting_user=hr)
    return actions.invite_to_hearing(
        case, scheduled_for=at(hearing_day), on=D(2025, 12, 8), location="Town Hall", acting_user=hr
    )


@pytest.mark.django_db
def test_a_case_takes_the_acas_steps_in_order_from_raised_to_closed(disciplinary, people):
    hr, case = people["hav_hr"], disciplinary
    assert case.reference == "HAV-DIS-2025-0001"
    with pytest.raises(ValidationError, match="next step is investigation"):
        actions.invite_to_hearing(case, scheduled_for=at(D(2025, 12, 22)), on=D(2025, 12, 8), acting_user=hr)
    hearing = investigate_and_invite(case, people)
    assert case.stage == Stage.INVITATION
    assert case.evidence.get().sent_to_employee_on == D(2025, 12, 8)
    with pytest.raises(ValidationError, match="next step is hearing"):
        actions.record_decision(case, outcome="dismissal", on=D(2025, 12, 22), acting_user=hr)
    actions.hold_hearing(hearing, acting_user=hr)
    actions.record_decision(
        case,
        outcome="final_written_warning",
        on=D(2025, 12, 23),
        note="Both allegations found.",
        acting_user=hr,
    )
    actions.add_party(case, role="appeal_manager", employee=people["ben"], acting_user=hr)
    actions.lodge_appeal(case, lodged_on=D(2026, 1, 5), grounds="The sanction is too severe.", acting_user=hr)
    actions.schedule_appeal_hearing(case, scheduled_for=at(D(2026, 1, 20)), acting_user=hr)
    actions.record_appeal_outcome(case, outcome="not_upheld", on=D(2026, 1, 21), acting_user=hr)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.closed_on == D(2026, 1, 21)
    assert [e.stage for e in case.stage_entries.all()] == [
        "raised",
        "investigation",
        "invitation",
        "hearing",
        "decision",
        "appeal",
        "closed",
    ]
    assert [letter.kind for letter in Letter.objects.filter(case=case)] == [
        "invitation",
        "outcome",
        "appeal_outcome",
    ]


@pytest.mark.django_db
def test_the_invitation_names_the_right_to_be_accompanied_and_the_latest_alternative_day(
    disciplinary, people
):
    investigate_and_invite(disciplinary, people)
    letter = Letter.objects.get(case=disciplinary, kind="invitation")
    text = " ".join(letter.paragraphs)
    assert "right to be accompanied" in text
    assert "trade union representative" in text
    # Proposed Monday 22 December 2025: beginning with Tuesday 23rd, 5 working days end on Wednesday 31st.
    assert "no later than Wednesday 31 December 2025" in text
    assert "Looked up records without a business reason." in text
    assert "System access log" in text
    assert letter.addressee == "Harry Holt"


@pytest.mark.django_db
def test_the_companion_postponement_is_limited_to_five_working_days_across_christmas(disciplinary, people):
    hr = people["hav_hr"]
    hearing = investigate_and_invite(disciplinary, people)
    with pytest.raises(ValidationError, match="by Wednesday 31 December 2025"):
        actions.postpone_hearing(
            hearing,
            scheduled_for=at(D(2026, 1, 2)),
            because="Companion away.",
            companion_unavailable=True,
            on=D(2025, 12, 15),
            acting_user=hr,
        )
    moved = actions.postpone_hearing(
        hearing,
        scheduled_for=at(D(2025, 12, 31)),
        because="The companion could not come.",
        companion_unavailable=True,
        on=D(2025, 12, 15),
        acting_user=hr,
    )
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.POSTPONED
    assert hearing.latest_alternative_on == D(2025, 12, 31)
    assert moved.replaces == hearing
    # The statutory right is used once per hearing.
    with pytest.raises(ValidationError, match="already moved once"):
        actions.postpone_hearing(
            moved,
            scheduled_for=at(D(2026, 1, 5)),
            because="Again.",
            companion_unavailable=True,
            on=D(2025, 12, 16),
            acting_user=hr,
        )
    letters = Letter.objects.filter(case=disciplinary, kind="invitation")
    assert letters.count() == 2
    assert "replaces the one arranged for Monday 22 December 2025" in " ".join(
        letters.order_by("pk").reverse()[0].paragraphs
    )


@pytest.mark.django_db
def test_the_five_working_days_across_easter(disciplinary, people):
    hr = people["hav_hr"]
    # Proposed Thursday 17 April 2025: Good Friday 18th and Easter Monday 21st are bank holidays, so
    # the 5 working days begin on Tuesday 22nd and end on Monday 28 April.
    actions.start_investigation(disciplinary, on=D(2025, 11, 5), terms_of_reference="Facts.", acting_user=hr)
    hearing = Hearing(case=disciplinary, scheduled_for=at(D(2025, 4, 17)))
    assert actions.latest_alternative_day(hearing) == D(2025, 4, 28)


@pytest.mark.django_db
def test_investigator_hearing_manager_and_appeal_manager_are_different_people(people):
    hr = people["hav_hr"]
    case = actions.open_case(
        kind="grievance",
        employee=people["harry"],
        opened_on=D(2025, 10, 1),
        summary="A grievance.",
        acting_user=hr,
    )
    actions.add_party(case, role="investigating_officer", employee=people["ivy"], acting_user=hr)
    with pytest.raises(ValidationError, match="must not be the investigating officer"):
        actions.add_party(case, role="hearing_manager", employee=people["ivy"], acting_user=hr)
    actions.add_party(case, role="hearing_manager", employee=people["mo"], acting_user=hr)
    for involved in ("ivy", "mo"):
        with pytest.raises(ValidationError, match="must not have been involved before"):
            actions.add_party(case, role="appeal_manager", employee=people[involved], acting_user=hr)
    with pytest.raises(ValidationError, match="cannot also manage it"):
        actions.add_party(case, role="appeal_manager", employee=people["harry"], acting_user=hr)
    with pytest.raises(ValidationError, match="colleague or a union representative"):
        actions.add_party(case, role="companion", name="Pat Rep", acting_user=hr)
    actions.add_party(case, role="appeal_manager", employee=people["ben"], acting_user=hr)


@pytest.mark.django_db
def test_decisions_fit_the_kind_of_case(disciplinary, people):
    hr = people["hav_hr"]
    hearing = investigate_and_invite(disciplinary, people)
    actions.hold_hearing(hearing, acting_user=hr)
    with pytest.raises(ValidationError, match="choose one of"):
        actions.record_decision(disciplinary, outcome="upheld", on=D(2025, 12, 23), acting_user=hr)


@pytest.mark.django_db
def test_suspension_is_on_full_pay_and_reviewed_every_four_weeks(disciplinary, people):
    hr = people["hav_hr"]
    suspension = actions.suspend(
        disciplinary, starts_on=D(2025, 11, 3), reason="Risk to records.", acting_user=hr
    )
    assert suspension.on_full_pay is True
    assert suspension.next_review_on == D(2025, 12, 1)
    actions.review_suspension(
        suspension,
        reviewed_on=D(2025, 11, 28),
        note="Investigation continues.",
        continued=True,
        acting_user=hr,
    )
    assert suspension.next_review_on == D(2025, 12, 26)
    actions.review_suspension(
        suspension, reviewed_on=D(2025, 12, 10), note="Lifted.", continued=False, acting_user=hr
    )
    assert suspension.ends_on == D(2025, 12, 10)


@pytest.mark.django_db
def test_only_the_employers_caseworkers_change_a_case(disciplinary, people):
    for outsider in ("new_hr", "manager", "hav_member"):
        with pytest.raises(PermissionDenied):
            actions.add_evidence(
                disciplinary, title="X", received_on=D(2025, 11, 4), acting_user=people[outsider]
            )


@pytest.mark.django_db
def test_mediation_is_an_alternative_route(people):
    hr = people["hav_hr"]
    grievance = actions.open_case(
        kind="bullying_harassment",
        employee=people["harry"],
        opened_on=D(2025, 9, 1),
        summary="Conflict in the team.",
        acting_user=hr,
    )
    actions.add_party(grievance, role="complainant", employee=people["nina"], acting_user=hr)
    mediation = actions.refer_to_mediation(grievance, on=D(2025, 9, 8), acting_user=hr)
    grievance.refresh_from_db()
    assert grievance.stage == Stage.CLOSED and grievance.close_reason == "referred_to_mediation"
    assert mediation.referred_from == grievance and mediation.reference == "HAV-MED-2025-0001"
    with pytest.raises(ValidationError, match="mediator"):
        actions.start_mediation(mediation, on=D(2025, 9, 10), acting_user=hr)
    actions.add_party(mediation, role="mediator", name="Internal mediator", acting_user=hr)
    actions.start_mediation(mediation, on=D(2025, 9, 10), acting_user=hr)
    actions.record_mediation_outcome(mediation, outcome="resolved", on=D(2025, 10, 1), acting_user=hr)
    mediation.refresh_from_db()
    assert mediation.stage == Stage.CLOSED and mediation.mediation_outcome == "resolved"
