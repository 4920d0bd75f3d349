"""Audit changes and business events in words, for every history, the audit trail and job pages.

django-auditlog stores each change as text ("16", "False", "2026-12-04 14:30:00.123456+00:00");
events store the data an action gave them. People must read names and labels instead: a foreign
key becomes the name of what it points to, a choice its label, a boolean yes or no, a date or time
as GOV.UK writes it ("4 December 2026 at 2:30pm"), and an empty value "not set".

Apps name their business events with `register_event_kind` (in their `audit_registry.py`) and
mark models whose audit rows are special category data with `register_restricted_model`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

NOT_SET = "not set"
WITHHELD = "Details withheld: only those who may see health data can read them."


# Words for values


def govuk_date(value: dt.date) -> str:
    """4 December 2026"""
    return f"{value.day} {value:%B %Y}"


def govuk_time(value: dt.time | dt.datetime) -> str:
    """2:30pm, 10am, midday, midnight (the GOV.UK style for times)."""
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def govuk_datetime(value: dt.datetime) -> str:
    """4 December 2026 at 2:30pm, in the site's time zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{govuk_date(value)} at {govuk_time(value)}"


def person_name(user: Any) -> str:
    """A person's full name, or their user name when they have none; 'the system' for no one."""
    if user is None:
        return "The system"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "") or str(user)


