"""Workforce pages: the dashboard, posts, employees and their history, forms through the actions."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.generic import TemplateView

from onesource.core.csvio import csv_writer
from onesource.core.figures import named_figure
from onesource.core.models import Partner
from onesource.core.periods import financial_year_of
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ActionFormView, Column, ObjectDetailView, ObjectListView, ScopedView
from onesource.workforce import actions, charts, filters
from onesource.workforce.figures import WorkforceFigures
from onesource.workforce.forms import (
    AssignmentForm,
    ContractForm,
    DashboardForm,
    EmployeeForm,
    FurloughForm,
    LeaverForm,
    PostForm,
    RiskAssessmentForm,
    SecondmentForm,
    SicknessForm,
    TimeSplitForm,
)
from onesource.workforce.health import may_view_health, read_health_records
from onesource.workforce.models import Assignment, Employee, Post

GO_LIVE = dt.date(2014, 4, 1)


# Dashboard


class DashboardView(ScopedView, TemplateView):
    template_name = "workforce/dashboard.html"

    def filters(self) -> tuple[DashboardForm, dict[str, Any]]:
        today = timezone.localdate()
        form = DashboardForm(self.request.GET or None, user=self.request.user)
        values: dict[str, Any] = {}
        if form.is_bound and form.is_valid():
            values = dict(form.cleaned_data)
        day = values.get("date") or today
        end = values.get("end") or day
        year_start = dt.date(financial_year_of(end), 4, 1)
        start = values.get("start") or year_start
        if start > end:
            form.add_error("start", "The period must start on or before its end.")
            start = year_start if year_start <= end else end
        values.update(date=day, start=start, end=end)
        return form, values

    def figures_for(self, values: dict[str, Any]) -> WorkforceFigures:
        return WorkforceFigures(
            self.request.user,
            partner=values.get("partner"),
            area=values.get("area"),
            service=values.get("service"),
            contract_type=values.get("contract_type") or "",
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        form, values = self.filters()
        figures = self.figures_for(values)
        if request.GET.get("format") == "csv":
            return self.csv(figures, values)
        return self.render_to_response(self.build_context(form, values, figures))

    def build_context(
        self, form: DashboardForm, values: dict[str, Any], figures: WorkforceFigures
    ) -> dict[str, Any]:
        day: dt.date = values["date"]
        snapshot = figures.snapshot(day)
        period = figures.period(values["start"], values["end"])
        trend_end = max(day, values["end"])
        points = figures.monthly_series(GO_LIVE, trend_end, step_months=3)
        last_year = min(financial_year_of(trend_end), timezone.localdate().year - 1)
        sickness = figures.sickness_by_year(2014, max(last_year, 2014))
        names = dict(Partner.objects.restrict(self.request.user).values_list("code", "name"))
        query = self.request.GET.copy()
        query.pop("format", None)
        return self.get_context_data(
            form=form,
            values=values,
            snapshot=snapshot,
            period=period,
            points=points,
            sickness=sickness,
            partner_names=names,
            contract_labels=charts.CONTRACT_LABELS,
            charts=[
                ("trend", charts.headcount_trend(points, "Headcount and FTE at each quarter end")),
                ("temporary", charts.temporary_trend(points)),
                ("partners", charts.by_partner(snapshot, names)),
                ("contracts", charts.by_contract_type(snapshot)),
                ("areas", charts.by_area(snapshot)),
                ("sickness", charts.sickness_per_fte(sickness)),
            ],
            figure_definitions=[
                named_figure(key) for key in ("headcount", "fte", "fte_served", "days_lost_per_fte")
            ],
            query=query.urlencode(),
            has_data=snapshot.headcount > 0 or any(p.headcount for p in points),
        )

    def csv(self, figures: WorkforceFigures, values: dict[str, Any]) -> HttpResponse:
        """Every table on the dashboard as one CSV: table, key, headcount, FTE."""
        day: dt.date = values["date"]
        snapshot = figures.snapshot(day)
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(["table", "key", "headcount", "fte"])
        writer.writerow(["total", day.isoformat(), snapshot.headcount, snapshot.fte])
        for table, rows in (
            ("employed_by", snapshot.by_employer),
            ("working_for", snapshot.by_partner_served),
            ("contract_type", snapshot.by_contract_type),
            ("service_area", snapshot.by_area),
            ("service", snapshot.by_service),
        ):
            for key, row in rows.items():
                writer.writerow([table, key, row["headcount"], row["fte"]])
        for point in figures.monthly_series(GO_LIVE, max(day, values["end"]), step_months=1):
            writer.writerow(["month_end", point.day.isoformat(), point.headcount, point.fte])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="workforce-{day.isoformat()}.csv"'
        return response


# Posts


class PostListView(ObjectListView):
    model = Post
    title = "Posts"
    filterset_class = filters.PostFilter
    default_sort = "service__name"
    create_url_name = "workforce:post-create"
    create_label = "Add a post"
    create_capability = Capability.MANAGE_WORKFORCE
    empty_message = "No posts match these filters."
    columns = [
        Column("reference", "Reference", sort="reference", link=True),
        Column("title", "Title", sort="title"),
        Column("service", "Service", accessor="service.name", sort="service__name"),
        Column("grade", "Grade", sort="grade"),
        Column("fte", "FTE", numeric=True, sort="fte"),
        Column(
            "cost",
            "Budgeted cost (£)",
            accessor="budgeted_annual_cost",
            numeric=True,
            sort="budgeted_annual_cost",
        ),
        Column("funding", "Funding", accessor="funding_label"),
        Column("starts_on", "From", sort="starts_on"),
        Column("ends_on", "To", sort="ends_on"),
    ]

    def base_queryset(self):
        return Post.objects.select_related("service", "funded_by")


class PostDetailView(ObjectDetailView):
    model = Post
    template_name = "workforce/post_detail.html"

    def base_queryset(self):
        return Post.objects.select_related("service__area", "funded_by", "reports_to")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        post = context["object"]
        context["assignments"] = (
            Assignment.objects.restrict(self.request.user)
            .filter(post=post)
            .select_related("employee")
            .order_by("-starts_on")
        )
        context["direct_reports"] = Post.objects.restrict(self.request.user).filter(reports_to=post)
        context["can_manage"] = self.scope.has(Capability.MANAGE_WORKFORCE)
        return context


POST_FORM_FIELDS = sorted(actions.POST_FIELDS)


class PostCreateView(ActionFormView):
    form_class = PostForm
    capability = Capability.MANAGE_WORKFORCE
    title = "Add a post"
    success_message = "Post added."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["reference"] = data["reference"].strip().upper()
        return actions.create_post(acting_user=self.request.user, **data)


class PostUpdateView(PostCreateView):
    title = "Change post"
    success_message = "Post updated."

    def get_object(self) -> Post:
        return get_scoped_or_404(
            Post.objects.all(), self.request.user, Capability.MANAGE_WORKFORCE, pk=self.kwargs["pk"]
        )

    def get_initial(self):
        post = self.get_object()
        return {f: getattr(post, f) for f in POST_FORM_FIELDS}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["reference"] = data["reference"].strip().upper()
        return actions.update_post(self.get_object(), acting_user=self.request.user, **data)


# Employees


class EmployeeListView(ObjectListView):
    model = Employee
    title = "Employees"
    filterset_class = filters.EmployeeFilter
    default_sort = "last_name"
    create_url_name = "workforce:employee-create"
    create_label = "Add an employee"
    create_capability = Capability.MANAGE_WORKFORCE
    empty_message = "Nobody matches these filters."
    columns = [
        Column("staff_number", "Staff number", sort="staff_number", link=True),
        Column("last_name", "Last name", sort="last_name"),
        Column("first_name", "First name", sort="first_name"),
        Column("employer", "Employed by", accessor="employing_partner.code", sort="employing_partner__code"),
        Column("started_on", "Started", sort="started_on"),
        Column("left_on", "Left", sort="left_on"),
        Column("leaving_reason", "Leaving reason", accessor="get_leaving_reason_display"),
    ]

    def base_queryset(self):
        return Employee.objects.select_related("employing_partner")


class EmployeeDetailView(ObjectDetailView):
    model = Employee
    template_name = "workforce/employee_detail.html"
    lookup_field = "staff_number"
    lookup_url_kwarg = "staff_number"

    def base_queryset(self):
        return Employee.objects.select_related("employing_partner")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        employee: Employee = context["object"]
        context.update(
            assignments=employee.assignments.select_related("post__service").order_by("-starts_on"),
            contract_periods=employee.contract_periods.order_by("-starts_on"),
            time_splits=employee.time_splits.prefetch_related("shares__partner").order_by("-starts_on"),
            secondments=employee.secondments.select_related("from_partner", "to_partner").order_by(
                "-starts_on"
            ),
            furlough_periods=employee.furlough_periods.order_by("-starts_on"),
            can_manage=self.scope.has(Capability.MANAGE_WORKFORCE, employee.employing_partner_id),
            health_allowed=may_view_health(self.request.user, employee),
        )
        return context


class EmployeeHealthView(ObjectDetailView):
    """The person's health records on their own page, so that each look is a deliberate, logged read."""

    model = Employee
    template_name = "workforce/employee_health.html"
    lookup_field = "staff_number"
    lookup_url_kwarg = "staff_number"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        records = read_health_records(self.request.user, context["object"], purpose="page")
        if records is None:
            raise PermissionDenied("Only HR officers of the employing partner may see health data.")
        context["records"] = records
        context["can_record"] = True
        return context


