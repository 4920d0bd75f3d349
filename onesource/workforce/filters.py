"""Filters for the workforce lists (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from onesource.core.models import Partner, Service, ServiceArea
from onesource.workforce.models import Assignment, ContractPeriod, ContractType, Employee, Grade, Post

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Title or reference")
    area = django_filters.ModelChoiceFilter(
        field_name="service__area",
        queryset=ServiceArea.objects.all(),
        to_field_name="code",
        empty_label="Any area",
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="code", empty_label="Any service"
    )
    grade = django_filters.ChoiceFilter(choices=Grade.choices, empty_label="Any grade")
    senior = django_filters.BooleanFilter(
        field_name="is_senior_management",
        label="Senior management",
        widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")]),
    )
    active_on = django_filters.DateFilter(method="filter_active_on", label="Exists on", widget=DATE_WIDGET)
    vacant_on = django_filters.DateFilter(method="filter_vacant_on", label="Vacant on", widget=DATE_WIDGET)

    class Meta:
        model = Post
        fields = ["q", "area", "service", "grade", "senior", "active_on", "vacant_on"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__iexact=value))

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(Post.active_q(value))

    def filter_vacant_on(self, queryset, name, value):
        filled = Assignment.objects.filter(Assignment.active_q(value), post=OuterRef("pk"))
        return queryset.filter(Post.active_q(value)).exclude(Exists(filled))


class EmployeeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or staff number")
    employer = django_filters.ModelChoiceFilter(
        field_name="employing_partner",
        queryset=Partner.objects.all(),
        to_field_name="code",
        label="Employed by",
        empty_label="Any partner",
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(),
        to_field_name="code",
        method="filter_service",
        empty_label="Any service",
    )
    contract_type = django_filters.ChoiceFilter(
        choices=ContractType.choices,
        method="filter_contract_type",
        label="Had contract type",
        empty_label="Any contract type",
    )
    employed_on = django_filters.DateFilter(
        method="filter_employed_on", label="Employed on", widget=DATE_WIDGET
    )

    class Meta:
        model = Employee
        fields = ["q", "employer", "service", "contract_type", "employed_on"]

    def search(self, queryset, name, value):
        value = value.strip()
        q = Q(staff_number__iexact=value) | Q(last_name__istartswith=value) | Q(first_name__istartswith=value)
        first, _, last = value.partition(" ")
        if last:
            q |= Q(first_name__istartswith=first, last_name__istartswith=last.strip())
        return queryset.filter(q)

    def filter_service(self, queryset, name, value):
        return queryset.filter(
            Exists(Assignment.objects.filter(employee=OuterRef("pk"), post__service=value))
        )

    def filter_contract_type(self, queryset, name, value):
        return queryset.filter(
            Exists(ContractPeriod.objects.filter(employee=OuterRef("pk"), contract_type=value))
        )

    def filter_employed_on(self, queryset, name, value):
        return queryset.filter(Employee.employed_q(value))
