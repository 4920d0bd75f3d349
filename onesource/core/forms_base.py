"""Forms on GOV.UK Frontend (through crispy-forms-gds), and applying action errors to them.

Every `GovukForm` follows the design system without each form having to: date fields become the
GOV.UK date input (day, month, year), error messages say what to do ("Enter the start date",
"Amount must be a number"), inputs are styled, and drop-downs start with "Choose a ..." rather
than a row of dashes. A form keeps any message or empty label it sets itself.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.dateparse import parse_date


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(
            attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )


# Labels too short to make a message of on their own ("Enter the from" says nothing).
_LABEL_WORDS = {"from": "start date", "to": "end date", "on": "date", "date": "date"}


def _subject(label: str) -> str:
    """What a message is about: the label without its unit ('Amount (£)' -> 'amount') or its
    explanation ('Non-shared: the partner...' -> 'non-shared'), in lower case unless it starts with
    an acronym ('KPI', 'FTE')."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", label).split(":")[0].strip() or label
    text = _LABEL_WORDS.get(text.lower(), text)
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _lower_label(label: str) -> str:
    """'Start date' -> 'the start date', ready to follow 'Enter' or 'Select'."""
    subject = _subject(label)
    if re.match(r"^(a|an|the|your|this|each)\b", subject, re.IGNORECASE):
        return subject
    return f"the {subject}"


def _upper_label(label: str) -> str:
    """'Amount (£)' -> 'Amount', 'From' -> 'The start date': the start of a sentence."""
    subject = _subject(label)
    if re.sub(r"\s*\([^)]*\)\s*$", "", label).strip().lower() in _LABEL_WORDS:
        subject = f"the {subject}"
    return subject[:1].upper() + subject[1:]


def _with_article(text: str) -> str:
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


