"""Pages for the committee report: choose a partner and period, read the report, download its PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from onesource.core.models import Partner
from onesource.core.periods import financial_year_of
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ScopedView
from onesource.reports.committee import build_committee_report, committee_pdf
from onesource.reports.forms import CommitteeReportForm


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


class CommitteeReportView(CommitteeReportMixin, TemplateView):
    template_name = "reports/committee.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        arguments = self.report_arguments()
        if arguments is None:
            return self.bad_period()
        partner, start, end = arguments
        report = build_committee_report(partner, start, end, request.user)
        return self.render_to_response(
            self.get_context_data(
                report=report,
                pdf_url=report_url(partner.code, start, end, "reports:committee-pdf"),
                title=f"Committee report: {partner.name}",
            )
        )


class CommitteeReportPdfView(CommitteeReportMixin, TemplateView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        arguments = self.report_arguments()
        if arguments is None:
            return self.bad_period()
        pdf, report = committee_pdf(*arguments, request.user)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.file_name}"'
        return response
