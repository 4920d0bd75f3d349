"""Procurement pages: the contract register's dashboard, contracts, suppliers and supplier matching."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from onesource.core.csvio import csv_writer
from onesource.core.models import Partner
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ActionFormView, Column, ObjectDetailView, ObjectListView, ScopedView
from onesource.procurement import actions, joint
from onesource.procurement.filters import ContractFilter, SupplierFilter
from onesource.procurement.forms import (
    DATES_FIELDS,
    AliasForm,
    ContractChangeForm,
    ContractDatesForm,
    ContractForm,
    SharesForm,
    SupplierForm,
)
from onesource.procurement.joint import opportunities
from onesource.procurement.models import Contract, Payment, Supplier
from onesource.procurement.register import deadlines, partner_values, summarise
from onesource.procurement.suppliers import match_suggestions

MANAGE = Capability.MANAGE_PROCUREMENT


def today() -> dt.date:
    return timezone.localdate()


def register_contracts(user: Any):
    return (
        Contract.objects.restrict(user)
        .select_related("supplier", "lead_partner")
        .prefetch_related("shares__partner", "changes")
    )


class DashboardView(ScopedView, TemplateView):
    """The contract register at a glance: expiries, categories, partners, suppliers, alerts and deadlines."""

    template_name = "procurement/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        visible = self.scope.partners_with(Capability.VIEW)
        summary = summarise(
            register_contracts(self.request.user),
            today(),
            visible_partners=visible,
            partner_names=dict(Partner.objects.values_list("pk", "name")),
        )
        context.update(
            title="Contract register",
            summary=summary,
            overdue=summary.overdue[:20],
            due=[d for d in summary.deadlines if d.done_on is None and not d.is_overdue(summary.today)][:20],
            can_manage=self.scope.has(MANAGE),
        )
        return context


class ContractListView(ObjectListView):
    model = Contract
    title = "Contracts"
    filterset_class = ContractFilter
    default_sort = "ends_on"
    create_url_name = "procurement:contract-create"
    create_label = "Add a contract"
    create_capability = MANAGE
    empty_message = "No contracts match these filters."
    columns = [
        Column("reference", "Reference", sort="reference", link=True),
        Column("title", "Title", sort="title"),
        Column("lead", "Lead council", accessor="lead_partner.code", sort="lead_partner__code"),
        Column("supplier", "Supplier", accessor="supplier.name", sort="supplier__name"),
        Column("status", "Status", accessor="get_status_display", sort="status"),
        Column("procedure", "Procedure", accessor="get_procedure_display", sort="procedure"),
        Column("ends_on", "Ends", sort="ends_on"),
        Column("value", "Value (£)", numeric=True, sort="value"),
    ]

    def base_queryset(self):
        return Contract.objects.select_related("supplier", "lead_partner")


class ContractDetailView(ObjectDetailView):
    model = Contract
    template_name = "procurement/contract_detail.html"
    lookup_field = "reference"
    lookup_url_kwarg = "reference"

    def base_queryset(self):
        return Contract.objects.select_related("supplier", "lead_partner").prefetch_related(
            "shares__partner", "changes"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contract = context["object"]
        values = partner_values(contract)
        on = today()
        context.update(
            shares=[(s, values.get(s.partner_id, Decimal("0"))) for s in contract.shares.all()],
            deadlines=[(d, d.status(on)) for d in deadlines(contract, on)],
            notice_on=contract.notice_on(),
            can_manage=Contract.managed_by(self.request.user).filter(pk=contract.pk).exists(),
        )
        return context


class ContractFormMixin:
    request: Any

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs


class ContractCreateView(ContractFormMixin, ActionFormView):
    form_class = ContractForm
    capability = MANAGE
    title = "Add a contract"
    success_message = "Contract added."

    def perform(self, form):
        return actions.create_contract(acting_user=self.request.user, **form.cleaned_data)


class ContractMixin:
    request: Any
    kwargs: Any
    capability = MANAGE

    def get_contract(self) -> Contract:
        if not hasattr(self, "_contract"):
            self._contract = get_scoped_or_404(
                Contract.managed_by(self.request.user),
                self.request.user,
                MANAGE,
                reference=self.kwargs["reference"],
            )
        return self._contract

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["caption"] = str(self.get_contract())
        context["back_url"] = self.get_contract().get_absolute_url()
        return context


class ContractUpdateView(ContractMixin, ContractFormMixin, ActionFormView):
    form_class = ContractForm
    title = "Change contract"
    success_message = "Contract updated."

    def get_initial(self):
        contract = self.get_contract()
        initial = {f: getattr(contract, f) for f in actions.CONTRACT_FIELDS if f not in DATES_FIELDS}
        initial["supplier"] = contract.supplier.name if contract.supplier else ""
        return initial

    def perform(self, form):
        changes = {k: v for k, v in form.cleaned_data.items() if k in actions.CONTRACT_FIELDS}
        return actions.update_contract(self.get_contract(), acting_user=self.request.user, **changes)


class ContractDatesView(ContractMixin, ActionFormView):
    form_class = ContractDatesForm
    title = "Dates and Procurement Act notices"
    success_message = "Dates saved."

    def get_initial(self):
        return {f: getattr(self.get_contract(), f) for f in DATES_FIELDS}

    def perform(self, form):
        return actions.update_contract(
            self.get_contract(), acting_user=self.request.user, **form.cleaned_data
        )


class ContractSharesView(ContractMixin, ActionFormView):
    form_class = SharesForm
    title = "Set the partners' shares"
    success_message = "Shares saved."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # Any council may use the lead's contract: partner names are public, and a share is what lets
        # that council see the contract.
        kwargs["partners"] = Partner.objects.dangerously_unscoped().order_by("name")
        return kwargs

    def get_initial(self):
        shares = self.get_contract().shares.select_related("partner")
        return {f"partner_{s.partner.code}": s.percent for s in shares}

    def perform(self, form):
        contract = self.get_contract()
        actions.set_contract_shares(contract, percentages=form.percentages(), acting_user=self.request.user)
        return contract


class ContractChangeView(ContractMixin, ActionFormView):
    form_class = ContractChangeForm
    title = "Record a change to the contract"
    success_message = "Change recorded."

    def perform(self, form):
        actions.record_contract_change(
            self.get_contract(), acting_user=self.request.user, **form.cleaned_data
        )
        return self.get_contract()


# Suppliers


class SupplierListView(ObjectListView):
    model = Supplier
    title = "Suppliers"
    filterset_class = SupplierFilter
    default_sort = "name"
    create_url_name = "procurement:supplier-create"
    create_label = "Add a supplier"
    create_capability = MANAGE
    empty_message = "No suppliers match these filters."
    columns = [
        Column("name", "Name", sort="name", link=True),
        Column("companies_house_number", "Companies House number", sort="companies_house_number"),
        Column("is_sme", "SME", sort="is_sme"),
        Column("is_vcse", "VCSE", sort="is_vcse"),
        Column("contracts", "Contracts", accessor="contract_count", numeric=True, sort="contract_count"),
    ]

    def base_queryset(self):
        return Supplier.objects.annotate(contract_count=Count("contracts", distinct=True))


class SupplierDetailView(ObjectDetailView):
    model = Supplier
    template_name = "procurement/supplier_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        supplier = context["object"]
        year_ago = today() - dt.timedelta(days=365)
        spend = (
            Payment.objects.restrict(self.request.user)
            .filter(supplier=supplier, paid_on__gt=year_ago)
            .values("partner__name")
            .annotate(total=Sum("amount"), count=Count("pk"))
            .order_by("partner__name")
        )
        context.update(
            aliases=supplier.aliases.all(),
            contracts=register_contracts(self.request.user).filter(supplier=supplier),
            spend=[{**row, "total": Decimal(row["total"]).quantize(Decimal("0.01"))} for row in spend],
            can_manage=self.scope.has(MANAGE),
        )
        return context


class SupplierCreateView(ActionFormView):
    form_class = SupplierForm
    capability = MANAGE
    title = "Add a supplier"
    success_message = "Supplier added."

    def perform(self, form):
        return actions.create_supplier(acting_user=self.request.user, **form.cleaned_data)


class SupplierMixin:
    request: Any
    kwargs: Any
    capability = MANAGE

    def get_supplier(self) -> Supplier:
        if not hasattr(self, "_supplier"):
            self._supplier = get_scoped_or_404(
                Supplier.objects.all(), self.request.user, MANAGE, pk=self.kwargs["pk"]
            )
        return self._supplier

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["caption"] = self.get_supplier().name
        context["back_url"] = self.get_supplier().get_absolute_url()
        return context


class SupplierUpdateView(SupplierMixin, ActionFormView):
    form_class = SupplierForm
    title = "Change supplier"
    success_message = "Supplier updated."

    def get_initial(self):
        supplier = self.get_supplier()
        return {f: getattr(supplier, f) for f in actions.SUPPLIER_FIELDS}

    def perform(self, form):
        return actions.update_supplier(
            self.get_supplier(), acting_user=self.request.user, **form.cleaned_data
        )


class SupplierAliasView(SupplierMixin, ActionFormView):
    form_class = AliasForm
    title = "Add another name for the supplier"
    success_message = "Name added."

    def perform(self, form):
        actions.add_supplier_alias(self.get_supplier(), acting_user=self.request.user, **form.cleaned_data)
        return self.get_supplier()


class SupplierMatchesView(ScopedView, TemplateView):
    """Suppliers the normaliser thinks may be one: a person merges them or says they differ."""

    template_name = "procurement/supplier_matches.html"
    capability = MANAGE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title="Suppliers that may be the same", suggestions=match_suggestions())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        first = get_scoped_or_404(Supplier.objects.all(), request.user, MANAGE, pk=request.POST.get("first"))
        second = get_scoped_or_404(
            Supplier.objects.all(), request.user, MANAGE, pk=request.POST.get("second")
        )
        if request.POST.get("decision") == "merge":
            kept = actions.merge_suppliers(first, second, acting_user=request.user)
            messages.success(request, f"{second.name} is now another name for {kept.name}.")
        else:
            actions.mark_distinct(first, second, acting_user=request.user)
            messages.success(request, f"{first.name} and {second.name} are kept apart.")
        return HttpResponseRedirect(reverse("procurement:supplier-matches"))


class JointProcurementView(ScopedView, TemplateView):
    """Suppliers (or categories) two or more partners pay, ranked by spend not under a joint contract."""

    template_name = "procurement/joint.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kind = "category" if request.GET.get("by") == "category" else "supplier"
        found = opportunities(request.user, today(), kind=kind)
        if request.GET.get("format") == "csv":
            out = io.StringIO()
            writer = csv_writer(out)
            writer.writerow(joint.CSV_HEADER)
            writer.writerows(joint.csv_rows(found))
            response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="joint-procurement-by-{kind}.csv"'
            return response
        return self.render_to_response(
            self.get_context_data(title="Joint procurement opportunities", kind=kind, found=found)
        )
