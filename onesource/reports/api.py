"""API for reports: the committee report's contents (JSON) and its PDF."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from onesource.core.api_base import Day, ErrorOut, ValidationErrorOut, get_scoped, require
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.reports.committee import build_committee_report, committee_pdf

router = Router(tags=["reports"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class SectionOut(Schema):
    key: str
    number: int
    title: str
    html: str


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
    report = build_committee_report(partner, start, end, request.user)
    return {
        "partner": partner.code,
        "start": start,
        "end": end,
        "sections": [
            {"key": s.key, "number": s.number, "title": s.title, "html": str(s.html)} for s in report.sections
        ],
    }


@router.get("/committee/{code}/pdf", response={200: None, **ERRORS}, summary="Committee report as PDF")
def committee_report_pdf(request: HttpRequest, code: str, start: Day, end: Day):
    partner = _arguments(request, code, start, end)
    pdf, report = committee_pdf(partner, start, end, request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.file_name}"'
    return response
