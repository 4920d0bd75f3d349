"""Pages to import a spend file: upload, match the columns, check (a dry run), apply; and the imports.

The uploaded file is kept in storage and the session remembers which uploads are the person's. The
check and the import are jobs of kind `procurement.spend_import`, so a large file shows its progress.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.views.generic import FormView, TemplateView

from onesource.core.forms_base import GovukForm
from onesource.core.jobs import job_progress, start_job
from onesource.core.models import Job, Partner
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import Column, ObjectDetailView, ObjectListView, ScopedView
from onesource.procurement.filters import SpendImportFilter
from onesource.procurement.jobs import SPEND_IMPORT, load_upload, store_upload
from onesource.procurement.models import Payment, SpendImport
from onesource.procurement.spend import (
    FIELDS,
    MAX_SPEND_BYTES,
    SpendFile,
    SpendFileError,
    auto_map,
    check_mapping,
    read_spend_file,
)

IMPORT = Capability.IMPORT_SPEND
SESSION_KEY = "procurement_spend_uploads"
SAMPLE_ROWS = 3


class SpendImportListView(ObjectListView):
    model = SpendImport
    title = "Spend imports"
    filterset_class = SpendImportFilter
    default_sort = "-imported_at"
    create_url_name = "procurement:spend-upload"
    create_label = "Import a spend file"
    create_capability = IMPORT
    empty_message = "No spend files imported yet."
    columns = [
        Column("filename", "File", sort="filename", link=True),
        Column("partner", "Partner", accessor="partner.name", sort="partner__name"),
        Column("imported_at", "Imported", sort="imported_at"),
        Column("payments", "Payments", numeric=True, sort="payments"),
        Column("total", "Total (£)", numeric=True, sort="total"),
        Column("quarantined", "Rows kept aside", accessor="quarantined_count", numeric=True),
    ]

    def base_queryset(self):
        return SpendImport.objects.select_related("partner").annotate(quarantined_count=Count("quarantined"))


class SpendImportDetailView(ObjectDetailView):
    model = SpendImport
    template_name = "procurement/spend_import_detail.html"

    def base_queryset(self):
        return SpendImport.objects.select_related("partner", "imported_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record = context["object"]
        context.update(
            quarantined=record.quarantined.all()[:500],
            quarantined_count=record.quarantined.count(),
            first_payments=Payment.objects.filter(spend_import=record).order_by("row_number")[:20],
            other_problems=[p for p in record.problems if not p.get("row")],
        )
        return context


class UploadForm(GovukForm):
    submit_label = "Upload and match the columns"
    file = forms.FileField(
        label="Spend file",
        help_text="The CSV or Excel file (.xlsx) as the council publishes it: payments over £500.",
        error_messages={"required": "Choose the spend file to upload."},
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        to_field_name="code",
        label="Whose payments",
        empty_label="Choose a partner",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        partners = Partner.objects.restrict(user, IMPORT)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        if partners.count() == 1:
            self.fields["partner"].initial = partners.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_SPEND_BYTES:
                self.add_error(
                    "file", f"The file is larger than {MAX_SPEND_BYTES // (1024 * 1024)} MB: split it."
                )
                return data
            content = upload.read()
            try:
                data["spend_file"] = read_spend_file(content, upload.name)
            except SpendFileError as exc:
                self.add_error("file", str(exc))
            data["content"] = content
        return data


def _uploads(request: HttpRequest) -> dict[str, dict[str, Any]]:
    return request.session.get(SESSION_KEY, {})


class SpendUploadView(ScopedView, FormView):
    capability = IMPORT
    template_name = "procurement/spend_upload.html"
    form_class = UploadForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: UploadForm) -> HttpResponse:
        data = form.cleaned_data
        token = uuid.uuid4().hex
        uploads = dict(_uploads(self.request))
        uploads[token] = {
            "file": store_upload(data["content"], data["file"].name),
            "filename": data["file"].name,
            "partner": data["partner"].code,
        }
        # The last few only: the session is not a file store.
        self.request.session[SESSION_KEY] = dict(list(uploads.items())[-5:])
        return HttpResponseRedirect(reverse("procurement:spend-columns", args=[token]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title="Import a spend file", fields=FIELDS)
        return context


class UploadMixin(ScopedView):
    capability = IMPORT
    kwargs: dict[str, Any]

    def upload(self) -> dict[str, Any]:
        info = _uploads(self.request).get(self.kwargs["token"])
        if info is None:
            raise Http404("No such upload.")
        return info

    def spend_file(self) -> SpendFile:
        info = self.upload()
        try:
            return read_spend_file(load_upload(info["file"]), info["filename"])
        except SpendFileError as exc:
            raise Http404(str(exc)) from exc

    def partner(self) -> Partner:
        return get_scoped_or_404(
            Partner.objects.all(), self.request.user, IMPORT, code=self.upload()["partner"]
        )

    def get_job(self) -> Job:
        job = get_scoped_or_404(
            Job.objects.all(), self.request.user, Capability.RUN_JOBS, pk=self.kwargs["job"]
        )
        if job.kind != SPEND_IMPORT or job.params.get("file") != self.upload()["file"]:
            raise Http404("No such import.")
        return job

    def start(self, mapping: dict[str, str], *, dry_run: bool) -> Job:
        info = self.upload()
        params = {"file": info["file"], "filename": info["filename"], "mapping": mapping, "dry_run": dry_run}
        return start_job(SPEND_IMPORT, params, partner=self.partner(), acting_user=self.request.user)


class MappingForm(GovukForm):
    submit_label = "Check the file"

    def __init__(self, *args: Any, spend_file: SpendFile, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.spend_file = spend_file
        initial = auto_map(spend_file.headings)
        choices = [("", "Not in this file")] + [(h, h) for h in spend_file.headings if h]
        for f in FIELDS:
            self.fields[f.name] = forms.ChoiceField(
                label=f"{f.label}{'' if f.required else ' (optional)'}",
                choices=choices,
                required=False,
                initial=initial.get(f.name, ""),
                help_text=f.help,
            )

    def mapping(self) -> dict[str, str]:
        return {f.name: self.cleaned_data[f.name] for f in FIELDS if self.cleaned_data.get(f.name)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping = {f.name: data.get(f.name) or "" for f in FIELDS}
        for name, problem in check_mapping(
            self.spend_file.headings, {k: v for k, v in mapping.items() if v}
        ).items():
            self.add_error(name, problem)
        return data


class SpendColumnsView(UploadMixin, FormView):
    template_name = "procurement/spend_columns.html"
    form_class = MappingForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["spend_file"] = self.spend_file()
        return kwargs

    def form_valid(self, form: MappingForm) -> HttpResponse:
        try:
            job = self.start(form.mapping(), dry_run=True)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("procurement:spend-preview", args=[self.kwargs["token"], job.pk]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        spend_file = context["form"].spend_file
        first = []
        for _, cells in spend_file.rows():
            first.append(cells)
            if len(first) >= SAMPLE_ROWS:
                break
        samples = [
            ", ".join(str(cells[i]) for cells in first if i < len(cells) and cells[i] not in (None, ""))
            for i in range(len(spend_file.headings))
        ]
        context.update(
            title="Match the columns",
            upload=self.upload(),
            header_row=spend_file.header_row,
            headings=list(zip(spend_file.headings, samples, strict=True)),
        )
        return context


class SpendPreviewView(UploadMixin, TemplateView):
    """The check's outcome: payments, total, the rows kept aside and why; or why the file was refused."""

    template_name = "procurement/spend_preview.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["procurement/_spend_outcome.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.get_job()
        progress = job_progress(job)
        total = progress["total"] or 0
        context.update(
            title="Check the spend file",
            job=job,
            result=job.result or {},
            progress=progress,
            percent=int(100 * progress["done"] / total) if total else (100 if job.is_finished else 0),
            token=self.kwargs["token"],
            upload=self.upload(),
        )
        return context


class SpendApplyView(UploadMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        checked = self.get_job()
        if checked.status != "succeeded" or not checked.params.get("dry_run"):
            return HttpResponseRedirect(
                reverse("procurement:spend-preview", args=[kwargs["token"], checked.pk])
            )
        job = self.start(checked.params.get("mapping") or {}, dry_run=False)
        messages.success(request, "The import has started. This page shows its progress.")
        return HttpResponseRedirect(job.get_absolute_url())


urlpatterns = [
    path("spend/", SpendImportListView.as_view(), name="spend-import-list"),
    path("spend/imports/<int:pk>/", SpendImportDetailView.as_view(), name="spend-import-detail"),
    path("spend/import/", SpendUploadView.as_view(), name="spend-upload"),
    path("spend/import/<str:token>/columns/", SpendColumnsView.as_view(), name="spend-columns"),
    path("spend/import/<str:token>/check/<uuid:job>/", SpendPreviewView.as_view(), name="spend-preview"),
    path("spend/import/<str:token>/check/<uuid:job>/apply/", SpendApplyView.as_view(), name="spend-apply"),
]
