"""Pages for the partnership: home, partners, services, coverage, financial years, jobs, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.generic import TemplateView

from onesource.core import actions, filters
from onesource.core.audit_display import describe_events, describe_log_entries, describe_parameters
from onesource.core.csvio import csv_writer
from onesource.core.forms import (
    CoverageForm,
    CoverageReportForm,
    LeaveForm,
    MembershipForm,
    PartnerForm,
    ServiceForm,
)
from onesource.core.forms_base import filter_form_helper
from onesource.core.jobs import JOB_KINDS, job_progress, start_job
from onesource.core.models import Event, FinancialYear, Job, Partner, Service, ServiceCoverage
from onesource.core.models.partnership import PartnerKind
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.tasks import tasks_for
from onesource.core.views_base import ActionFormView, Column, ObjectDetailView, ObjectListView, ScopedView


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


def coverage_now_q(today: dt.date, partner_ids: frozenset[int] | None) -> Q:
    """Active coverage rows through a `coverage` relation, limited to partners the user may see."""
    q = Q(coverage__starts_on__lte=today) & (
        Q(coverage__ends_on__isnull=True) | Q(coverage__ends_on__gte=today)
    )
    return q if partner_ids is None else q & Q(coverage__partner_id__in=partner_ids)


class HomeView(ScopedView, TemplateView):
    template_name = "core/home.html"

    def visible_coverage_now(self, today: dt.date) -> Q:
        return coverage_now_q(today, self.scope.partners_with(Capability.VIEW))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        partners = Partner.objects.restrict(user)
        active_memberships = Q(memberships__joined_on__lte=today) & (
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=today)
        )
        coverage_now = ServiceCoverage.objects.restrict(user).filter(ServiceCoverage.active_q(today))
        by_area = (
            Service.objects.restrict(user)
            .values("area__name")
            .annotate(
                services=Count("pk", distinct=True),
                receiving=Count("coverage", filter=self.visible_coverage_now(today), distinct=True),
            )
            .order_by("area__name")
        )
        context.update(
            tasks=tasks_for(user),
            today=today,
            financial_year=FinancialYear(start_year=FinancialYear.start_year_for(today)),
            members_now=partners.filter(active_memberships, kind=PartnerKind.MEMBER).distinct().count(),
            customers_now=partners.filter(active_memberships, kind=PartnerKind.CUSTOMER).distinct().count(),
            partners_total=partners.count(),
            services_total=Service.objects.restrict(user).count(),
            services_shared_now=coverage_now.values("service").distinct().count(),
            coverage_now=coverage_now.count(),
            by_area=by_area,
            my_partners=partners if not self.scope.is_all_partners else None,
        )
        return context


# Partners


class PartnerListView(ObjectListView):
    model = Partner
    title = "Partners"
    filterset_class = filters.PartnerFilter
    default_sort = "name"
    create_url_name = "core:partner-create"
    create_label = "Add a partner"
    columns = [
        Column("code", "Code", sort="code", link=True),
        Column("name", "Name", sort="name"),
        Column("gss_code", "GSS code", sort="gss_code"),
        Column("kind", "Kind", accessor="get_kind_display", sort="kind"),
        Column("joined", "First joined", accessor="first_joined", sort="first_joined"),
        Column("left", "Last left", accessor="last_left", sort="last_left"),
        Column(
            "services", "Services received now", accessor="services_now", numeric=True, sort="services_now"
        ),
    ]

    def base_queryset(self):
        from django.db.models import Max, Min

        today = timezone.localdate()
        return Partner.objects.annotate(
            first_joined=Min("memberships__joined_on"),
            last_left=Max("memberships__left_on"),
            services_now=Count("coverage", filter=coverage_now_q(today, None), distinct=True),
        )


class PartnerDetailView(ObjectDetailView):
    model = Partner
    template_name = "core/partner_detail.html"
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partner = context["object"]
        context["memberships"] = partner.memberships.all()
        context["coverage"] = (
            ServiceCoverage.objects.restrict(self.request.user)
            .filter(partner=partner)
            .select_related("service__area")
            .order_by("service__area__name", "service__name", "starts_on")
        )
        context["can_manage"] = self.scope.has(Capability.MANAGE_PARTNERSHIP)
        return context


class PartnerCreateView(ActionFormView):
    form_class = PartnerForm
    title = "Add a partner"
    success_message = "Partner added."

    def perform(self, form):
        return actions.create_partner(acting_user=self.request.user, **form.cleaned_data)


class PartnerUpdateView(ActionFormView):
    form_class = PartnerForm
    title = "Change partner"
    success_message = "Partner updated."

    def get_object(self) -> Partner:
        return get_scoped_or_404(
            Partner.objects.all(), self.request.user, self.capability, code=self.kwargs["code"]
        )

    def get_initial(self):
        partner = self.get_object()
        return {f: getattr(partner, f) for f in actions.PARTNER_FIELDS}

    def perform(self, form):
        return actions.update_partner(self.get_object(), acting_user=self.request.user, **form.cleaned_data)


class MembershipCreateView(ActionFormView):
    form_class = MembershipForm
    title = "Add a membership period"
    success_message = "Membership period added."

    def get_partner(self) -> Partner:
        return get_scoped_or_404(
            Partner.objects.all(), self.request.user, self.capability, code=self.kwargs["code"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_partner().name
        return context

    def perform(self, form):
        return actions.add_membership(self.get_partner(), acting_user=self.request.user, **form.cleaned_data)


class PartnerLeaveView(MembershipCreateView):
    form_class = LeaveForm  # type: ignore[assignment]
    title = "Record that a partner leaves"
    success_message = "The partner's membership has ended."

    def perform(self, form):
        actions.end_membership(self.get_partner(), acting_user=self.request.user, **form.cleaned_data)
        return self.get_partner()


# Services


class ServiceListView(ObjectListView):
    model = Service
    title = "Services"
    filterset_class = filters.ServiceFilter
    default_sort = "area__name"
    create_url_name = "core:service-create"
    create_label = "Add a service"
    columns = [
        Column("name", "Service", sort="name", link=True),
        Column("area", "Area", accessor="area.name", sort="area__name"),
        Column("sharing", "Sharing", accessor="get_sharing_display", sort="sharing"),
        Column("head", "Head of service", accessor="head_of_service", sort="head_of_service"),
        Column("lead", "Lead council", accessor="lead_partner.code", sort="lead_partner__code"),
        Column(
            "partners", "Partners receiving now", accessor="receiving_now", numeric=True, sort="receiving_now"
        ),
    ]

    def base_queryset(self):
        today = timezone.localdate()
        return Service.objects.select_related("area", "lead_partner", "owner_partner").annotate(
            receiving_now=Count(
                "coverage",
                filter=coverage_now_q(today, self.scope.partners_with(Capability.VIEW)),
                distinct=True,
            )
        )


class ServiceDetailView(ObjectDetailView):
    model = Service
    template_name = "core/service_detail.html"
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def base_queryset(self):
        return Service.objects.select_related("area", "lead_partner", "owner_partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["coverage"] = (
            ServiceCoverage.objects.restrict(self.request.user)
            .filter(service=context["object"])
            .select_related("partner")
            .order_by("starts_on", "partner__name")
        )
        context["can_manage"] = self.scope.has(Capability.MANAGE_PARTNERSHIP)
        return context


class ServiceCreateView(ActionFormView):
    form_class = ServiceForm
    title = "Add a service"
    success_message = "Service added."

    def perform(self, form):
        return actions.create_service(acting_user=self.request.user, **form.cleaned_data)


class ServiceUpdateView(ActionFormView):
    form_class = ServiceForm
    title = "Change service"
    success_message = "Service updated."

    def get_object(self) -> Service:
        return get_scoped_or_404(
            Service.objects.all(), self.request.user, Capability.VIEW, code=self.kwargs["code"]
        )

    def get_initial(self):
        service = self.get_object()
        return {f: getattr(service, f) for f in actions.SERVICE_FIELDS}

    def perform(self, form):
        return actions.update_service(self.get_object(), acting_user=self.request.user, **form.cleaned_data)


# Coverage


class CoverageListView(ObjectListView):
    model = ServiceCoverage
    title = "Service coverage"
    filterset_class = filters.CoverageFilter
    default_sort = "service__name"
    create_url_name = "core:coverage-create"
    create_label = "Add coverage"
    columns = [
        Column("service", "Service", accessor="service.name", sort="service__name", link=True),
        Column("area", "Area", accessor="service.area.name", sort="service__area__name"),
        Column("partner", "Partner", accessor="partner.code", sort="partner__code"),
        Column("from", "From", accessor="starts_on", sort="starts_on"),
        Column("to", "To", accessor="ends_on", sort="ends_on"),
        Column("reason", "End reason", accessor="get_end_reason_display"),
    ]

    def base_queryset(self):
        return ServiceCoverage.objects.select_related("service__area", "partner")


class CoverageDetailView(ObjectDetailView):
    model = ServiceCoverage
    template_name = "core/coverage_detail.html"

    def base_queryset(self):
        return ServiceCoverage.objects.select_related("service__area", "partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.scope.has(Capability.MANAGE_PARTNERSHIP)
        return context


class CoverageCreateView(ActionFormView):
    form_class = CoverageForm
    title = "Add service coverage"
    success_message = "Coverage added."

    def get_initial(self):
        initial = {}
        if code := self.request.GET.get("service"):
            initial["service"] = Service.objects.filter(code=code).first()
        if code := self.request.GET.get("partner"):
            initial["partner"] = Partner.objects.filter(code=code).first()
        return initial

    def perform(self, form):
        return actions.create_coverage(acting_user=self.request.user, **form.cleaned_data)


class CoverageUpdateView(ActionFormView):
    form_class = CoverageForm
    title = "Change service coverage"
    success_message = "Coverage updated."

    def get_object(self) -> ServiceCoverage:
        return get_scoped_or_404(
            ServiceCoverage.objects.all(), self.request.user, Capability.VIEW, pk=self.kwargs["pk"]
        )

    def get_initial(self):
        coverage = self.get_object()
        return {f: getattr(coverage, f) for f in actions.COVERAGE_FIELDS}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["end_reason"] = data.get("end_reason") or ""
        return actions.update_coverage(self.get_object(), acting_user=self.request.user, **data)


class FinancialYearListView(ScopedView, TemplateView):
    template_name = "core/financial_years.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["years"] = FinancialYear.objects.all()
        context["current"] = FinancialYear.start_year_for(timezone.localdate())
        return context


# Jobs


class JobListView(ObjectListView):
    model = Job
    title = "Jobs"
    capability = Capability.RUN_JOBS
    default_sort = "-created_at"
    create_url_name = "core:job-start-coverage"
    create_label = "Run a coverage report"
    create_capability = Capability.RUN_JOBS
    empty_message = "No jobs have been run yet."
    columns = [
        Column("kind", "Job", accessor="kind_label", link=True),
        Column("partner", "Partner", accessor="partner.name"),
        Column("status", "Status", accessor="get_status_display", sort="status"),
        Column("by", "Started by", accessor="created_by"),
        Column("at", "Started", accessor="created_at", sort="created_at"),
        Column("message", "Result", accessor="message"),
    ]

    def base_queryset(self):
        return Job.objects.select_related("partner", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for obj, _ in context["rows"]:
            obj.kind_label = (
                JOB_KINDS[obj.kind].label if obj.kind in JOB_KINDS else "A kind of job no longer offered"
            )
        context["rows"] = [(obj, [(c, c.value(obj)) for c in self.columns]) for obj, _ in context["rows"]]
        return context


class JobDetailView(ObjectDetailView):
    model = Job
    capability = Capability.RUN_JOBS
    template_name = "core/job_detail.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["core/_job_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = context["object"]
        progress = job_progress(job)
        total = progress["total"] or 0
        context["progress"] = progress
        context["percent"] = int(100 * progress["done"] / total) if total else (100 if job.is_finished else 0)
        kind = JOB_KINDS.get(job.kind)
        context["kind_label"] = kind.label if kind else "A kind of job no longer offered"
        context["parameters"] = describe_parameters(job.params or {}, kind.parameters if kind else {})
        return context


class JobOutputView(ScopedView, TemplateView):
    capability = Capability.RUN_JOBS
    model = Job

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        job = get_scoped_or_404(Job.objects.all(), request.user, self.capability, pk=kwargs["pk"])
        if not job.output:
            raise Http404("This job has no output.")
        return FileResponse(job.output.open("rb"), as_attachment=True, filename=job.output_name or "output")


class CoverageReportStartView(ActionFormView):
    form_class = CoverageReportForm
    capability = Capability.RUN_JOBS
    title = "Service coverage report"
    success_message = "The report has started. This page shows its progress."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        year = FinancialYear.start_year_for(timezone.localdate())
        return {"first_year": 2014, "last_year": year}

    def perform(self, form):
        data = form.cleaned_data
        return start_job(
            "core.coverage_report",
            {"first_year": data["first_year"], "last_year": data["last_year"]},
            partner=data["partner"],
            acting_user=self.request.user,
        )


# Audit trail


class AuditListView(ScopedView, TemplateView):
    """Every field change, in words; health records' changes only to those who may see health data."""

    capability = Capability.VIEW_AUDIT
    template_name = "core/audit_list.html"

    def get(self, request, *args, **kwargs):
        from onesource.core.audit_filters import AuditFilter

        filterset = AuditFilter(
            request.GET or None, queryset=LogEntry.objects.select_related("actor", "content_type")
        )
        filterset.form.helper = filter_form_helper(filterset.form)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        queryset = queryset.order_by("-timestamp", "-pk")
        if request.GET.get("format") == "csv":
            return audit_csv(queryset, self.scope, describe_log_entries, "audit-trail.csv")
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.render_to_response(
            self.get_context_data(
                page=page,
                entries=describe_log_entries(page.object_list, self.scope),
                filterset=filterset,
                query_without_page=query.urlencode(),
            )
        )


