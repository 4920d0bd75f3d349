import django_filters
from django.db.models import Q

from onesource.core.filters import DATE_WIDGET
from onesource.core.models import Partner, Service
from onesource.performance.models import Achievement, AchievementKind, AwardOutcome, Direction, Frequency, Kpi


class KpiFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, code or owner")
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="code", empty_label="Any service"
    )
    direction = django_filters.ChoiceFilter(choices=Direction.choices, empty_label="Either direction")
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, empty_label="Any frequency")

    class Meta:
        model = Kpi
        fields = ["q", "service", "direction", "frequency"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["service"].queryset = Service.objects.restrict(request.user)

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(owner__icontains=value)
        )


class AchievementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Title or organisation")
    kind = django_filters.ChoiceFilter(choices=AchievementKind.choices, empty_label="Any kind")
    outcome = django_filters.ChoiceFilter(
        choices=[c for c in AwardOutcome.choices if c[0]], empty_label="Any outcome"
    )
    partner = django_filters.ModelChoiceFilter(
        queryset=Partner.objects.all(), to_field_name="code", empty_label="Any partner"
    )
    achieved_from = django_filters.DateFilter(
        field_name="achieved_on", lookup_expr="gte", label="From", widget=DATE_WIDGET
    )
    achieved_to = django_filters.DateFilter(
        field_name="achieved_on", lookup_expr="lte", label="To", widget=DATE_WIDGET
    )

    class Meta:
        model = Achievement
        fields = ["q", "kind", "outcome", "partner", "achieved_from", "achieved_to"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["partner"].queryset = Partner.objects.restrict(request.user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(organisation__icontains=value))
