"""Pages for the performance framework: KPIs, results, import, scorecards and the achievements log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from onesource.core.forms_base import add_validation_errors
from onesource.core.jobs import start_job
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ActionFormView, Column, ObjectDetailView, ObjectListView, ScopedView
from onesource.performance import actions, filters
from onesource.performance.forms import AchievementForm, ImportForm, KpiForm, ResultForm
from onesource.performance.models import Achievement, Kpi, KpiResult, period_label, period_start_for
from onesource.performance.scorecard import rag_by_quarter_chart, rag_counts, scorecard, trend_chart

# KPIs


class KpiListView(ObjectListView):
    model = Kpi
    template_name = "performance/kpi_list.html"
    title = "KPIs"
    filterset_class = filters.KpiFilter
    default_sort = "name"
    create_url_name = "performance:kpi-create"
    create_label = "Add a KPI"
    create_capability = Capability.MANAGE_PERFORMANCE
    empty_message = "No KPIs match these filters."
    columns = [
        Column("name", "KPI", sort="name", link=True),
        Column("service", "Service", accessor="service.name", sort="service__name"),
        Column("unit", "Unit", sort="unit"),
        Column("direction", "Better when", accessor="get_direction_display", sort="direction"),
        Column("frequency", "Frequency", accessor="get_frequency_display", sort="frequency"),
        Column("target", "Target", numeric=True, sort="target"),
        Column("tolerance", "Amber tolerance", accessor="amber_tolerance", numeric=True),
        Column("owner", "Owner", sort="owner"),
    ]

    def base_queryset(self):
        return Kpi.objects.select_related("service")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["extra_links"] = [
            ("Scorecards", reverse("performance:scorecard-index")),
        ]
        if self.scope.has(Capability.MANAGE_PERFORMANCE):
            context["extra_links"].append(("Import results from CSV", reverse("performance:import")))
        return context


class KpiDetailView(ObjectDetailView):
    model = Kpi
    template_name = "performance/kpi_detail.html"

    def base_queryset(self):
        return Kpi.objects.select_related("service")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kpi = context["object"]
        results = list(
            KpiResult.objects.restrict(self.request.user)
            .filter(kpi=kpi)
            .select_related("partner", "kpi")
            .order_by("-period_start", "partner__name")
        )
        periods = sorted({r.period_start for r in results}, reverse=True)[:24]
        partners = {r.partner.pk: r.partner for r in results if r.partner is not None}
        columns: list[Partner | None] = [*sorted(partners.values(), key=lambda p: p.name)]
        if any(r.partner_id is None for r in results):
            columns.append(None)  # the whole service, last
        cells = {(r.period_start, r.partner_id): r for r in results}
        context["columns"] = columns
        context["rows"] = [
            (period_label(period, kpi.frequency), [cells.get((period, p.pk if p else None)) for p in columns])
            for period in periods
        ]
        if periods:
            last = periods[0]
            first = last.replace(year=last.year - 2)
            context["chart"] = trend_chart(
                kpi, [p for p in columns if p is not None], first, last, self.request.user
            )
        context["results"] = results
        context["can_manage"] = self.scope.has(Capability.MANAGE_PERFORMANCE)
        return context


class KpiCreateView(ActionFormView):
    form_class = KpiForm
    capability = Capability.MANAGE_PERFORMANCE
    title = "Add a KPI"
    success_message = "KPI added."

    def perform(self, form):
        return actions.create_kpi(acting_user=self.request.user, **form.cleaned_data)


class KpiUpdateView(ActionFormView):
    form_class = KpiForm
    capability = Capability.MANAGE_PERFORMANCE
    title = "Change KPI"
    success_message = "KPI updated."

    def get_object(self) -> Kpi:
        return get_scoped_or_404(Kpi.objects.all(), self.request.user, self.capability, pk=self.kwargs["pk"])

    def get_initial(self):
        kpi = self.get_object()
        return {f: getattr(kpi, f) for f in actions.KPI_FIELDS}

    def perform(self, form):
        return actions.update_kpi(self.get_object(), acting_user=self.request.user, **form.cleaned_data)


class ResultCreateView(ActionFormView):
    form_class = ResultForm
    capability = Capability.MANAGE_PERFORMANCE
    title = "Record a result"
    success_message = "Result saved."

    def get_kpi(self) -> Kpi:
        return get_scoped_or_404(Kpi.objects.all(), self.request.user, Capability.VIEW, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_kpi().name
        return context

    def perform(self, form):
        data = form.cleaned_data
        return actions.record_result(
            self.get_kpi(),
            period=data["period"],
            value=data["value"],
            partner=data["partner"],
            note=data["note"],
            acting_user=self.request.user,
        )


class ImportView(ActionFormView):
    """Dry run: check the file here and show what would change. Otherwise: import it as a job."""

    form_class = ImportForm
    capability = Capability.MANAGE_PERFORMANCE
    template_name = "performance/import.html"
    title = "Import KPI results"
    success_message = "The import has started. This page shows its progress."

    def form_valid(self, form):
        text = form.cleaned_data["file"]
        name = getattr(self.request.FILES.get("file"), "name", "")
        if form.cleaned_data["dry_run"]:
            rows, errors = actions.parse_kpi_results(text, self.request.user)
            if errors:
                add_validation_errors(form, ValidationError({"file": errors}))
                return self.form_invalid(form)
            existing = {
                (r.kpi_id, r.partner_id, r.period_start)
                for r in KpiResult.objects.filter(kpi__in={row.kpi.pk for row in rows})
            }
            preview = [
                (row, (row.kpi.pk, row.partner.pk if row.partner else None, row.period_start) in existing)
                for row in rows
            ]
            updates = sum(1 for _, replaces in preview if replaces)
            return self.render_to_response(
                self.get_context_data(
                    form=ImportForm(initial={"dry_run": False}),
                    preview=preview[:100],
                    preview_total=len(rows),
                    preview_updates=updates,
                    file_name=name,
                )
            )
        job = start_job(
            "performance.import_kpis",
            {"csv_text": text, "dry_run": False, "file_name": name},
            acting_user=self.request.user,
        )
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(reverse("core:job-detail", args=[job.pk]))


# Scorecards


def parse_month(text: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return None


class ScorecardIndexView(ScopedView, TemplateView):
    template_name = "performance/scorecard_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partners"] = Partner.objects.restrict(self.request.user)
        return context


class ScorecardView(ScopedView, TemplateView):
    """One partner's KPIs for a month (default: the latest month with a result), with RAG and trend."""

    template_name = "performance/scorecard.html"
    model = Partner

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        partner = get_scoped_or_404(Partner.objects.all(), user, Capability.VIEW, code=self.kwargs["code"])
        month = parse_month(self.request.GET.get("month"))
        latest = (
            KpiResult.objects.restrict(user)
            .filter(partner=partner)
            .order_by("-period_start")
            .values_list("period_start", flat=True)
            .first()
        )
        if month is None:
            month = (latest or dt.date.today()).replace(day=1)
        # A scorecard for a month shows each KPI's latest result in the year to that month.
        start = month.replace(year=month.year - 1) + dt.timedelta(days=1)
        start = start.replace(day=1)
        rows = scorecard(partner, start, month, user)
        context.update(
            partner=partner,
            month=month,
            rows=rows,
            counts=rag_counts(rows),
            chart=rag_by_quarter_chart(partner, _eight_quarters_before(month), month, user),
            months=_months_back(latest or month, 48),
            title=f"Scorecard: {partner.name}",
            scorecard_caption=f"Each KPI's latest result in the 12 months to {month:%B %Y}",
        )
        return context


