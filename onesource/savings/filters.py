import django_filters
from django import forms
from django.db.models import Q

from onesource.core.models import Service
from onesource.savings.models import BusinessCase, Lever, SavingsLine, SavingStatus


class SavingsLineFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference, title or owner")
    business_case = django_filters.ModelChoiceFilter(
        queryset=BusinessCase.objects.all(), to_field_name="code", label="Business case", empty_label="Any"
    )
    lever = django_filters.ChoiceFilter(choices=Lever.choices, empty_label="Any lever")
    status = django_filters.ChoiceFilter(choices=SavingStatus.choices, empty_label="Any status")
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.none(), to_field_name="code", empty_label="Any service"
    )

    class Meta:
        model = SavingsLine
        fields = ["q", "business_case", "lever", "status", "service"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["service"].queryset = Service.objects.restrict(user)  # type: ignore[attr-defined]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(owner__icontains=value)
        )


class BusinessCaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or code")
    first_year = django_filters.NumberFilter(
        label="Starting in financial year (2014 means 2014/15)",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )

    class Meta:
        model = BusinessCase
        fields = ["q", "first_year"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
