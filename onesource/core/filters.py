import django_filters
from django import forms
from django.db.models import Q

from onesource.core.models import Membership, Partner, Service, ServiceArea, ServiceCoverage
from onesource.core.models.partnership import PartnerKind, Sharing
from onesource.core.periods import active_on_q

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, code or GSS code")
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, empty_label="Any kind")
    member_on = django_filters.DateFilter(
        method="filter_member_on", label="In the partnership on", widget=DATE_WIDGET
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "member_on"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value) | Q(gss_code__iexact=value))

    def filter_member_on(self, queryset, name, value):
        return queryset.filter(
            pk__in=Membership.objects.filter(
                active_on_q(value, start_field="joined_on", end_field="left_on")
            ).values("partner_id")
        )


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or head of service")
    area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), to_field_name="code", empty_label="Any area"
    )
    sharing = django_filters.ChoiceFilter(choices=Sharing.choices, empty_label="Shared or not")
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.all(),
        to_field_name="code",
        method="filter_partner",
        label="Received by",
        empty_label="Any partner",
    )

    class Meta:
        model = Service
        fields = ["q", "area", "sharing", "partner"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["partner"].queryset = Partner.objects.restrict(request.user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(head_of_service__icontains=value))

    def filter_partner(self, queryset, name, value):
        return queryset.filter(pk__in=ServiceCoverage.objects.filter(partner=value).values("service_id"))


class CoverageFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.all(), to_field_name="code", empty_label="Any partner"
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="code", empty_label="Any service"
    )
    area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(),
        to_field_name="code",
        field_name="service__area",
        empty_label="Any area",
    )
    active_on = django_filters.DateFilter(method="filter_active_on", label="Active on", widget=DATE_WIDGET)

    class Meta:
        model = ServiceCoverage
        fields = ["partner", "service", "area", "active_on"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["partner"].queryset = Partner.objects.restrict(request.user)
        self.filters["service"].queryset = Service.objects.restrict(request.user)

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(ServiceCoverage.active_q(value))
