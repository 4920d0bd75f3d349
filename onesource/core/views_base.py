"""Base classes for pages. Page views are short declarations on top of these.

Every view reads through `Model.objects.restrict(user, capability)`; a subclass that overrides
`get_queryset` is refused when the class is defined, so scoping cannot be forgotten. An object
outside the user's partners is the same 404 as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.text import slugify
from django.views.generic import FormView, TemplateView

from onesource.core.audit_display import describe_events, describe_log_entries, may_see_event
from onesource.core.csvio import csv_writer
from onesource.core.forms_base import add_validation_errors, filter_form_helper
from onesource.core.models import Event
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404, scope_for


@dataclass(frozen=True)
class Column:
    """A table column: `accessor` is a dotted attribute path; `sort` the ordering field, if sortable."""

    key: str
    label: str
    accessor: str = ""
    sort: str = ""
    numeric: bool = False
    link: bool = False

    def value(self, obj: Any) -> Any:
        value = obj
        for part in (self.accessor or self.key).split("."):
            value = getattr(value, part, None)
            if callable(value):
                value = value()
            if value is None:
                return ""
        return value


class ScopedView(LoginRequiredMixin):
    """A page that needs a signed-in user with `capability` (for some partner)."""

    capability: ClassVar[Capability] = Capability.VIEW
    model: ClassVar[type[models.Model] | None] = None
    request: HttpRequest

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} overrides get_queryset: narrow `base_queryset` instead, "
                "so that partner scoping is always applied."
            )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not scope_for(request.user).has(self.capability):
            raise PermissionDenied("Your roles do not allow this page.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    @property
    def scope(self):
        return scope_for(self.request.user)

    def base_queryset(self) -> models.QuerySet:
        """The unrestricted rows this view is about; narrow it (select_related, filters) in subclasses."""
        assert self.model is not None
        return self.model._default_manager.all()

    def scoped_queryset(self, capability: Capability | None = None) -> models.QuerySet:
        return self.base_queryset().restrict(self.request.user, capability or self.capability)  # type: ignore[attr-defined]


class ObjectListView(ScopedView, TemplateView):
    template_name = "core/object_list.html"
    filterset_class: ClassVar[Any] = None
    columns: ClassVar[list[Column]] = []
    default_sort: ClassVar[str] = ""
    paginate_by: ClassVar[int] = 50
    title: ClassVar[str] = ""
    create_url_name: ClassVar[str] = ""
    create_label: ClassVar[str] = "Add"
    create_capability: ClassVar[Capability] = Capability.MANAGE_PARTNERSHIP
    empty_message: ClassVar[str] = "Nothing matches these filters."

    def filtered(self) -> tuple[models.QuerySet, Any]:
        queryset = self.scoped_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
            filterset.form.helper = filter_form_helper(filterset.form)
            if filterset.is_bound and filterset.is_valid():
                queryset = filterset.qs
        return self.sorted(queryset), filterset

    def sorted(self, queryset: models.QuerySet) -> models.QuerySet:
        sort = self.request.GET.get("sort", self.default_sort)
        allowed = {c.sort for c in self.columns if c.sort}
        key = sort.lstrip("-")
        if key in allowed:
            direction = "-" if sort.startswith("-") else ""
            return queryset.order_by(f"{direction}{key}", "pk")
        return queryset

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        queryset, filterset = self.filtered()
        if request.GET.get("format") == "csv":
            return self.csv_response(queryset)
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        context = self.get_context_data(page=page, filterset=filterset, **kwargs)
        return self.render_to_response(context)

    def csv_response(self, queryset: models.QuerySet) -> StreamingHttpResponse:
        class Echo:
            def write(self, value: str) -> str:
                return value

        writer = csv_writer(Echo())
        columns = self.columns

        def rows():
            yield writer.writerow([c.label for c in columns])
            for obj in queryset.iterator(chunk_size=2000):
                yield writer.writerow([str(c.value(obj)) for c in columns])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slugify(self.title)}.csv"'
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        sort = self.request.GET.get("sort", self.default_sort)
        headers = []
        for column in self.columns:
            state = ""
            if column.sort and sort.lstrip("-") == column.sort:
                state = "descending" if sort.startswith("-") else "ascending"
            next_sort = ""
            if column.sort:
                next_sort = f"-{column.sort}" if state == "ascending" else column.sort
            headers.append({"column": column, "state": state, "next_sort": next_sort})
        page = context["page"]
        context.update(
            title=self.title,
            headers=headers,
            rows=[(obj, [(c, c.value(obj)) for c in self.columns]) for obj in page.object_list],
            query_without_page=query.urlencode(),
            query_without_sort="&".join(f"{k}={v}" for k, v in query.items() if k != "sort"),
            create_url_name=self.create_url_name if self.scope.has(self.create_capability) else "",
            create_label=self.create_label,
            empty_message=self.empty_message,
        )
        return context


class ObjectDetailView(ScopedView, TemplateView):
    lookup_field: ClassVar[str] = "pk"
    lookup_url_kwarg: ClassVar[str] = "pk"

    def get_object(self) -> Any:
        if not hasattr(self, "_object"):
            self._object = get_scoped_or_404(
                self.base_queryset(),  # type: ignore[arg-type]
                self.request.user,
                self.capability,
                **{self.lookup_field: self.kwargs[self.lookup_url_kwarg]},
            )
        return self._object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        context["object"] = obj
        context["history"] = object_history(obj, self.request.user)
        return context


def object_history(obj: models.Model, user: Any = None, limit: int = 50) -> list[Any]:
    """The audit trail of one object in words: field changes and business events, newest first.

    Events of a restricted kind (health records opened) appear only to those who may see them;
    the rest find them in the audit trail's keeping, not in a history anyone with VIEW can read."""
    content_type = ContentType.objects.get_for_model(obj)
    scope = scope_for(user) if user is not None else None
    changes = (
        LogEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )
    events = [
        e
        for e in Event.objects.filter(content_type=content_type, object_pk=str(obj.pk)).select_related(
            "actor", "content_type"
        )[:limit]
        if may_see_event(scope, e.name, e.partner_id)
    ]
    entries = describe_log_entries(changes, scope) + describe_events(events, scope)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


def audit_changes(entry: LogEntry, scope: Any = None) -> list[tuple[str, str, str]]:
    """One audit entry's (field, before, after) in words, for the object's own fields."""
    return describe_log_entries([entry], scope)[0].changes


class ActionFormView(ScopedView, FormView):
    """A form whose valid data is handed to an action; the action's ValidationError lands on the form."""

    template_name = "core/form.html"
    title: ClassVar[str] = ""
    capability: ClassVar[Capability] = Capability.MANAGE_PARTNERSHIP
    success_message: str = "Saved."

    def perform(self, form: Any) -> models.Model:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            obj = self.perform(form)
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url(obj))

    def get_success_url(self, obj: Any = None) -> str:  # type: ignore[override]
        return obj.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["back_url"] = self.request.GET.get("back", "")
        return context
