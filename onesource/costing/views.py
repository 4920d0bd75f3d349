"""Pages for cost sharing: recharge runs and statements, agreements, budgets, actuals, driver figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.text import slugify
from django.views.generic import TemplateView

from onesource.core.jobs import start_job
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ActionFormView, Column, ObjectDetailView, ObjectListView, ScopedView
from onesource.costing import actions, filters, forms
from onesource.costing.models import (
    ActualLine,
    Agreement,
    BudgetLine,
    DriverQuantity,
    RechargeCharge,
    RechargeRun,
    RunSignOff,
    SupportUsage,
    TimeEntry,
)
from onesource.costing.statements import build_statement, statement_csv, statement_pdf_for_download
from onesource.costing.visibility import own_share, sees_partnership_totals, sign_off_progress, sign_off_rows

# The costing pages, linked from the top of each (label, url name).
SECTIONS = [
    ("Recharge runs", "costing:run-list"),
    ("Agreements", "costing:agreement-list"),
    ("Budgets", "costing:budget-list"),
    ("Actuals", "costing:actual-list"),
    ("Caseloads and transactions", "costing:quantity-list"),
    ("Time recorded", "costing:time-list"),
    ("Support usage", "costing:usage-list"),
]


class CostingPage:
    """Adds the costing section links to a page's context."""

    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["sections"] = [
            {"label": label, "url": reverse(name), "current": self.request.path == reverse(name)}
            for label, name in SECTIONS
        ]
        return context


class CostingList(CostingPage, ObjectListView):
    template_name = "costing/list.html"
    create_capability = Capability.MANAGE_FINANCE
    intro: ClassVar[str] = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = self.intro
        return context


class CostingForm(ActionFormView):
    capability = Capability.MANAGE_FINANCE

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


# Recharge runs


class RunListView(CostingList):
    model = RechargeRun
    title = "Recharge runs"
    intro = (
        "Each run works out every partner's share of every service's cost and variance for a financial year. "
        "A run is a draft until a finance officer approves it; a correction is a new version."
    )
    filterset_class = filters.RechargeRunFilter
    default_sort = "-year"
    create_url_name = "costing:run-start"
    create_label = "Start a recharge run"
    empty_message = "No recharge runs yet."

    # A council's users see their own share; the partnership's total would give the others' away.
    @property
    def columns(self) -> list[Column]:  # type: ignore[override]
        if sees_partnership_totals(self.request.user):
            amount = Column(
                "total", "Charged in all (£)", accessor="check_out", numeric=True, sort="check_out"
            )
        else:
            amount = Column(
                "total", "Your share (£)", accessor="shown_share_amount", numeric=True, sort="shown_share"
            )
        return [
            Column("run", "Run", accessor="__str__", link=True),
            Column("year", "Year", accessor="year_label", sort="year"),
            Column("status", "Status", accessor="get_status_display", sort="status"),
            Column("method", "Support method", accessor="method_used_label"),
            amount,
            Column("by", "Built by", accessor="built_by_name"),
            Column("approved", "Approved", accessor="approved_on"),
        ]

    def base_queryset(self):
        runs = RechargeRun.objects.select_related("created_by", "approved_by")
        if sees_partnership_totals(self.request.user):
            return runs
        partners = list(Partner.objects.restrict(self.request.user).values_list("pk", flat=True))
        return runs.annotate(shown_share=Sum("charges__total", filter=Q(charges__partner_id__in=partners)))


