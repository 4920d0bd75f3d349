"""Casework letters: written from templates (`hr/letters/<kind>.txt`, one paragraph per blank-line
block, so a council can change the wording), kept as sent, and given out as PDF or Word."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.template.loader import render_to_string

from onesource.core.workingdays import calendar_for
from onesource.hr.models import (
    AppealOutcome,
    Case,
    CaseKind,
    Hearing,
    Letter,
    LetterKind,
    Outcome,
    PartyRole,
    latest_alternative_day,
)

APPEAL_WORKING_DAYS = 10  # the time to appeal most councils' policies give

SUBJECTS = {
    LetterKind.INVITATION: "Invitation to a {kind} hearing",
    LetterKind.OUTCOME: "Outcome of your {kind} hearing",
    LetterKind.APPEAL_OUTCOME: "Outcome of your appeal",
}
POSSIBLE_OUTCOMES = {
    CaseKind.DISCIPLINARY: "The outcome of the hearing may be no action, a written warning, a final written "
    "warning or, if the allegations amount to gross misconduct, dismissal.",
    CaseKind.CAPABILITY: "The outcome of the hearing may be no action, support with a written warning, "
    "or, if the required improvement has not been made, dismissal.",
}


def kind_words(case: Case) -> str:
    return case.get_kind_display().lower()


def policy_name(case: Case) -> str:
    return f"{kind_words(case)} policy"


def _name(case: Case, role: str) -> str:
    party = case.party(role)
    return party.display_name if party is not None else ""


def appeal_by(case: Case, decided_on: dt.date) -> dt.date:
    calendar = calendar_for(case.employing_partner_id)
    return calendar.add_working_days(calendar.next_working_day(decided_on), APPEAL_WORKING_DAYS)


def _paragraphs(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text.strip())
    return [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in blocks
        if block.strip()
    ]


def letter_context(
    case: Case, kind: str, on: dt.date, hearing: Hearing | None = None, note: str = ""
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "case": case,
        "partner": case.employing_partner,
        "kind_words": kind_words(case),
        "policy_name": policy_name(case),
        "hearing_manager": _name(case, PartyRole.HEARING_MANAGER),
        "investigator": _name(case, PartyRole.INVESTIGATING_OFFICER),
        "appeal_manager": _name(case, PartyRole.APPEAL_MANAGER),
        "note": note.strip(),
    }
    if kind == LetterKind.INVITATION:
        assert hearing is not None
        context.update(
            hearing=hearing,
            replaced=hearing.replaces,
            allegations=list(case.allegations.all()),
            evidence=[e.title for e in case.evidence.all()],
            latest_alternative=latest_alternative_day(hearing),
            possible_outcome=POSSIBLE_OUTCOMES.get(CaseKind(case.kind), ""),
        )
    elif kind == LetterKind.OUTCOME:
        held = case.hearings.filter(kind=Hearing.Kind.HEARING, status=Hearing.Status.HELD).last()
        context.update(
            held_on=held.scheduled_for.date() if held else on,
            outcome=Outcome(case.outcome).label.lower(),
            findings=[a for a in case.allegations.all() if a.finding],
            appeal_by=appeal_by(case, on),
        )
    else:
        context.update(
            outcome=Outcome(case.outcome).label.lower() if case.outcome else "the decision",
            appeal_outcome=AppealOutcome(case.appeal_outcome).label.lower(),
        )
    return context


def write_letter(
    case: Case, kind: str, on: dt.date, *, hearing: Hearing | None = None, note: str = ""
) -> Letter:
    """Write the letter from its template and keep it as sent (called inside the casework actions)."""
    # The letter names several parties: read them, with their people, once.
    case = Case.objects.prefetch_related("parties__employee", "parties__user").get(pk=case.pk)
    text = render_to_string(f"hr/letters/{kind}.txt", letter_context(case, kind, on, hearing, note))
    caseworker = case.party(PartyRole.CASEWORKER)
    signatory = caseworker.display_name if caseworker is not None else "Human Resources"
    return Letter.objects.create(
        case=case,
        kind=kind,
        dated=on,
        addressee=_name(case, PartyRole.EMPLOYEE),
        subject=SUBJECTS[LetterKind(kind)].format(kind=kind_words(case)),
        paragraphs=_paragraphs(text),
        signatory=f"{signatory}, Human Resources, {case.employing_partner.name}",
    )


def letter_filename(letter: Letter, extension: str) -> str:
    return f"{letter.case.reference}-{letter.kind.replace('_', '-')}-{letter.dated.isoformat()}.{extension}"


def letter_pdf(letter: Letter) -> bytes:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_to_string("hr/letter_pdf.html", {"letter": letter})
    return HTML(string=html).write_pdf()


def letter_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    heading.add_run(letter.case.employing_partner.name).bold = True
    heading.add_run("\nHuman Resources\nPrivate and confidential")
    document.add_paragraph(f"{letter.dated:%-d %B %Y}")
    document.add_paragraph(letter.addressee)
    document.add_paragraph(f"Our reference: {letter.case.reference}")
    document.add_paragraph().add_run(letter.subject).bold = True
    document.add_paragraph(f"Dear {letter.addressee},")
    for paragraph in letter.paragraphs:
        document.add_paragraph(paragraph)
    document.add_paragraph(f"Yours sincerely,\n\n{letter.signatory}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
