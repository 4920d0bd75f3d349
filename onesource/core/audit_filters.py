import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from onesource.core.audit_display import EVENT_KINDS, event_label
from onesource.core.filters import DATE_WIDGET
from onesource.core.models import Event, User


def _type_name(content_type: ContentType) -> str:
    model = content_type.model_class()
    name = str(model._meta.verbose_name) if model is not None else content_type.model
    return name[:1].upper() + name[1:]


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["content_type"].label_from_instance = _type_name


def _event_choices():
    names = set(Event.objects.values_list("name", flat=True).distinct()) | set(EVENT_KINDS)
    return sorted(((name, event_label(name)) for name in names), key=lambda choice: choice[1])


class EventFilter(django_filters.FilterSet):
    name = django_filters.ChoiceFilter(choices=_event_choices, label="What happened", empty_label="Anything")
    actor = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label="User", empty_label="Anyone")
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label="From", widget=DATE_WIDGET
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label="To", widget=DATE_WIDGET
    )
    request_id = django_filters.CharFilter(field_name="request_id", label="Request id")

    class Meta:
        model = Event
        fields = ["name", "actor", "since", "until", "request_id"]
