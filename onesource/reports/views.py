"""Pages for the committee report: choose a partner and period, read the report, add commentary per
section, finalise it, read saved versions, download it as PDF or Word."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from onesource.core.models import Partner
from onesource.core.periods import financial_year_of
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ScopedView
from onesource.reports import actions
from onesource.reports.committee import (
    CommitteeReport,
    build_committee_report,
    committee_pdf,
    render_pdf,
    report_for_version,
)
from onesource.reports.forms import CommitteeReportForm
from onesource.reports.models import CommitteeReportVersion
from onesource.reports.word import DOCX_CONTENT_TYPE, render_docx


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the start of the previous financial year to the end of last month."""
    fy_start = financial_year_of(today)
    end = today.replace(day=1) - dt.timedelta(days=1)
    return dt.date(fy_start - 1, 4, 1), end


def report_url(code: str, start: dt.date, end: dt.date, name: str = "reports:committee") -> str:
    return reverse(name, args=[code]) + "?" + urlencode({"from": start.isoformat(), "to": end.isoformat()})


class ReportIndexView(ScopedView, TemplateView):
    capability = Capability.VIEW_REPORTS
    template_name = "reports/index.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        form = CommitteeReportForm(request.GET or None, user=request.user)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            return HttpResponseRedirect(report_url(data["partner"].code, data["start"], data["end"]))
        if not form.is_bound:
            start, end = default_period(timezone.localdate())
            partners = Partner.objects.restrict(request.user, self.capability)
            form = CommitteeReportForm(
                initial={
                    "start": start,
                    "end": end,
                    "partner": partners.first() if partners.count() == 1 else None,
                },
                user=request.user,
            )
        form.helper.form_method = "get"
        return self.render_to_response(self.get_context_data(form=form, title="Committee report"))


class CommitteeReportMixin(ScopedView):
    capability = Capability.VIEW_REPORTS
    model = Partner
    kwargs: dict[str, Any]

    def report_arguments(self) -> tuple[Partner, dt.date, dt.date] | None:
        partner = get_scoped_or_404(
            Partner.objects.all(), self.request.user, self.capability, code=self.kwargs["code"].upper()
        )
        form = CommitteeReportForm(
            {
                "partner": partner.code,
                "start": self.request.GET.get("from"),
                "end": self.request.GET.get("to"),
            },
            user=self.request.user,
        )
        if not form.is_valid():
            return None
        return partner, form.cleaned_data["start"], form.cleaned_data["end"]

    def bad_period(self) -> HttpResponse:
        query = urlencode(
            {
                "partner": self.kwargs["code"].upper(),
                "start": self.request.GET.get("from", ""),
                "end": self.request.GET.get("to", ""),
            }
        )
        return HttpResponseRedirect(reverse("reports:index") + "?" + query)


def working_commentary(partner: Partner, start: dt.date, end: dt.date, user: Any) -> dict[str, str]:
    """The commentary the report shows today: the draft's, or else the latest final's."""
    versions = actions.versions_of(partner, start, end, user)
    return dict(versions[0].commentary) if versions else {}


def pdf_response(pdf: bytes, report: CommitteeReport) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.file_name}"'
    return response


def docx_response(report: CommitteeReport) -> HttpResponse:
    response = HttpResponse(render_docx(report), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report.file_stem}.docx"'
    return response


class CommitteeReportView(CommitteeReportMixin, TemplateView):
    template_name = "reports/committee.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        arguments = self.report_arguments()
        if arguments is None:
            return self.bad_period()
        return self.show(*arguments)

    def show(
        self,
        partner: Partner,
        start: dt.date,
        end: dt.date,
        errors: dict[str, str] | None = None,
        entered: dict[str, str] | None = None,
    ) -> HttpResponse:
        commentary = {**working_commentary(partner, start, end, self.request.user), **(entered or {})}
        report = build_committee_report(partner, start, end, self.request.user, commentary=commentary)
        versions = actions.versions_of(partner, start, end, self.request.user)
        title = f"Committee report: {partner.name}"
        return self.render_to_response(
            self.get_context_data(
                report=report,
                sections=[(section, (errors or {}).get(section.key, "")) for section in report.sections],
                pdf_url=report_url(partner.code, start, end, "reports:committee-pdf"),
                docx_url=report_url(partner.code, start, end, "reports:committee-docx"),
                finalise_url=report_url(partner.code, start, end, "reports:committee-finalise"),
                may_write=actions.may_write_report(self.request.user, partner),
                versions=versions,
                draft=next((v for v in versions if not v.is_final), None),
                errors=errors or {},
                title=f"Error: {title}" if errors else title,
            ),
            status=400 if errors else 200,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        arguments = self.report_arguments()
        if arguments is None:
            return self.bad_period()
        partner, start, end = arguments
        section = request.POST.get("section", "")
        text = request.POST.get("commentary", "")
        try:
            actions.save_commentary(
                partner, start, end, section_key=section, text=text, acting_user=request.user
            )
        except ValidationError as error:
            message = next(iter(error.messages), "Check the commentary")
            return self.show(partner, start, end, errors={section: message}, entered={section: text})
        messages.success(request, "Commentary saved in the draft")
        return HttpResponseRedirect(report_url(partner.code, start, end) + f"#section-{section}")


class FinaliseReportView(CommitteeReportMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        arguments = self.report_arguments()
        if arguments is None:
            return self.bad_period()
        version = actions.finalise_report(*arguments, acting_user=request.user)
        messages.success(request, f"Version {version.number} is final: it can no longer be changed")
        return HttpResponseRedirect(version.get_absolute_url())


class ReportVersionView(CommitteeReportMixin, TemplateView):
    """One saved version: a final one exactly as it was finalised, a draft with today's figures."""

    template_name = "reports/committee_version.html"

    def version(self) -> CommitteeReportVersion:
        arguments = self.report_arguments()
        if arguments is None:
            raise Http404("No such report version")
        partner, start, end = arguments
        found = next(
            (
                v
                for v in actions.versions_of(partner, start, end, self.request.user)
                if v.number == self.kwargs["number"]
            ),
            None,
        )
        if found is None:
            raise Http404("No such report version")
        return found

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        version = self.version()
        output = request.GET.get("format", "")
        if output == "pdf":
            report = report_for_version(version, request.user, for_print=True)
            return pdf_response(render_pdf(report), report)
        if output == "docx":
            return docx_response(report_for_version(version, request.user, for_print=True))
        report = report_for_version(version, request.user)
        return self.render_to_response(
            self.get_context_data(
                report=report,
                version=version,
                report_url=report_url(version.partner.code, version.start, version.end),
                title=f"Committee report: {version.partner.name}, version {version.number}",
            )
        )


class CommitteeReportDocxView(CommitteeReportMixin, TemplateView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        arguments = self.report_arguments()
        if arguments is None:
            return self.bad_period()
        commentary = working_commentary(*arguments, request.user)
        report = build_committee_report(*arguments, request.user, for_print=True, commentary=commentary)
        return docx_response(report)


class CommitteeReportPdfView(CommitteeReportMixin, TemplateView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        arguments = self.report_arguments()
        if arguments is None:
            return self.bad_period()
        commentary = working_commentary(*arguments, request.user)
        pdf, report = committee_pdf(*arguments, request.user, commentary=commentary)
        return pdf_response(pdf, report)
