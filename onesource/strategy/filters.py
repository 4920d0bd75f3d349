import django_filters
from django.db.models import Q

from onesource.core.models import Service
from onesource.strategy.models import RAG, Phase, Project, ProjectStatus, ServicePriority, Strategy


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, lead or code")
    strategy = django_filters.ModelChoiceFilter(
        queryset=Strategy.objects.all(), to_field_name="code", empty_label="Any strategy"
    )
    phase = django_filters.ModelChoiceFilter(queryset=Phase.objects.all(), empty_label="Any phase")
    rag = django_filters.ChoiceFilter(choices=RAG.choices, empty_label="Any RAG", label="RAG")
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, empty_label="Any status")
    is_critical_enabler = django_filters.BooleanFilter(label="Critical enabler")

    class Meta:
        model = Project
        fields = ["q", "strategy", "phase", "rag", "status", "is_critical_enabler"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(lead__icontains=value) | Q(code__icontains=value))


class ServicePriorityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Title")
    strategy = django_filters.ModelChoiceFilter(
        queryset=Strategy.objects.all(), to_field_name="code", empty_label="Any strategy"
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.none(), to_field_name="code", empty_label="Any service"
    )
    plan_year = django_filters.NumberFilter(label="Service plan year")

    class Meta:
        model = ServicePriority
        fields = ["q", "strategy", "service", "plan_year"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["service"].queryset = Service.objects.restrict(getattr(request, "user", None))  # type: ignore[attr-defined]