class RunDetailView(CostingPage, ObjectDetailView):
    model = RechargeRun
    template_name = "costing/run_detail.html"

    def base_queryset(self):
        return RechargeRun.objects.select_related("created_by", "approved_by", "previous", "estimate")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run: RechargeRun = context["object"]
        user = self.request.user
        visible = RechargeCharge.objects.restrict(user).filter(run=run)
        partners = (
            visible.values("partner__code", "partner__name")
            .annotate(
                budget=Sum("budget_share"),
                variance=Sum("variance_share"),
                own_budget=Sum("nonshared_budget"),
                own_variance=Sum("nonshared_variance"),
                total=Sum("total"),
            )
            .order_by("partner__name")
        )
        codes = {p["partner__code"] for p in partners}
        sees_totals = sees_partnership_totals(user)
        sign_offs = sign_off_rows(run, user)
        # Each service's whole cost is a partnership figure: a council reads its lines on its statement.
        costs = (
            list(
                run.service_costs.select_related("service__area").order_by(
                    "service__area__name", "service__name"
                )
            )
            if sees_totals
            else []
        )
        # Support pools are kept by service code; people read the service's name.
        names = {cost.service.code: cost.service.name for cost in costs}
        support_rows = []
        for cost in costs:
            for pool, amounts in sorted(cost.support_from.items()):
                support_rows.append(
                    {"service": cost.service, "pool": pool, "pool_name": names.get(pool, pool), **amounts}
                )
        context.update(
            title=str(run),
            partners=partners,
            costs=costs,
            support_rows=support_rows,
            changes=[c for c in run.changes if self.scope.is_all_partners or c["partner"] in codes],
            sign_offs=sign_offs,
            sign_off_progress=sign_off_progress(run),
            to_sign=[
                row
                for row in sign_offs
                if run.is_draft
                and row["decision_code"] == "waiting"
                and actions.can_sign_off(user, row["sign_off"].partner)
                and run.created_by_id != user.pk
            ],
            # That the run was rejected is for everyone who sees it; by whom and why, for the shared service.
            rejected=run.sign_offs.filter(decision="rejected").exists(),
            sees_totals=sees_totals,
            own_total=own_share(run, user),
            can_approve=run.is_draft
            and sees_totals
            and not [r for r in sign_offs if r["decision_code"] != "signed"]
            and actions.can_build_runs(user),
            can_manage=actions.can_build_runs(user),
            can_delete=run.is_draft and actions.can_build_runs(user),
            totals={
                "budget": sum((c.budget_total for c in costs), Decimal(0)),
                "actual": sum((c.actual_total for c in costs), Decimal(0)),
                "variance": sum((c.variance for c in costs if not c.is_support), Decimal(0)),
            },
        )
        return context


class RunStartView(CostingPage, ActionFormView):
    form_class = forms.RunStartForm
    capability = Capability.MANAGE_FINANCE
    title = "Start a recharge run"
    success_message = "The run has started. This page shows its progress; the run is listed when it finishes."

    def perform(self, form):
        if not actions.can_build_runs(self.request.user):
            raise ValidationError(
                {
                    "__all__": "Only shared-service finance builds partnership-wide runs: "
                    "you sign off your statement."
                }
            )
        data = form.cleaned_data
        return start_job(
            "costing.recharge_run",
            {
                "year": data["year"],
                "up_to_month": data["up_to_month"],
                "estimate": data["estimate"],
                "support_method": data["support_method"] or "",
                "note": data["note"],
            },
            acting_user=self.request.user,
        )


