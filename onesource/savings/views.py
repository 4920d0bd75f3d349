"""Savings pages: the dashboard of a business case, savings lines, and the forms that change them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.generic import TemplateView

from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ActionFormView, Column, ObjectDetailView, ObjectListView, ScopedView
from onesource.savings import actions
from onesource.savings.attribution import ShareFinder, attributed_amounts, line_attribution
from onesource.savings.filters import BusinessCaseFilter, SavingsLineFilter
from onesource.savings.forms import (
    BusinessCaseForm,
    SavingsAmountForm,
    SavingsLineForm,
    SavingsSharesForm,
    YearTargetForm,
)
from onesource.savings.models import MONEY_DIGITS, MONEY_PLACES, BusinessCase, SavingsAmount, SavingsLine
from onesource.savings.summary import lines_for, summarise, year_label
from onesource.savings.visibility import (
    WHOLE_AMOUNT_COLUMNS,
    own_share,
    share_partner_ids,
)

MANAGE = Capability.MANAGE_PERFORMANCE
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class MoneyColumn(Column):
    """A sum of money to the penny: SQLite hands back sums of decimals with float noise and no scale."""

    numeric: bool = True

    def value(self, obj: Any) -> Any:
        value = super().value(obj)
        return value.quantize(PENNY) if isinstance(value, Decimal) else value


def dashboard_context(view: ScopedView, case: BusinessCase) -> dict[str, Any]:
    user = view.request.user
    lines = lines_for(case, SavingsLine.objects.restrict(user))
    # Partner readers get their own attributed share only (savings/visibility.py).
    own = share_partner_ids(user)
    summary = summarise(
        case, lines, visible_partners=view.scope.partners_with(Capability.VIEW), only_partner_ids=own
    )
    return {
        "case": case,
        "summary": summary,
        "cumulative_chart": summary.cumulative_chart(),
        "lever_chart": summary.lever_chart(),
        "cases": BusinessCase.objects.restrict(user),
        "can_manage": view.scope.has(MANAGE),
        "year_label": year_label,
    }


class DashboardView(ScopedView, TemplateView):
    """The first business case's dashboard (or the one chosen with ?case=)."""

    template_name = "savings/dashboard.html"
    model = BusinessCase

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cases = self.scoped_queryset()
        code = self.request.GET.get("case")
        case = cases.filter(code=code).first() if code else cases.first()
        if code and case is None:
            raise Http404("No such business case.")
        context["title"] = "Savings"
        if case is not None:
            context.update(dashboard_context(self, case))
        else:
            context["can_manage"] = self.scope.has(MANAGE)
        return context


@dataclass(frozen=True)
class ShareColumn(MoneyColumn):
    """A partner reader's attributed share of each row (worked out for the request), in place of a
    whole amount; not sortable, as the order of whole amounts would tell something of them."""

    shares: dict[int, Decimal] | None = None

    def value(self, obj: Any) -> Any:
        value = (self.shares or {}).get(obj.pk)
        return "" if value is None else value.quantize(PENNY)


class OwnShareListView(ObjectListView):
    """For partner readers (page and CSV alike), the planned and delivered columns become their own
    attributed share: a whole line's amount beside their share would give the other partners' away."""

    def own_shares(self, partner_ids: frozenset[int]) -> dict[str, dict[int, Decimal]]:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        partner_ids = share_partner_ids(request.user)
        if partner_ids is not None:
            shares = self.own_shares(partner_ids)
            # This request's columns, in place of the class's.
            self.columns = [  # type: ignore[misc]
                ShareColumn(c.key, f"Your share: {c.label.lower()}", numeric=True, shares=shares[c.key])
                if c.key in WHOLE_AMOUNT_COLUMNS
                else c
                for c in type(self).columns
            ]
        return super().get(request, *args, **kwargs)


def own_share_totals(
    lines: list[SavingsLine], partner_ids: frozenset[int], key: Any
) -> dict[str, dict[int, Decimal]]:
    """{"planned": {row: amount}, "delivered": {row: amount}}: the partners' attributed shares,
    summed by `key(line)` (the business case's id, or the line's own)."""
    totals: dict[str, dict[int, Decimal]] = {"planned": {}, "delivered": {}}
    for line, _year, partner_id, planned, delivered in attributed_amounts(lines, ShareFinder()):
        if partner_id not in partner_ids:
            continue
        row = key(line)
        totals["planned"][row] = totals["planned"].get(row, Decimal("0")) + planned
        totals["delivered"][row] = totals["delivered"].get(row, Decimal("0")) + delivered
    return totals