class EmployeeCreateView(ActionFormView):
    form_class = EmployeeForm
    capability = Capability.MANAGE_WORKFORCE
    title = "Add an employee"
    success_message = "Employee added."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return actions.create_employee(acting_user=self.request.user, **form.cleaned_data)


class EmployeeChildView(ActionFormView):
    """A form that adds to one person's history; needs MANAGE_WORKFORCE for their employer."""

    capability = Capability.MANAGE_WORKFORCE

    def get_employee(self) -> Employee:
        if not hasattr(self, "_employee"):
            employee = get_scoped_or_404(
                Employee.objects.select_related("employing_partner"),  # type: ignore[arg-type]
                self.request.user,
                Capability.VIEW,
                staff_number=self.kwargs["staff_number"],
            )
            if not self.scope.has(Capability.MANAGE_WORKFORCE, employee.employing_partner_id):
                raise PermissionDenied("Only the employing partner's HR may change this person's record.")
            self._employee = employee
        return self._employee

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.request = request
            self.kwargs = kwargs
            self.get_employee()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_employee().full_name
        return context

    def get_success_url(self, obj: Any = None) -> str:
        return self.get_employee().get_absolute_url()


class EmployeeUpdateView(EmployeeChildView):
    form_class = EmployeeForm
    title = "Change employee details"
    success_message = "Employee updated."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        employee = self.get_employee()
        return {
            f: getattr(employee, f)
            for f in ("staff_number", "first_name", "last_name", "employing_partner", "started_on")
        }

    def perform(self, form):
        return actions.update_employee(
            self.get_employee(), acting_user=self.request.user, **form.cleaned_data
        )


