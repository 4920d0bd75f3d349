import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from onesource.core.filters import DATE_WIDGET
from onesource.core.models import User


class AuditFilter(django_filters.FilterSet):
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(pk__in=LogEntry.objects.values("content_type")).order_by("model"),
        label="Type of object",
        empty_label="Any type",
    )
    actor = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label="User", empty_label="Anyone")
    action = django_filters.ChoiceFilter(choices=LogEntry.Action.choices, empty_label="Any change")
    since = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__gte", label="From", widget=DATE_WIDGET
    )
    until = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__lte", label="To", widget=DATE_WIDGET
    )
    request_id = django_filters.CharFilter(field_name="cid", label="Request id")

    class Meta:
        model = LogEntry
        fields = ["content_type", "actor", "action", "since", "until", "request_id"]