def humanize_key(key: str) -> str:
    """'up_to_month' -> 'Up to month': the fallback label for a name nobody gave words to."""
    text = str(key).replace(".", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else text


def format_value(value: Any) -> str:
    """Any value as words: yes/no, GOV.UK dates, thousands separators, names; 'not set' when empty."""
    if value is None or value == "" or value == [] or value == {}:
        return NOT_SET
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return govuk_datetime(value)
    if isinstance(value, dt.date):
        return govuk_date(value)
    if isinstance(value, dt.time):
        return govuk_time(value)
    if isinstance(value, Decimal):
        places = max(0, -int(value.as_tuple().exponent)) if value.is_finite() else 0  # type: ignore[operator]
        return f"{value:,.{places}f}"
    if isinstance(value, int):
        # Years (2022) read without a separator; counts of ten thousand and more with one.
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, models.Model):
        return person_name(value) if hasattr(value, "get_full_name") else str(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{humanize_key(k)}: {format_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, str):
        return _format_text(value)
    return str(value)


def _format_text(text: str) -> str:
    """Text that is really a date, time or boolean (as events and job parameters store them)."""
    if text in {"None", "null"}:
        return NOT_SET
    if text in {"True", "False"}:
        return "yes" if text == "True" else "no"
    if re.fullmatch(r"-?\d+\.\d+", text):  # an amount an action stored as text: "93916868.00"
        return format_value(Decimal(text))
    if len(text) == 10:
        day = _parse_date(text)
        if day is not None:
            return govuk_date(day)
    if len(text) > 10 and text[:4].isdigit() and text[4:5] == "-":
        moment = _parse_datetime(text)
        if moment is not None:
            return govuk_datetime(moment)
    return text


def _parse_date(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _parse_datetime(text: str) -> dt.datetime | None:
    try:
        moment = parse_datetime(text.replace(" ", "T", 1))
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


# Business events


@dataclass(frozen=True)
class EventKind:
    """What an app calls one kind of business event, and how its data reads.

    `data_labels` names the data keys (a key labelled None is not shown); `data_choices` turns stored
    codes into labels; `describe` replaces both for data that needs more (shares by partner).
    `restricted_to` keeps the event out of histories (and its data out of the audit trail) for
    anyone without that capability for the event's partner."""

    key: str
    label: str
    data_labels: Mapping[str, str | None] = field(default_factory=dict)
    data_choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    describe: Callable[[Mapping[str, Any]], list[tuple[str, str]]] | None = None
    restricted_to: str | None = None
    # Keys holding a partnership-wide figure (a run's total): shown only to a scope over all partners,
    # since a council could subtract its own share from it to learn the others'.
    partnership_only: frozenset[str] = frozenset()


EVENT_KINDS: dict[str, EventKind] = {}


def register_event_kind(
    key: str,
    label: str,
    *,
    data_labels: Mapping[str, str | None] | None = None,
    data_choices: Mapping[str, Iterable[tuple[Any, Any]]] | None = None,
    describe: Callable[[Mapping[str, Any]], list[tuple[str, str]]] | None = None,
    restricted_to: str | None = None,
    partnership_only: Iterable[str] = (),
) -> EventKind:
    kind = EventKind(
        key=key,
        label=label,
        data_labels=dict(data_labels or {}),
        data_choices={
            k: {str(v): str(lab) for v, lab in choices} for k, choices in (data_choices or {}).items()
        },
        describe=describe,
        restricted_to=str(restricted_to) if restricted_to else None,
        partnership_only=frozenset(partnership_only),
    )
    EVENT_KINDS[key] = kind
    return kind


def event_label(key: str) -> str:
    """The event's name in words: registered, or 'Recharge run created' from 'recharge_run.created'."""
    if key in EVENT_KINDS:
        return EVENT_KINDS[key].label
    return humanize_key(key)


def event_data(key: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The event's data as (label, words) pairs."""
    kind = EVENT_KINDS.get(key)
    if kind is not None and kind.describe is not None:
        return kind.describe(data)
    labels = kind.data_labels if kind else {}
    choices = kind.data_choices if kind else {}
    rows = []
    # PostgreSQL's jsonb keeps keys in its own order: labelled keys in the order given, then the rest by name.
    ordered = [k for k in labels if k in data] + sorted(k for k in data if k not in labels)
    for name in ordered:
        value = data[name]
        label = labels.get(name, humanize_key(name))
        if label is None:
            continue
        if name in choices and str(value) in choices[name]:
            rows.append((label, choices[name][str(value)]))
        else:
            rows.append((label, format_value(value)))
    return rows


def describe_partner_percentages(shares: Mapping[str, Any]) -> list[tuple[str, str]]:
    """{"HAV": "42.00"} -> [("London Borough of Havering", "42%")]: partners named, percentages as such."""
    from onesource.core.models import Partner

    names = dict(Partner.objects.filter(code__in=list(shares)).values_list("code", "name"))
    rows = []
    for code, percent in shares.items():
        try:
            words = f"{Decimal(str(percent)).normalize():f}%"
        except InvalidOperation:
            words = format_value(percent)
        rows.append((names.get(code, code), words))
    return rows


def visible_event_data(scope: Any, name: str, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The event's data without its partnership-wide figures, unless the scope covers every partner."""
    kind = EVENT_KINDS.get(name)
    if kind is None or not kind.partnership_only or (scope is not None and scope.is_all_partners):
        return data
    return {k: v for k, v in data.items() if k not in kind.partnership_only}


def may_see_event(scope: Any, name: str, partner_id: int | None) -> bool:
    kind = EVENT_KINDS.get(name)
    if kind is None or kind.restricted_to is None:
        return True
    return bool(scope is not None and scope.has(kind.restricted_to, partner_id))


# Models whose audit rows are special category data


RESTRICTED_MODELS: dict[type[models.Model], str] = {}


def register_restricted_model(model: type[models.Model], capability: str) -> None:
    """Audit rows of `model` show their object and changes only to those with `capability` (anywhere)."""
    RESTRICTED_MODELS[model] = str(capability)


def may_see_model(scope: Any, model: type[models.Model] | None) -> bool:
    if model is None or model not in RESTRICTED_MODELS:
        return True
    return bool(scope is not None and scope.has(RESTRICTED_MODELS[model]))


PARTNERSHIP_ONLY_FIELDS: dict[type[models.Model], frozenset[str]] = {}


def register_partnership_only_fields(model: type[models.Model], field_names: Iterable[str]) -> None:
    """Changes to these fields of `model` (a partnership-wide total) are shown only to a scope over
    every partner: a council could subtract its own share from them to learn the others'."""
    PARTNERSHIP_ONLY_FIELDS[model] = frozenset(field_names)


def _hidden_fields(scope: Any, model: type[models.Model] | None) -> frozenset[str]:
    if model is None or (scope is not None and scope.is_all_partners):
        return frozenset()
    return PARTNERSHIP_ONLY_FIELDS.get(model, frozenset())


# Field changes recorded by auditlog


@dataclass
class DescribedEntry:
    """One line of a history or the audit trail, all in words."""

    at: dt.datetime
    when: str
    who: str
    what: str
    object_type: str
    object_name: str
    changes: list[tuple[str, str, str]]
    request_id: str
    withheld: bool = False


def _model_fields(model: type[models.Model]) -> dict[str, models.Field]:
    # Reverse relations ("core.Service.None" on create) are not the object's own fields.
    return {
        f.name: f  # type: ignore[misc]
        for f in model._meta.get_fields()
        if (getattr(f, "concrete", False) or f.many_to_many) and not f.auto_created
    }


def _raw_pairs(entry: Any) -> list[tuple[str, Any, Any]]:
    changes = entry.changes_dict or {}
    pairs = []
    for name, pair in changes.items():
        if isinstance(pair, list) and len(pair) == 2:
            pairs.append((name, pair[0], pair[1]))
        else:
            pairs.append((name, None, pair))
    return pairs


def _empty(raw: Any) -> bool:
    return raw is None or raw in {"", "None", "null", "[]", "{}"}


class _Names:
    """Names of the objects foreign keys point to, looked up once per model for a whole page."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[str, str]] = {}

    def want(self, model: type[models.Model], raw: Any) -> None:
        if not _empty(raw):
            self.wanted[model].add(str(raw))

    def load(self) -> None:
        for model, keys in self.wanted.items():
            manager = model._default_manager
            pk_field = model._meta.pk
            try:
                values = [pk_field.to_python(k) for k in keys]  # type: ignore[union-attr]
            except Exception:
                values = []
            self.found[model] = {str(obj.pk): format_value(obj) for obj in manager.filter(pk__in=values)}

    def name(self, model: type[models.Model], raw: Any) -> str:
        if _empty(raw):
            return NOT_SET
        return self.found.get(model, {}).get(str(raw), f"a {model._meta.verbose_name} since deleted")


def _field_words(field_: models.Field, raw: Any, names: _Names) -> str:
    if _empty(raw):
        return NOT_SET
    if field_.is_relation and field_.related_model is not None and not field_.many_to_many:
        return names.name(field_.related_model, raw)  # type: ignore[arg-type]
    if field_.choices:
        labels = {str(value): str(label) for value, label in field_.flatchoices}
        return labels.get(str(raw), str(raw))
    if isinstance(field_, models.BooleanField):
        return "yes" if str(raw) in {"True", "true", "1"} else "no"
    if isinstance(field_, models.DateTimeField):
        moment = _parse_datetime(str(raw))
        return govuk_datetime(moment) if moment else str(raw)
    if isinstance(field_, models.DateField):
        day = _parse_date(str(raw)[:10])
        return govuk_date(day) if day else str(raw)
    if isinstance(field_, (models.IntegerField, models.AutoField)) and str(raw).lstrip("-").isdigit():
        return format_value(int(str(raw)))
    if isinstance(field_, (models.DecimalField, models.FloatField)):
        try:
            return format_value(Decimal(str(raw)))
        except InvalidOperation:
            return str(raw)
    if isinstance(field_, models.JSONField):
        try:
            return format_value(json.loads(raw) if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            return str(raw)
    return str(raw)


def _m2m_words(field_: models.Field, raw: Any) -> str:
    # auditlog writes m2m changes as {"type": "m2m", "operation": ..., "objects": [names]}
    if isinstance(raw, Mapping):
        verb = {"add": "added", "delete": "removed", "remove": "removed"}.get(raw.get("operation", ""), "set")
        return f"{', '.join(str(o) for o in raw.get('objects', []))} {verb}"
    return format_value(raw)


# auditlog's actions (create, update, delete, access) as a history says them.
_ACTION_WORDS = {0: "Created", 1: "Changed", 2: "Deleted", 3: "Looked at"}


def describe_log_entries(entries: Iterable[Any], scope: Any = None) -> list[DescribedEntry]:
    """auditlog entries in words, foreign keys resolved to names with one query per related model."""
    entries = list(entries)
    names = _Names()
    prepared = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        fields = _model_fields(model) if model is not None else {}
        hidden = _hidden_fields(scope, model)
        pairs = [
            (fields.get(n), n, b, a)
            for n, b, a in _raw_pairs(entry)
            if (model is None or n in fields) and n not in hidden
        ]
        for field_, _name, before, after in pairs:
            if field_ is not None and field_.is_relation and not field_.many_to_many and field_.related_model:
                names.want(field_.related_model, before)  # type: ignore[arg-type]
                names.want(field_.related_model, after)  # type: ignore[arg-type]
        prepared.append((entry, model, pairs))
    names.load()

    described = []
    for entry, model, pairs in prepared:
        allowed = may_see_model(scope, model)
        changes = []
        created = entry.action == 0  # auditlog's CREATE: an empty field there is noise, not a change
        if allowed:
            for field_, name, before, after in pairs:
                if created and _empty(after):
                    continue
                label = str(field_.verbose_name) if field_ is not None else humanize_key(name)
                label = label[:1].upper() + label[1:]
                if field_ is not None and field_.many_to_many:
                    changes.append((label, "", _m2m_words(field_, after)))
                elif field_ is None:
                    changes.append(
                        (label, "" if _empty(before) else format_value(before), format_value(after))
                    )
                else:
                    old = "" if _empty(before) else _field_words(field_, before, names)
                    changes.append((label, old, _field_words(field_, after, names)))
        object_type = str(model._meta.verbose_name) if model is not None else "record since removed"
        described.append(
            DescribedEntry(
                at=entry.timestamp,
                when=govuk_datetime(entry.timestamp),
                who=person_name(entry.actor),
                what=_ACTION_WORDS.get(entry.action, str(entry.get_action_display()).capitalize()),
                object_type=object_type[:1].upper() + object_type[1:],
                object_name=entry.object_repr if allowed else "",
                changes=changes,
                request_id=entry.cid or "",
                withheld=not allowed,
            )
        )
    return described


def describe_events(events: Iterable[Any], scope: Any = None) -> list[DescribedEntry]:
    """Business events in words; the data of a restricted kind only for those who may see it."""
    described = []
    for event in events:
        allowed = may_see_event(scope, event.name, event.partner_id)
        model = event.content_type.model_class() if event.content_type_id else None
        object_type = str(model._meta.verbose_name) if model is not None else ""
        described.append(
            DescribedEntry(
                at=event.at,
                when=govuk_datetime(event.at),
                who=person_name(event.actor),
                what=event_label(event.name),
                object_type=object_type[:1].upper() + object_type[1:],
                object_name=event.object_repr,
                changes=[
                    (label, "", words)
                    for label, words in event_data(
                        event.name, visible_event_data(scope, event.name, event.data)
                    )
                ]
                if allowed
                else [],
                request_id=event.request_id,
                withheld=not allowed,
            )
        )
    return described


ParameterWords = str | tuple[str, Callable[[Any], str]] | None


def describe_parameters(
    params: Mapping[str, Any], labels: Mapping[str, ParameterWords]
) -> list[tuple[str, str]]:
    """A job's parameters as (label, words). A parameter's entry is its label, or (label, how to word
    its value); one given None (a stored file's path, a file's contents) is not shown."""
    rows = []
    for name, value in params.items():
        entry = labels.get(name, humanize_key(name))
        if entry is None:
            continue
        if isinstance(entry, tuple):
            label, word = entry
            rows.append((label, NOT_SET if value is None or value == "" else word(value)))
        else:
            rows.append((entry, format_value(value)))
    return rows