class GovukDateWidget(DateInputWidget):
    """Day, month and year boxes; also accepts one ISO date under the field's own name (API-like posts)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if f"{name}_0" not in data and name in data:
            day = parse_date(str(data.get(name) or "")) if data.get(name) else None
            if day is None:
                return [data.get(name) or "", "", ""] if data.get(name) else ["", "", ""]
            return [str(day.day), str(day.month), str(day.year)]
        return super().value_from_datadict(data, files, name)

    def decompress(self, value: Any) -> Any:
        if isinstance(value, str):
            value = parse_date(value) if value else None
        return super().decompress(value)


class GovukDateField(DateInputField):
    """The GOV.UK date input: day, month and year, each error saying what to fix."""

    widget = GovukDateWidget

    def __init__(self, **kwargs: Any):
        kwargs.pop("widget", None)  # the three boxes are the widget
        kwargs.pop("input_formats", None)
        super().__init__(require_all_fields=False, **kwargs)
        self.word_messages(str(self.label or "The date"))

    def word_messages(self, label: str) -> None:
        name = _upper_label(label)
        lower = _lower_label(label)
        self.error_messages["required"] = f"Enter {lower}"
        self.error_messages["incomplete"] = f"{name} must include a day, month and year"
        self.error_messages["invalid"] = f"{name} must be a real date"
        self._name = name
        for sub, part in zip(self.fields, ("day", "month", "year"), strict=True):
            sub.error_messages["incomplete"] = f"{name} must include a {part}"
            sub.validators = [RegexValidator(r"^\s*[0-9]+\s*$", f"{name} must be a real date")]
        self.fields[2].validators.append(RegexValidator(r"^\s*[0-9]{4}\s*$", "Year must include 4 numbers"))

    def compress(self, data_list: Any) -> dt.date | None:
        day, month, year = data_list
        if day and month and year:
            try:
                return dt.date(day=int(day), month=int(month), year=int(year))
            except ValueError as error:
                raise ValidationError(f"{self._name} must be a real date", code="invalid") from error
        return None


_INPUT_WIDGETS = (forms.NumberInput, forms.DateInput, forms.URLInput, forms.TimeInput, forms.DateTimeInput)


def _default_messages(field: forms.Field) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for klass in reversed(type(field).__mro__):
        defaults.update({k: str(v) for k, v in getattr(klass, "default_error_messages", {}).items()})
    return defaults


def govuk_field(field: forms.Field, name: str) -> forms.Field:
    """The field as GOV.UK asks: date input for dates, messages that say what to do, styled, no dashes."""
    if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
        replacement = GovukDateField(
            label=field.label,
            required=field.required,
            help_text=field.help_text,
            initial=field.initial,
            disabled=field.disabled,
            validators=[v for v in field.validators],
        )
        label = str(field.label) if field.label else name.replace("_", " ").capitalize()
        replacement.word_messages(label)
        # A form's own words for a missing date ("Enter the first day of the period") stay.
        required = str(field.error_messages.get("required", ""))
        if required and required != _default_messages(field).get("required"):
            replacement.error_messages["required"] = required
        return replacement
    label = str(field.label) if field.label else name.replace("_", " ").capitalize()
    if isinstance(field, GovukDateField):
        field.word_messages(label)
        return field
    upper = _upper_label(label)
    lower = _lower_label(label)
    choosing = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.FileField))
    words = {
        "required": f"Select {lower}" if choosing else f"Enter {lower}",
        "invalid_choice": f"Select {lower} from the list",  # noqa: S608 - words, not SQL
        "min_value": f"{upper} must be %(limit_value)s or more",
        "max_value": f"{upper} must be %(limit_value)s or less",
        "max_digits": f"{upper} must have no more than %(max)s digits",
        "max_decimal_places": f"{upper} must have no more than %(max)s decimal places",
        "max_whole_digits": f"{upper} must have no more than %(max)s digits before the decimal point",
    }
    if isinstance(field, (forms.DecimalField, forms.FloatField)):  # both are IntegerFields to Django
        words["invalid"] = f"{upper} must be a number"
    elif isinstance(field, forms.IntegerField):
        words["invalid"] = f"{upper} must be a whole number"
    elif isinstance(field, forms.EmailField):
        words["invalid"] = "Enter an email address in the correct format, like name@example.org"
    if isinstance(field, forms.CharField) and field.max_length:
        words["max_length"] = f"{upper} must be %(limit_value)d characters or fewer"
    defaults = _default_messages(field)
    for key, message in words.items():
        # A message the form wrote itself stays; only Django's generic ones are replaced.
        if key not in field.error_messages or str(field.error_messages[key]) == defaults.get(key):
            field.error_messages[key] = message
    empty = f"Choose {_with_article(_subject(label))}" if field.required else "Not chosen"
    if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
        field.empty_label = empty
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]  # a ChoiceField's choices are a list here
        if any(value == "" and label_ == "---------" for value, label_ in choices):
            field.choices = [(value, empty if value == "" else text) for value, text in choices]
        elif (
            field.required
            and field.initial is None
            and not isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            and not isinstance(field, forms.MultipleChoiceField)
            and choices
            and not any(value == "" for value, _label in choices)
        ):
            # A required drop-down with no blank first option shows its first choice as if chosen, and a
            # person who did not look submits it. Nothing is chosen until they choose (an edit form's
            # own value still shows, from the form's initial data).
            field.choices = [("", empty), *choices]
    widget = field.widget
    if isinstance(widget, _INPUT_WIDGETS) and "govuk-" not in widget.attrs.get("class", ""):
        # A number is short: a full-width box for it misleads (GOV.UK's fixed-width inputs).
        width = " govuk-input--width-10" if isinstance(widget, forms.NumberInput) else ""
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} govuk-input{width}".strip()
    return field


class GovukFormMixin:
    submit_label = "Save"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._govuk_done: set[str] = set()
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server validates, and says why in the error summary
        self.helper.add_input(Submit("submit", self.submit_label))

    def __getitem__(self, name: str) -> Any:
        # Cleaning and rendering both reach each field through here, so fields a subclass adds
        # after __init__ (a share per partner) follow the patterns too.
        fields: dict[str, forms.Field] = self.fields  # type: ignore[attr-defined]
        for field_name in [n for n in fields if n not in self._govuk_done]:
            fields[field_name] = govuk_field(fields[field_name], field_name)
            self._govuk_done.add(field_name)
        return super().__getitem__(name)  # type: ignore[misc]


class GovukForm(GovukFormMixin, forms.Form):
    """A form on the GOV.UK patterns (see the module's docstring)."""


def add_validation_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's ValidationError on the form: field messages by field, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def filter_form_helper(form: forms.BaseForm | None = None) -> FormHelper:
    """The helper for a list's filter form (a GET form); its date filters become the GOV.UK date input."""
    if form is not None:
        for name, field in list(form.fields.items()):
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                form.fields[name] = govuk_field(field, name)
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_tag = False
    return helper