def _eight_quarters_before(month: dt.date) -> dt.date:
    """The first day of the quarter seven quarters before the one holding `month`: eight whole quarters."""
    quarter = period_start_for(month, "quarterly")
    year, index = divmod(quarter.year * 12 + quarter.month - 1 - 21, 12)
    return dt.date(year, index + 1, 1)


def _months_back(last: dt.date, count: int) -> list[dt.date]:
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


# Achievements


class AchievementListView(ObjectListView):
    model = Achievement
    title = "Achievements"
    filterset_class = filters.AchievementFilter
    default_sort = "-achieved_on"
    create_url_name = "performance:achievement-create"
    create_label = "Add an achievement"
    create_capability = Capability.MANAGE_PERFORMANCE
    empty_message = "No achievements match these filters."
    columns = [
        Column("title", "Achievement", sort="title", link=True),
        Column("kind", "Kind", accessor="get_kind_display", sort="kind"),
        Column("outcome", "Outcome", accessor="get_outcome_display", sort="outcome"),
        Column("organisation", "Body or customer", accessor="organisation", sort="organisation"),
        Column("date", "Date", accessor="achieved_on", sort="achieved_on"),
        Column("partner", "Partner", accessor="partner.code", sort="partner__code"),
        Column("value", "Value (£)", accessor="value", numeric=True, sort="value"),
    ]

    def base_queryset(self):
        return Achievement.objects.select_related("partner", "service")


class AchievementDetailView(ObjectDetailView):
    model = Achievement
    template_name = "performance/achievement_detail.html"

    def base_queryset(self):
        return Achievement.objects.select_related("partner", "service")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.scope.has(Capability.MANAGE_PERFORMANCE)
        return context


class AchievementCreateView(ActionFormView):
    form_class = AchievementForm
    capability = Capability.MANAGE_PERFORMANCE
    title = "Add an achievement"
    success_message = "Achievement added."

    def perform(self, form):
        return actions.create_achievement(acting_user=self.request.user, **form.cleaned_data)


class AchievementUpdateView(ActionFormView):
    form_class = AchievementForm
    capability = Capability.MANAGE_PERFORMANCE
    title = "Change achievement"
    success_message = "Achievement updated."

    def get_object(self) -> Achievement:
        return get_scoped_or_404(
            Achievement.objects.all(), self.request.user, self.capability, pk=self.kwargs["pk"]
        )

    def get_initial(self):
        achievement = self.get_object()
        return {f: getattr(achievement, f) for f in actions.ACHIEVEMENT_FIELDS}

    def perform(self, form):
        return actions.update_achievement(
            self.get_object(), acting_user=self.request.user, **form.cleaned_data
        )
