"""API for reports: the committee report's contents (JSON), PDF and Word document; commentary per
section; finalising; saved draft and final versions."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Schema

from onesource.core.api_base import Day, ErrorOut, ValidationErrorOut, get_scoped, require
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.reports import actions
from onesource.reports.committee import (
    CommitteeReport,
    build_committee_report,
    committee_pdf,
    report_for_version,
)
from onesource.reports.models import CommitteeReportVersion
from onesource.reports.word import DOCX_CONTENT_TYPE, render_docx

router = Router(tags=["reports"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class SectionOut(Schema):
    key: str
    number: int
    title: str
    commentary: str
    html: str


class VersionOut(Schema):
    partner: str
    start: dt.date
    end: dt.date
    number: int
    status: str
    commentary: dict[str, str]
    created_by: str
    created_at: dt.datetime
    finalised_by: str
    finalised_at: dt.datetime | None

    @staticmethod
    def resolve_partner(obj: CommitteeReportVersion) -> str:
        return obj.partner.code

    @staticmethod
    def resolve_created_by(obj: CommitteeReportVersion) -> str:
        return str(obj.created_by) if obj.created_by else ""

    @staticmethod
    def resolve_finalised_by(obj: CommitteeReportVersion) -> str:
        return str(obj.finalised_by) if obj.finalised_by else ""


class VersionReportOut(Schema):
    version: VersionOut
    sections: list[SectionOut]


class CommentaryIn(Schema):
    start: dt.date
    end: dt.date
    section: str
    text: str


class PeriodIn(Schema):
    start: dt.date
    end: dt.date


class CommitteeReportOut(Schema):
    partner: str
    start: dt.date
    end: dt.date
    sections: list[SectionOut]


def _arguments(request: HttpRequest, code: str, start: dt.date, end: dt.date) -> Partner:
    require(request, Capability.VIEW_REPORTS)
    if start > end:
        raise ValidationError({"end": "The end date must be the same as or after the start date."})
    return get_scoped(request, Partner, Capability.VIEW_REPORTS, code=code.upper())


@router.get("/committee/{code}", response={200: CommitteeReportOut, **ERRORS}, summary="Committee report")
def committee_report(request: HttpRequest, code: str, start: Day, end: Day):
    """Each section that has data, in order, rendered as HTML (the same as the page and the PDF)."""
    partner = _arguments(request, code, start, end)
    versions = actions.versions_of(partner, start, end, request.user)
    commentary = dict(versions[0].commentary) if versions else {}
    report = build_committee_report(partner, start, end, request.user, commentary=commentary)
    return {"partner": partner.code, "start": start, "end": end, "sections": _sections(report)}


def _sections(report: CommitteeReport) -> list[dict[str, Any]]:
    return [
        {"key": s.key, "number": s.number, "title": s.title, "commentary": s.commentary, "html": str(s.html)}
        for s in report.sections
    ]


@router.get("/committee/{code}/pdf", response={200: None, **ERRORS}, summary="Committee report as PDF")
def committee_report_pdf(request: HttpRequest, code: str, start: Day, end: Day):
    partner = _arguments(request, code, start, end)
    versions = actions.versions_of(partner, start, end, request.user)
    commentary = dict(versions[0].commentary) if versions else {}
    pdf, report = committee_pdf(partner, start, end, request.user, commentary=commentary)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.file_name}"'
    return response


@router.get(
    "/committee/{code}/docx", response={200: None, **ERRORS}, summary="Committee report as a Word document"
)
def committee_report_docx(request: HttpRequest, code: str, start: dt.date, end: dt.date):
    partner = _arguments(request, code, start, end)
    versions = actions.versions_of(partner, start, end, request.user)
    commentary = dict(versions[0].commentary) if versions else {}
    report = build_committee_report(partner, start, end, request.user, for_print=True, commentary=commentary)
    return _docx_response(report)


def _docx_response(report: CommitteeReport) -> HttpResponse:
    response = HttpResponse(render_docx(report), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report.file_stem}.docx"'
    return response


@router.get(
    "/committee/{code}/versions", response={200: list[VersionOut], **ERRORS}, summary="Saved versions"
)
def committee_report_versions(request: HttpRequest, code: str, start: dt.date, end: dt.date):
    """Drafts and finals of the partner's report for the period, newest first."""
    partner = _arguments(request, code, start, end)
    return actions.versions_of(partner, start, end, request.user)


@router.get(
    "/committee/{code}/versions/{number}",
    response={200: VersionReportOut, **ERRORS},
    summary="One saved version with its sections",
)
def committee_report_version(request: HttpRequest, code: str, number: int, start: dt.date, end: dt.date):
    """A final version's sections as they were finalised; a draft's from today's data."""
    version = _version(request, code, number, start, end)
    report = report_for_version(version, request.user, for_print=True)
    return {"version": version, "sections": _sections(report)}


@router.get(
    "/committee/{code}/versions/{number}/docx",
    response={200: None, **ERRORS},
    summary="One saved version as a Word document",
)
def committee_report_version_docx(request: HttpRequest, code: str, number: int, start: dt.date, end: dt.date):
    version = _version(request, code, number, start, end)
    return _docx_response(report_for_version(version, request.user, for_print=True))


def _version(
    request: HttpRequest, code: str, number: int, start: dt.date, end: dt.date
) -> CommitteeReportVersion:
    partner = _arguments(request, code, start, end)
    found = next(
        (v for v in actions.versions_of(partner, start, end, request.user) if v.number == number), None
    )
    if found is None:
        raise Http404("No such version")
    return found


@router.post(
    "/committee/{code}/commentary", response={200: VersionOut, **ERRORS}, summary="Set a section's commentary"
)
def set_commentary(request: HttpRequest, code: str, payload: CommentaryIn):
    """Saved in the period's draft (started when there is none); empty text removes the commentary."""
    partner = _arguments(request, code, payload.start, payload.end)
    return actions.save_commentary(
        partner,
        payload.start,
        payload.end,
        section_key=payload.section,
        text=payload.text,
        acting_user=request.user,
    )


@router.post(
    "/committee/{code}/finalise", response={200: VersionOut, **ERRORS}, summary="Finalise the report"
)
def finalise(request: HttpRequest, code: str, payload: PeriodIn):
    """Freeze the draft as a final version, which can no longer change."""
    partner = _arguments(request, code, payload.start, payload.end)
    return actions.finalise_report(partner, payload.start, payload.end, acting_user=request.user)