class BusinessCaseListView(OwnShareListView):
    """Every business case, with the planned and delivered totals of the savings lines the user may see
    (the same lines, and so the same sums, as the savings lines list)."""

    model = BusinessCase
    title = "Business cases"
    filterset_class = BusinessCaseFilter
    default_sort = "first_year"
    create_url_name = "savings:case-create"
    create_label = "Add a business case"
    create_capability = MANAGE
    empty_message = "No business cases match these filters."
    columns = [
        Column("name", "Business case", sort="name", link=True),
        Column("code", "Code", sort="code"),
        Column("period", "Years", accessor="period_label", sort="first_year"),
        MoneyColumn("target", "Target (£)", sort="target"),
        Column("line_count", "Savings lines", numeric=True, sort="line_count"),
        MoneyColumn("planned", "Planned (£)", accessor="planned_total", sort="planned_total"),
        MoneyColumn("delivered", "Delivered (£)", accessor="delivered_total", sort="delivered_total"),
    ]

    def own_shares(self, partner_ids: frozenset[int]) -> dict[str, dict[int, Decimal]]:
        lines = list(SavingsLine.objects.restrict(self.request.user).prefetch_related("amounts", "shares"))
        return own_share_totals(lines, partner_ids, key=lambda line: line.business_case_id)

    def base_queryset(self):
        user = self.request.user

        def total(field: str) -> Subquery:
            # Each total is its own subquery, so neither the line count nor the other total is
            # multiplied by the join to the yearly amounts.
            return Subquery(
                SavingsAmount.objects.restrict(user)
                .filter(line__business_case=OuterRef("pk"))
                .values("line__business_case")
                .annotate(total=Sum(field))
                .values("total"),
                output_field=DecimalField(max_digits=MONEY_DIGITS + 4, decimal_places=MONEY_PLACES),
            )

        return BusinessCase.objects.annotate(
            line_count=Count("lines", filter=Q(lines__in=SavingsLine.objects.restrict(user)), distinct=True),
            planned_total=total("planned"),
            delivered_total=total("delivered"),
        )


class BusinessCaseDetailView(ObjectDetailView):
    model = BusinessCase
    template_name = "savings/case_detail.html"
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(dashboard_context(self, context["object"]))
        context["year_targets"] = context["object"].year_targets.all()
        return context


class BusinessCaseCreateView(ActionFormView):
    form_class = BusinessCaseForm
    capability = MANAGE
    title = "Add a business case"
    success_message = "Business case added."

    def perform(self, form):
        return actions.create_business_case(acting_user=self.request.user, **form.cleaned_data)


class CaseMixin:
    request: Any
    kwargs: Any
    capability = MANAGE

    def get_case(self) -> BusinessCase:
        return get_scoped_or_404(
            BusinessCase.objects.all(), self.request.user, MANAGE, code=self.kwargs["code"]
        )


class BusinessCaseUpdateView(CaseMixin, ActionFormView):
    form_class = BusinessCaseForm
    title = "Change business case"
    success_message = "Business case updated."

    def get_initial(self):
        case = self.get_case()
        return {f: getattr(case, f) for f in actions.CASE_FIELDS}

    def perform(self, form):
        return actions.update_business_case(
            self.get_case(), acting_user=self.request.user, **form.cleaned_data
        )


class YearTargetView(CaseMixin, ActionFormView):
    form_class = YearTargetForm
    title = "Set a year's target"
    success_message = "Target saved."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_case().name
        return context

    def perform(self, form):
        actions.set_year_target(self.get_case(), acting_user=self.request.user, **form.cleaned_data)
        return self.get_case()


# Savings lines


class SavingsLineListView(OwnShareListView):
    model = SavingsLine
    title = "Savings lines"
    filterset_class = SavingsLineFilter
    default_sort = "reference"
    create_url_name = "savings:line-create"
    create_label = "Add a savings line"
    create_capability = MANAGE
    empty_message = "No savings lines match these filters."
    columns = [
        Column("reference", "Reference", sort="reference", link=True),
        Column("title", "Saving", sort="title"),
        Column("service", "Service", accessor="service.name", sort="service__name"),
        Column("lever", "Lever", accessor="get_lever_display", sort="lever"),
        Column("status", "Status", accessor="get_status_display", sort="status"),
        Column("owner", "Owner", sort="owner"),
        Column("planned", "Planned (£)", accessor="planned_total", numeric=True, sort="planned_total"),
        Column(
            "delivered", "Delivered (£)", accessor="delivered_total", numeric=True, sort="delivered_total"
        ),
    ]

    def own_shares(self, partner_ids: frozenset[int]) -> dict[str, dict[int, Decimal]]:
        lines = list(
            SavingsLine.objects.restrict(self.request.user)
            .select_related("service")
            .prefetch_related("amounts", "shares")
        )
        return own_share_totals(lines, partner_ids, key=lambda line: line.pk)

    def base_queryset(self):
        return SavingsLine.objects.select_related("service", "business_case").annotate(
            planned_total=Sum("amounts__planned"), delivered_total=Sum("amounts__delivered")
        )


