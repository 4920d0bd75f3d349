"""Pages to import an HR/payroll extract: upload, map the columns, preview (a dry run), apply.

The uploaded file is kept in storage; the session remembers which uploads belong to the person.
The dry run and the import itself are jobs of kind `workforce.import`, so a large file shows
its progress, and the import is all or nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.views.generic import FormView, TemplateView

from onesource.core.forms_base import GovukForm
from onesource.core.jobs import start_job
from onesource.core.models import Job, Partner
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ScopedView
from onesource.workforce.imports import (
    FIELDS,
    JOB_KIND,
    KIND_LABELS,
    KINDS,
    MAX_UPLOAD_BYTES,
    ExtractError,
    Table,
    auto_map,
    check_mapping,
    load_upload,
    read_extract,
    store_upload,
)

SESSION_KEY = "workforce_imports"
OUTCOMES = {"created": "New", "updated": "Changed", "unchanged": "Unchanged"}
SAMPLE_ROWS = 3


class UploadForm(GovukForm):
    submit_label = "Upload and map the columns"
    file = forms.FileField(
        label="Extract file",
        help_text="A CSV file (.csv) with one kind of record, or an Excel workbook (.xlsx) with sheets named "
        "posts, people and assignments.",
        error_messages={"required": "Choose the extract file to upload."},
    )
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[("", "A workbook with a sheet for each kind")] + [(k, KIND_LABELS[k]) for k in KINDS],
        required=False,
        help_text="Needed for a CSV file, or a workbook with one unnamed sheet.",
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="Any partner you manage",
        label="Partner",
        help_text="The partner whose staff and posts this extract holds. Leave blank for any you manage.",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.restrict(user, Capability.MANAGE_WORKFORCE)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        if partners.count() == 1:
            self.fields["partner"].required = True
            self.fields["partner"].initial = partners.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            content = upload.read()
            try:
                data["tables"] = read_extract(content, upload.name, data.get("kind") or None)
            except ExtractError as exc:
                field = "kind" if "Say what the CSV" in str(exc) or "one sheet" in str(exc) else "file"
                self.add_error(field, str(exc))
            data["content"] = content
        return data


def _uploads(request: HttpRequest) -> dict[str, dict[str, Any]]:
    return request.session.get(SESSION_KEY, {})


def _remember(request: HttpRequest, token: str, info: dict[str, Any]) -> None:
    uploads = dict(_uploads(request))
    uploads[token] = info
    # Keep the last few only: the session is not a file store.
    request.session[SESSION_KEY] = dict(list(uploads.items())[-5:])


class ImportUploadView(ScopedView, FormView):
    capability = Capability.MANAGE_WORKFORCE
    template_name = "workforce/import_upload.html"
    form_class = UploadForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: UploadForm) -> HttpResponse:
        data = form.cleaned_data
        name = store_upload(data["content"], data["file"].name)
        token = uuid.uuid4().hex
        _remember(
            self.request,
            token,
            {
                "file": name,
                "filename": data["file"].name,
                "kind": data.get("kind") or None,
                "partner": data["partner"].code if data.get("partner") else None,
            },
        )
        return HttpResponseRedirect(reverse("workforce:import-columns", args=[token]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = "Import an HR or payroll extract"
        context["fields"] = [(KIND_LABELS[k], FIELDS[k]) for k in KINDS]
        return context


class UploadMixin(ScopedView):
    capability = Capability.MANAGE_WORKFORCE
    kwargs: dict[str, Any]

    def upload(self) -> dict[str, Any]:
        info = _uploads(self.request).get(self.kwargs["token"])
        if info is None:
            raise Http404("No such upload.")
        return info

    def tables(self) -> list[Table]:
        info = self.upload()
        try:
            return read_extract(load_upload(info["file"]), info["filename"], info["kind"])
        except ExtractError as exc:
            raise Http404(str(exc)) from exc

    def partner(self) -> Partner | None:
        code = self.upload().get("partner")
        if not code:
            return None
        return get_scoped_or_404(
            Partner.objects.all(), self.request.user, Capability.MANAGE_WORKFORCE, code=code
        )

    def get_job(self) -> Job:
        """The import job for this upload: one the person may see, of this kind, on this file."""
        job = get_scoped_or_404(
            Job.objects.all(), self.request.user, Capability.RUN_JOBS, pk=self.kwargs["job"]
        )
        if job.kind != JOB_KIND or job.params.get("file") != self.upload()["file"]:
            raise Http404("No such import.")
        return job

    def start(self, mappings: dict[str, dict[str, str]], *, dry_run: bool) -> Job:
        info = self.upload()
        return start_job(
            JOB_KIND,
            {
                "file": info["file"],
                "filename": info["filename"],
                "kind": info["kind"],
                "mapping": mappings,
                "dry_run": dry_run,
            },
            partner=self.partner(),
            acting_user=self.request.user,
        )


class MappingForm(GovukForm):
    """A choice of the file's heading for each of our fields, per kind in the file."""

    submit_label = "Check the import (dry run)"

    def __init__(self, *args: Any, tables: list[Table], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.tables = tables
        for table in tables:
            initial = auto_map(table.kind, table.headings)
            choices = [("", "Not in this file")] + [(h, h) for h in table.headings if h]
            for f in FIELDS[table.kind]:
                self.fields[f"{table.kind}__{f.name}"] = forms.ChoiceField(
                    label=f"{f.label}{'' if f.required else ' (optional)'}",
                    choices=choices,
                    required=False,
                    initial=initial.get(f.name, ""),
                    help_text=f.help,
                )

    def mappings(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for table in self.tables:
            out[table.kind] = {
                f.name: self.cleaned_data.get(f"{table.kind}__{f.name}") or ""
                for f in FIELDS[table.kind]
                if self.cleaned_data.get(f"{table.kind}__{f.name}")
            }
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for table in self.tables:
            mapping = {f.name: data.get(f"{table.kind}__{f.name}") or "" for f in FIELDS[table.kind]}
            for name, problem in check_mapping(table.kind, table.headings, mapping).items():
                self.add_error(f"{table.kind}__{name}", problem)
            used = [h for h in mapping.values() if h]
            for heading in {h for h in used if used.count(h) > 1}:
                for name, chosen in mapping.items():
                    if chosen == heading:
                        self.add_error(
                            f"{table.kind}__{name}",
                            f"The column {heading!r} is chosen for more than one field.",
                        )
        return data


class ImportColumnsView(UploadMixin, FormView):
    template_name = "workforce/import_columns.html"
    form_class = MappingForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["tables"] = self.tables()
        return kwargs

    def form_valid(self, form: MappingForm) -> HttpResponse:
        try:
            job = self.start(form.mappings(), dry_run=True)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("workforce:import-preview", args=[self.kwargs["token"], job.pk]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        sections = []
        for table in form.tables:
            samples = [
                ", ".join(
                    str(cells[i]) for _, cells in table.rows[:SAMPLE_ROWS] if i < len(cells) and cells[i]
                )
                for i in range(len(table.headings))
            ]
            sections.append(
                {
                    "kind": table.kind,
                    "label": KIND_LABELS[table.kind],
                    "rows": len(table.rows),
                    "headings": list(zip(table.headings, samples, strict=True)),
                    "fields": [form[f"{table.kind}__{f.name}"] for f in FIELDS[table.kind]],
                }
            )
        context.update(title="Match the columns", sections=sections, upload=self.upload())
        return context


class ImportPreviewView(UploadMixin, TemplateView):
    """The dry run's outcome: what would be created and changed, the first rows, or the rows' problems."""

    template_name = "workforce/import_preview.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["workforce/_import_outcome.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from onesource.core.jobs import job_progress

        context = super().get_context_data(**kwargs)
        job = self.get_job()
        progress = job_progress(job)
        total = progress["total"] or 0
        result = job.result or {}
        preview = []
        for kind in KINDS:
            if kind in (result.get("counts") or {}):
                labels = {f.name: f.label for f in FIELDS[kind]}
                rows = result.get("preview", {}).get(kind, [])
                names = [n for n in labels if any(n in r["values"] for r in rows)]
                preview.append(
                    {
                        "label": KIND_LABELS[kind],
                        "counts": result["counts"][kind],
                        "columns": [labels[n] for n in names],
                        "rows": [
                            (
                                r["row"],
                                OUTCOMES.get(r["outcome"], r["outcome"]),
                                [_cell(r["values"].get(n)) for n in names],
                            )
                            for r in rows
                        ],
                    }
                )
        context.update(
            title="Check the import",
            job=job,
            object=job,
            progress=progress,
            percent=int(100 * progress["done"] / total) if total else (100 if job.is_finished else 0),
            preview=preview,
            token=self.kwargs["token"],
            upload=self.upload(),
        )
        return context


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


class ImportApplyView(UploadMixin, TemplateView):
    """Run the import for real, with the mapping the dry run used; then watch it on the job page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        checked = self.get_job()
        if checked.status != "succeeded" or not checked.params.get("dry_run"):
            # Only a dry run that found no problems can be applied; its page says why not.
            return HttpResponseRedirect(
                reverse("workforce:import-preview", args=[kwargs["token"], checked.pk])
            )
        job = self.start(checked.params.get("mapping") or {}, dry_run=False)
        messages.success(request, "The import has started. This page shows its progress.")
        return HttpResponseRedirect(job.get_absolute_url())


urlpatterns = [
    path("import/", ImportUploadView.as_view(), name="import-upload"),
    path("import/<str:token>/columns/", ImportColumnsView.as_view(), name="import-columns"),
    path("import/<str:token>/preview/<uuid:job>/", ImportPreviewView.as_view(), name="import-preview"),
    path("import/<str:token>/preview/<uuid:job>/apply/", ImportApplyView.as_view(), name="import-apply"),
]