class RunApproveView(ActionFormView):
    """Approve a run every member has signed off. The last sign-off normally does it; this page is for a
    run with no member statements, and otherwise shows whose sign-off is missing."""

    form_class = forms.ApproveForm
    capability = Capability.MANAGE_FINANCE
    title = "Approve the recharge run"
    success_message = "The run is approved. It can no longer change."

    def get_run(self) -> RechargeRun:
        return get_scoped_or_404(
            RechargeRun.objects.all(), self.request.user, Capability.VIEW, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        context["caption"] = f"{run} · charged £{run.check_out:,.2f}"
        context["back_url"] = run.get_absolute_url()
        return context

    def perform(self, form):
        return actions.approve_run(self.get_run(), acting_user=self.request.user)


class StatementSignOffView(ActionFormView):
    """A council's finance officer signs off, or rejects, its own statement in a draft run."""

    form_class = forms.SignOffForm
    capability = Capability.APPROVE_FINANCE
    title = "Sign off your statement"

    def get_target(self) -> tuple[RechargeRun, Partner]:
        user = self.request.user
        run = get_scoped_or_404(RechargeRun.objects.all(), user, Capability.VIEW, pk=self.kwargs["pk"])
        partner = get_scoped_or_404(
            Partner.objects.all(), user, Capability.APPROVE_FINANCE, code=self.kwargs["code"].upper()
        )
        return run, partner

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run, partner = self.get_target()
        context["caption"] = f"{partner.name} · {run} · your share £{own_share(run, self.request.user):,.2f}"
        context["back_url"] = reverse("costing:statement", args=[run.pk, partner.code])
        return context

    def perform(self, form):
        run, partner = self.get_target()
        data = form.cleaned_data
        if data["decision"] == "rejected":
            actions.reject_statement(run, partner, reason=data["comment"], acting_user=self.request.user)
            self.success_message = (
                f"You rejected {partner.name}'s statement. The run cannot be approved until "
                "shared-service finance builds a corrected version."
            )
        else:
            actions.sign_off_statement(run, partner, comment=data["comment"], acting_user=self.request.user)
            run = RechargeRun.objects.get(pk=run.pk)
            self.success_message = f"You signed off {partner.name}'s statement." + (
                " Every member has now signed: the run is approved." if not run.is_draft else ""
            )
        return run


class RunDeleteView(ActionFormView):
    """Confirm, then delete a draft run. Approved (and superseded) runs are the record of what was
    charged: the page says so and offers no button; the action refuses them too."""

    form_class = forms.DeleteRunForm
    capability = Capability.MANAGE_FINANCE
    template_name = "costing/run_delete.html"
    title = "Delete the draft recharge run"
    success_message = "The draft run is deleted."

    def get_run(self) -> RechargeRun:
        return get_scoped_or_404(
            RechargeRun.objects.all(), self.request.user, Capability.VIEW, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.get_run()
        context["run"] = run
        context["caption"] = f"{run} · {run.get_status_display().lower()}"
        context["back_url"] = run.get_absolute_url()
        return context

    def perform(self, form):
        actions.delete_draft_run(self.get_run(), acting_user=self.request.user)
        return None

    def get_success_url(self, obj: Any = None) -> str:
        return reverse("costing:run-list")


class StatementView(CostingPage, ScopedView, TemplateView):
    """One partner's statement for a run. Another partner's statement is a 404, like a missing one."""

    model = RechargeRun
    template_name = "costing/statement.html"

    def get_statement(self):
        run = get_scoped_or_404(
            RechargeRun.objects.all(), self.request.user, Capability.VIEW, pk=self.kwargs["pk"]
        )
        partner = get_scoped_or_404(
            Partner.objects.all(), self.request.user, Capability.VIEW, code=self.kwargs["code"].upper()
        )
        statement = build_statement(run, partner)
        if not statement.rows:
            raise Http404("No statement for this partner in this run.")
        return statement

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        statement = self.get_statement()
        if request.GET.get("format") == "csv":
            response = HttpResponse(statement_csv(statement), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{self.filename(statement)}.csv"'
            return response
        run, partner = statement.run, statement.partner
        sign_off = RunSignOff.objects.filter(run=run, partner=partner).select_related("decided_by").first()
        can_sign = bool(
            sign_off
            and sign_off.is_waiting
            and run.is_draft
            and actions.can_sign_off(request.user, partner)
            and run.created_by_id != request.user.pk
        )
        return self.render_to_response(
            self.get_context_data(
                statement=statement, title=self.title(statement), sign_off=sign_off, can_sign=can_sign
            )
        )

    @staticmethod
    def title(statement) -> str:
        return f"{statement.partner.name}: statement for {statement.run}"

    @staticmethod
    def filename(statement) -> str:
        return slugify(f"statement {statement.partner.code} {statement.run.year} {statement.run}")


class StatementPdfView(StatementView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        statement = self.get_statement()
        pdf = statement_pdf_for_download(statement, request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.filename(statement)}.pdf"'
        return response


# Agreements


class AgreementListView(CostingList):
    model = Agreement
    title = "Agreements"
    intro = "How each service's cost is split between partners in each financial year."
    filterset_class = filters.AgreementFilter
    default_sort = "-year"
    create_url_name = "costing:agreement-create"
    create_label = "Add an agreement"
    columns = [
        Column("service", "Service", accessor="service.name", sort="service__name", link=True),
        Column("year", "Year", accessor="year_label", sort="year"),
        Column("basis", "Basis", accessor="get_basis_display", sort="basis"),
        Column("shares", "Percentages", accessor="shares_text"),
        Column("support", "Support method", accessor="get_support_method_display"),
        Column("tolerance", "Tolerance %", accessor="tolerance_percent", numeric=True),
    ]

    def base_queryset(self):
        return Agreement.objects.select_related("service").prefetch_related("shares__partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for obj, _ in context["rows"]:
            obj.shares_text = ", ".join(
                f"{s.partner.code} {s.percent.normalize():f}%" for s in obj.shares.all()
            )
        context["rows"] = [(obj, [(c, c.value(obj)) for c in self.columns]) for obj, _ in context["rows"]]
        return context


class AgreementDetailView(CostingPage, ObjectDetailView):
    model = Agreement
    template_name = "costing/agreement_detail.html"

    def base_queryset(self):
        return Agreement.objects.select_related("service")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shares"] = context["object"].shares.select_related("partner")
        context["can_manage"] = self.scope.has(Capability.MANAGE_FINANCE)
        context["title"] = str(context["object"])
        return context


class AgreementCreateView(CostingForm):
    form_class = forms.AgreementForm
    title = "Add an agreement"
    success_message = "Agreement added."

    def perform(self, form):
        return actions.create_agreement(
            shares=form.shares(), acting_user=self.request.user, **form.agreement_fields()
        )


class AgreementUpdateView(CostingForm):
    form_class = forms.AgreementForm
    title = "Change the agreement"
    success_message = "Agreement updated."

    def get_object(self) -> Agreement:
        return get_scoped_or_404(
            Agreement.objects.all(), self.request.user, Capability.VIEW, pk=self.kwargs["pk"]
        )

    def get_initial(self):
        agreement = self.get_object()
        initial = {f: getattr(agreement, f) for f in actions.AGREEMENT_FIELDS}
        for share in agreement.shares.select_related("partner"):
            initial[f"share_{share.partner.code}"] = share.percent
        return initial

    def perform(self, form):
        return actions.update_agreement(
            self.get_object(), shares=form.shares(), acting_user=self.request.user, **form.agreement_fields()
        )


# Budget and actual lines


LINE_COLUMNS = [
    Column("service", "Service", accessor="service.name", sort="service__name", link=True),
    Column("year", "Year", accessor="year_label", sort="year"),
    Column("month", "Month", accessor="month_label", sort="month"),
    Column("sharing", "Shared", accessor="sharing_label", sort="owner_partner__code"),
    Column("cost_centre", "Cost centre", sort="cost_centre"),
    Column("description", "Description"),
    Column("amount", "Amount (£)", numeric=True, sort="amount"),
    Column("source", "Source"),
]


class LineListView(CostingList):
    columns = LINE_COLUMNS
    default_sort = "-year"

    def base_queryset(self):
        assert self.model is not None
        return self.model._default_manager.select_related("service", "owner_partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset, _ = self.filtered()
        context["sum_amount"] = queryset.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        return context


class BudgetListView(LineListView):
    model = BudgetLine
    title = "Budget lines"
    intro = (
        "Budgets per service per period. Shared lines are split by the agreement; "
        "non-shared lines are a partner's own."
    )
    filterset_class = filters.BudgetLineFilter
    create_url_name = "costing:budget-create"
    create_label = "Add a budget line"
    empty_message = "No budget lines match these filters."


class ActualListView(LineListView):
    model = ActualLine
    title = "Actual lines"
    intro = "Actual spending per service per period. Actual minus budget is the variance partners share."
    filterset_class = filters.ActualLineFilter
    create_url_name = "costing:actual-create"
    create_label = "Add an actual line"
    empty_message = "No actual lines match these filters."


class LineDetailView(CostingPage, ObjectDetailView):
    template_name = "costing/line_detail.html"
    kind: ClassVar[str] = ""

    def base_queryset(self):
        assert self.model is not None
        return self.model._default_manager.select_related("service", "owner_partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        context["title"] = f"{self.kind.capitalize()} line {context['object'].pk}"
        context["can_manage"] = self.scope.has(Capability.MANAGE_FINANCE)
        context["edit_url"] = reverse(f"costing:{self.kind}-update", args=[context["object"].pk])
        context["list_url"] = reverse(f"costing:{self.kind}-list")
        return context


class BudgetDetailView(LineDetailView):
    model = BudgetLine
    kind = "budget"


class ActualDetailView(LineDetailView):
    model = ActualLine
    kind = "actual"


class LineCreateView(CostingForm):
    form_class = forms.LedgerLineForm
    create: ClassVar[Callable[..., Any]] = staticmethod(actions.create_budget_line)

    def perform(self, form):
        return type(self).create(acting_user=self.request.user, **form.cleaned_data)


class BudgetCreateView(LineCreateView):
    title = "Add a budget line"
    success_message = "Budget line added."
    create = staticmethod(actions.create_budget_line)


class ActualCreateView(LineCreateView):
    title = "Add an actual line"
    success_message = "Actual line added."
    create = staticmethod(actions.create_actual_line)


class LineUpdateView(CostingForm):
    form_class = forms.LedgerLineForm
    line_model: ClassVar[type[BudgetLine] | type[ActualLine]] = BudgetLine
    update: ClassVar[Callable[..., Any]] = staticmethod(actions.update_budget_line)

    def get_object(self):
        return get_scoped_or_404(
            self.line_model.objects.all(), self.request.user, Capability.MANAGE_FINANCE, pk=self.kwargs["pk"]
        )

    def get_initial(self):
        line = self.get_object()
        return {f: getattr(line, f) for f in actions.LINE_FIELDS if f != "source"}

    def perform(self, form):
        return type(self).update(self.get_object(), acting_user=self.request.user, **form.cleaned_data)


class BudgetUpdateView(LineUpdateView):
    title = "Change a budget line"
    success_message = "Budget line updated."
    line_model = BudgetLine
    update = staticmethod(actions.update_budget_line)


class ActualUpdateView(LineUpdateView):
    title = "Change an actual line"
    success_message = "Actual line updated."
    line_model = ActualLine
    update = staticmethod(actions.update_actual_line)


# Driver figures held here: caseloads and transactions, time recorded, support usage


class QuantityListView(CostingList):
    model = DriverQuantity
    title = "Caseloads and transactions"
    intro = (
        "Counts per partner per period that drive the split of services agreed on a caseload "
        "or transactions basis."
    )
    filterset_class = filters.DriverQuantityFilter
    default_sort = "-year"
    create_url_name = "costing:quantity-create"
    create_label = "Add a count"
    columns = [
        Column("service", "Service", accessor="service.name", sort="service__name", link=True),
        Column("kind", "Kind", accessor="get_kind_display", sort="kind"),
        Column("partner", "Partner", accessor="partner.code", sort="partner__code"),
        Column("year", "Year", accessor="year_label", sort="year"),
        Column("month", "Month", accessor="month_label", sort="month"),
        Column("measure", "What was counted"),
        Column("quantity", "Quantity", numeric=True, sort="quantity"),
    ]

    def base_queryset(self):
        return DriverQuantity.objects.select_related("service", "partner")


class QuantityDetailView(CostingPage, ObjectDetailView):
    model = DriverQuantity
    template_name = "costing/quantity_detail.html"

    def base_queryset(self):
        return DriverQuantity.objects.select_related("service", "partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = str(context["object"])
        return context


class QuantityCreateView(CostingForm):
    form_class = forms.DriverQuantityForm
    title = "Add a caseload or transactions count"
    success_message = "Count added."

    def perform(self, form):
        return actions.create_driver_quantity(acting_user=self.request.user, **form.cleaned_data)


class TimeListView(CostingList):
    model = TimeEntry
    title = "Time recorded"
    intro = "Hours recorded against a service for a partner: the driver for services agreed on time recorded."
    filterset_class = filters.TimeEntryFilter
    default_sort = "-date"
    paginate_by = 100
    create_url_name = "costing:time-create"
    create_label = "Record time"
    columns = [
        Column("date", "Date", sort="date"),
        Column("person", "Person", sort="person"),
        Column("service", "Service", accessor="service.name", sort="service__name"),
        Column("partner", "Partner", accessor="partner.code", sort="partner__code"),
        Column("hours", "Hours", numeric=True, sort="hours"),
    ]

    def base_queryset(self):
        return TimeEntry.objects.select_related("service", "partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset, _ = self.filtered()
        context["sum_hours"] = queryset.aggregate(total=Sum("hours"))["total"] or Decimal(0)
        return context


class TimeCreateView(CostingForm):
    form_class = forms.TimeEntryForm
    title = "Record time"
    success_message = "Time recorded."

    def perform(self, form):
        return actions.create_time_entry(acting_user=self.request.user, **form.cleaned_data)


class UsageListView(CostingList):
    model = SupportUsage
    title = "Support usage"
    intro = (
        "How much each support service was used by the other services in a year: the engine's usage table."
    )
    filterset_class = filters.SupportUsageFilter
    default_sort = "-year"
    create_url_name = "costing:usage-create"
    create_label = "Set a usage figure"
    columns = [
        Column("year", "Year", accessor="year_label", sort="year"),
        Column("support", "Support service", accessor="support_service.name", sort="support_service__name"),
        Column("user", "Used by", accessor="user_service.name", sort="user_service__name"),
        Column("quantity", "Quantity", numeric=True, sort="quantity"),
        Column("unit", "Unit"),
    ]

    def base_queryset(self):
        return SupportUsage.objects.select_related("support_service", "user_service")


class UsageCreateView(CostingForm):
    form_class = forms.SupportUsageForm
    title = "Set a support usage figure"
    success_message = "Usage saved."

    def perform(self, form):
        return actions.set_support_usage(acting_user=self.request.user, **form.cleaned_data)


def totals_by_partner(charges) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for charge in charges:
        totals[charge.partner.code] += charge.total
    return dict(totals)