class SavingsLineDetailView(ObjectDetailView):
    model = SavingsLine
    template_name = "savings/line_detail.html"

    def base_queryset(self):
        return SavingsLine.objects.select_related("service", "business_case").prefetch_related(
            "amounts", "shares__partner"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        line = context["object"]
        visible = self.scope.partners_with(Capability.VIEW)
        rows = line_attribution(line, ShareFinder())
        partner_ids = sorted(
            {p for row in rows for p in row.partners if p is not None and (visible is None or p in visible)}
        )
        partners = Partner.objects.in_bulk(partner_ids)
        ordered = sorted(partners.values(), key=lambda p: p.name)
        show_unattributed = visible is None and any(None in row.partners for row in rows)
        table: list[dict[str, Any]] = []
        for row in rows:
            cells = [row.partners.get(p.pk, (Decimal("0"), Decimal("0"))) for p in ordered]
            if show_unattributed:
                cells.append(row.partners.get(None, (Decimal("0"), Decimal("0"))))
            table.append({"label": year_label(row.year), "how": row.how, "row": row, "cells": cells})
        whole = visible is None
        if not whole:
            # A partner reader's own share in place of the whole line's amounts.
            for entry in table:
                entry["own"] = own_share(entry["row"], visible)
        context.update(
            attribution_partners=ordered,
            show_unattributed=show_unattributed,
            attribution=table,
            whole_figures=whole,
            planned_total=sum((a.planned for a in line.amounts.all()), Decimal("0")) if whole else None,
            delivered_total=sum((a.delivered for a in line.amounts.all()), Decimal("0")) if whole else None,
            own_planned_total=None if whole else sum((e["own"][0] for e in table), Decimal("0")),
            own_delivered_total=None if whole else sum((e["own"][1] for e in table), Decimal("0")),
            shares=[s for s in line.shares.all() if visible is None or s.partner_id in visible],
            can_manage=self.scope.has(MANAGE),
            year_label=year_label,
        )
        return context


class LineFormMixin:
    request: Any
    kwargs: Any

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs


class SavingsLineCreateView(LineFormMixin, ActionFormView):
    form_class = SavingsLineForm
    capability = MANAGE
    title = "Add a savings line"
    success_message = "Savings line added."

    def get_initial(self):
        initial = {}
        if code := self.request.GET.get("case"):
            initial["business_case"] = BusinessCase.objects.filter(code=code).first()
        return initial

    def perform(self, form):
        return actions.create_savings_line(acting_user=self.request.user, **form.cleaned_data)


class LineMixin:
    request: Any
    kwargs: Any
    capability = MANAGE

    def get_line(self) -> SavingsLine:
        if not hasattr(self, "_line"):
            self._line = get_scoped_or_404(
                SavingsLine.objects.all(), self.request.user, MANAGE, pk=self.kwargs["pk"]
            )
        return self._line

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["caption"] = str(self.get_line())
        context["back_url"] = self.get_line().get_absolute_url()
        return context


class SavingsLineUpdateView(LineMixin, LineFormMixin, ActionFormView):
    form_class = SavingsLineForm
    title = "Change savings line"
    success_message = "Savings line updated."

    def get_initial(self):
        line = self.get_line()
        return {f: getattr(line, f) for f in actions.LINE_FIELDS}

    def perform(self, form):
        return actions.update_savings_line(
            self.get_line(), acting_user=self.request.user, **form.cleaned_data
        )


class SavingsAmountView(LineMixin, ActionFormView):
    form_class = SavingsAmountForm
    title = "Record a year's planned and delivered saving"
    success_message = "Amounts saved."

    def get_initial(self):
        year = self.request.GET.get("year")
        amount = self.get_line().amounts.filter(year=year).first() if year and year.isdigit() else None
        if amount:
            return {"year": amount.year, "planned": amount.planned, "delivered": amount.delivered}
        return {"year": year} if year and year.isdigit() else {}

    def perform(self, form):
        actions.set_savings_amount(self.get_line(), acting_user=self.request.user, **form.cleaned_data)
        return self.get_line()


class SavingsSharesView(LineMixin, ActionFormView):
    form_class = SavingsSharesForm
    title = "Set partner percentages"
    success_message = "Percentages saved."

    def partners(self):
        return Partner.objects.restrict(self.request.user, MANAGE).order_by("name")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["partners"] = self.partners()
        return kwargs

    def get_initial(self):
        return {
            f"partner_{s.partner.code}": s.percent for s in self.get_line().shares.select_related("partner")
        }

    def perform(self, form):
        actions.set_line_shares(
            self.get_line(), percentages=form.percentages(), acting_user=self.request.user
        )
        return self.get_line()
