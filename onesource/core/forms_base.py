"""Forms on GOV.UK Frontend (through crispy-forms-gds), and applying action errors to them."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__(
            attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )


class GovukFormMixin:
    submit_label = "Save"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server validates, and says why in the error summary
        self.helper.add_input(Submit("submit", self.submit_label))


class GovukForm(GovukFormMixin, forms.Form):
    pass


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


def filter_form_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_tag = False
    return helper