class AssignmentCreateView(EmployeeChildView):
    form_class = AssignmentForm
    title = "Assign to a post"
    success_message = "Assignment added."

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return actions.add_assignment(self.get_employee(), acting_user=self.request.user, **form.cleaned_data)


class ContractCreateView(EmployeeChildView):
    form_class = ContractForm
    title = "Add a contract period"
    success_message = "Contract period added."

    def perform(self, form):
        return actions.add_contract_period(
            self.get_employee(), acting_user=self.request.user, **form.cleaned_data
        )


class TimeSplitCreateView(EmployeeChildView):
    form_class = TimeSplitForm
    title = "Set how the person's time is split"
    success_message = "Time split set."

    def perform(self, form):
        data = form.cleaned_data
        return actions.set_time_split(
            self.get_employee(),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            shares=data["shares"],
            acting_user=self.request.user,
        )


class LeaverView(EmployeeChildView):
    form_class = LeaverForm
    title = "Record that the person leaves"
    success_message = "Leaver recorded."

    def perform(self, form):
        return actions.record_leaver(self.get_employee(), acting_user=self.request.user, **form.cleaned_data)


class SecondmentCreateView(EmployeeChildView):
    form_class = SecondmentForm
    title = "Add a secondment"
    success_message = "Secondment added."

    def perform(self, form):
        return actions.add_secondment(self.get_employee(), acting_user=self.request.user, **form.cleaned_data)


class FurloughCreateView(EmployeeChildView):
    form_class = FurloughForm
    title = "Add a furlough period"
    success_message = "Furlough period added."

    def perform(self, form):
        return actions.add_furlough(self.get_employee(), acting_user=self.request.user, **form.cleaned_data)


class HealthChildView(EmployeeChildView):
    """Adds special category health data: only for those who may see the person's health records
    (VIEW_HEALTH for the employing partner); the form shows no existing records, so reads none."""

    capability = Capability.VIEW_HEALTH

    def get_employee(self) -> Employee:
        employee = super().get_employee()
        if not may_view_health(self.request.user, employee):
            raise PermissionDenied("Only HR officers of the employing partner may record health data.")
        return employee

    def get_success_url(self, obj: Any = None) -> str:
        from django.urls import reverse

        return reverse("workforce:employee-health", args=[self.get_employee().staff_number])


class RiskAssessmentCreateView(HealthChildView):
    form_class = RiskAssessmentForm
    title = "Add a risk assessment"
    success_message = "Risk assessment added."

    def perform(self, form):
        return actions.add_risk_assessment(
            self.get_employee(), acting_user=self.request.user, **form.cleaned_data
        )


class SicknessCreateView(EmployeeChildView):
    form_class = SicknessForm
    capability = Capability.VIEW_HEALTH
    title = "Record a sickness absence"
    success_message = "Sickness absence recorded."

    def get_employee(self) -> Employee:
        employee = super().get_employee()
        if not may_view_health(self.request.user, employee):
            raise PermissionDenied("Only HR officers of the employing partner may record health data.")
        return employee

    def perform(self, form):
        return actions.record_sickness(
            self.get_employee(), acting_user=self.request.user, **form.cleaned_data
        )

    def get_success_url(self, obj: Any = None) -> str:
        from django.urls import reverse

        return reverse("workforce:employee-health", args=[self.get_employee().staff_number])