class AuditEventListView(ScopedView, TemplateView):
    """Business events (runs approved, health records opened...) for auditors and the platform admin.

    This is where health reads are kept: never in an object's history that anyone with VIEW could
    read. The event's data (how many records) shows only to those who may see health data."""

    capability = Capability.VIEW_AUDIT
    template_name = "core/audit_events.html"

    def get(self, request, *args, **kwargs):
        from onesource.core.audit_filters import EventFilter

        filterset = EventFilter(
            request.GET or None, queryset=Event.objects.select_related("actor", "content_type")
        )
        filterset.form.helper = filter_form_helper(filterset.form)
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        queryset = queryset.order_by("-at", "-pk")
        if request.GET.get("format") == "csv":
            return audit_csv(queryset, self.scope, describe_events, "audit-events.csv")
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return self.render_to_response(
            self.get_context_data(
                page=page,
                entries=describe_events(page.object_list, self.scope),
                filterset=filterset,
                query_without_page=query.urlencode(),
            )
        )


def audit_csv(queryset, scope, describe, filename):
    """The audit trail as CSV, in the same words as the page, described a chunk at a time."""

    from django.http import StreamingHttpResponse

    class Echo:
        def write(self, value):
            return value

    writer = csv_writer(Echo())

    def rows():
        yield writer.writerow(
            ["When", "Timestamp", "Who", "What", "Type of object", "Object", "Details", "Request"]
        )
        chunk = []
        for record in queryset.iterator(chunk_size=500):
            chunk.append(record)
            if len(chunk) == 500:
                yield from _csv_rows(writer, describe(chunk, scope))
                chunk = []
        yield from _csv_rows(writer, describe(chunk, scope))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_rows(writer, entries):
    for e in entries:
        details = "; ".join(
            f"{field}: {before} → {after}" if before else f"{field}: {after}"
            for field, before, after in e.changes
        )
        yield writer.writerow(
            [
                e.when,
                e.at.replace(microsecond=0).isoformat(),
                e.who,
                e.what,
                e.object_type,
                e.object_name,
                "Details withheld (health data)" if e.withheld else details,
                e.request_id,
            ]
        )
