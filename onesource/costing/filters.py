"""Filters for the costing lists. Statements link to these lists, filtered, for every figure's source."""

from __future__ import annotations

import django_filters
from django import forms

from onesource.core.filters import DATE_WIDGET
from onesource.core.models import Partner, Service
from onesource.costing.models import (
    ActualLine,
    Agreement,
    Basis,
    BudgetLine,
    DriverKind,
    DriverQuantity,
    RechargeRun,
    RunStatus,
    SupportUsage,
    TimeEntry,
)
from onesource.costing.models.common import MONTH_NAMES

YEAR_WIDGET = forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"})


def _service_filter(field_name: str = "service", label: str = "Service") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(),
        to_field_name="code",
        field_name=field_name,
        label=label,
        empty_label="Any service",
    )


def _partner_filter(field_name: str, label: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        queryset=Partner.objects.all(),
        to_field_name="code",
        field_name=field_name,
        label=label,
        empty_label="Any partner",
    )


class ScopedChoicesMixin:
    """Offer only the partners and services the user may see."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)  # type: ignore[call-arg]
        for flt in self.filters.values():  # type: ignore[attr-defined]
            if isinstance(flt, django_filters.ModelChoiceFilter):
                model = flt.queryset.model
                flt.queryset = model.objects.restrict(request.user)


class LedgerLineFilter(ScopedChoicesMixin, django_filters.FilterSet):
    service = _service_filter()
    year = django_filters.NumberFilter(label="Financial year (2017 means 2017/18)", widget=YEAR_WIDGET)
    month = django_filters.ChoiceFilter(
        choices=list(enumerate(MONTH_NAMES, start=1)), label="Month", empty_label="Any month"
    )
    month_to = django_filters.NumberFilter(
        method="filter_month_to", label="Up to month", widget=forms.HiddenInput()
    )
    sharing = django_filters.ChoiceFilter(
        choices=[("shared", "Shared"), ("non_shared", "Non-shared")],
        method="filter_sharing",
        label="Shared or non-shared",
        empty_label="Shared or not",
    )
    owner = _partner_filter("owner_partner", "Owning partner (non-shared)")

    class Meta:
        fields = ["service", "year", "month", "sharing", "owner"]

    def filter_sharing(self, queryset, name, value):
        return queryset.filter(owner_partner__isnull=(value == "shared"))

    def filter_month_to(self, queryset, name, value):
        # Whole-year lines stay: a run to a month counts them pro rata.
        from django.db.models import Q

        return queryset.filter(Q(month__isnull=True) | Q(month__lte=value))


class BudgetLineFilter(LedgerLineFilter):
    class Meta(LedgerLineFilter.Meta):
        model = BudgetLine


class ActualLineFilter(LedgerLineFilter):
    class Meta(LedgerLineFilter.Meta):
        model = ActualLine


class AgreementFilter(ScopedChoicesMixin, django_filters.FilterSet):
    service = _service_filter()
    year = django_filters.NumberFilter(label="Financial year", widget=YEAR_WIDGET)
    basis = django_filters.ChoiceFilter(choices=Basis.choices, label="Basis", empty_label="Any basis")

    class Meta:
        model = Agreement
        fields = ["service", "year", "basis"]


class DriverQuantityFilter(ScopedChoicesMixin, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=DriverKind.choices, label="Driver kind", empty_label="Any kind"
    )
    service = _service_filter()
    partner = _partner_filter("partner", "Partner")
    year = django_filters.NumberFilter(label="Financial year", widget=YEAR_WIDGET)
    month_to = django_filters.NumberFilter(
        method="filter_month_to", label="Up to month", widget=forms.HiddenInput()
    )

    class Meta:
        model = DriverQuantity
        fields = ["kind", "service", "partner", "year"]

    def filter_month_to(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(month__isnull=True) | Q(month__lte=value))


class TimeEntryFilter(ScopedChoicesMixin, django_filters.FilterSet):
    service = _service_filter()
    partner = _partner_filter("partner", "Partner")
    person = django_filters.CharFilter(lookup_expr="iexact", label="Person")
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="From", widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DATE_WIDGET)

    class Meta:
        model = TimeEntry
        fields = ["service", "partner", "person", "date_from", "date_to"]


class SupportUsageFilter(ScopedChoicesMixin, django_filters.FilterSet):
    year = django_filters.NumberFilter(label="Financial year", widget=YEAR_WIDGET)
    support_service = _service_filter("support_service", "Support service")
    user_service = _service_filter("user_service", "Used by")

    class Meta:
        model = SupportUsage
        fields = ["year", "support_service", "user_service"]


class RechargeRunFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="Financial year", widget=YEAR_WIDGET)
    status = django_filters.ChoiceFilter(choices=RunStatus.choices, label="Status", empty_label="Any status")
    is_estimate = django_filters.ChoiceFilter(
        choices=[("false", "Final"), ("true", "Estimate")],
        label="Kind",
        empty_label="Final or estimate",
        method="filter_estimate",
    )

    class Meta:
        model = RechargeRun
        fields = ["year", "status", "is_estimate"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)

    def filter_estimate(self, queryset, name, value):
        return queryset.filter(is_estimate=(value == "true"))
