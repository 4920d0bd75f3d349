"""Pages for the ledger import: upload a file, watch the check, see the preview, apply it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.generic import TemplateView

from onesource.core.csvio import CsvFileError, decode_csv_bytes
from onesource.core.forms_base import GovukForm
from onesource.core.jobs import job_progress, start_job
from onesource.core.models import Job
from onesource.core.models.jobs import JobStatus
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ActionFormView, ScopedView
from onesource.costing.ledger_import import (
    DRIVER_OPTIONAL,
    DRIVER_REQUIRED,
    JOB_KIND,
    MAX_BYTES,
    OPTIONAL,
    REQUIRED,
    store_upload,
)
from onesource.costing.views import CostingPage


class LedgerUploadForm(GovukForm):
    submit_label = "Upload and check"

    file = forms.FileField(
        label="File",
        help_text="A CSV or Excel (.xlsx) file with a header row. Budgets and actuals: "
        + ", ".join(REQUIRED + OPTIONAL)
        + ". Driver counts: "
        + ", ".join(DRIVER_REQUIRED + DRIVER_OPTIONAL)
        + ". Nothing is written until you have seen the preview and applied it.",
    )
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[
            ("", "Each row says what it is in its kind column"),
            ("budget", "Budgets"),
            ("actual", "Actuals"),
            ("caseload", "Caseload counts"),
            ("transactions", "Transaction counts"),
        ],
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError("Upload a CSV (.csv) or Excel (.xlsx) file.")
        if upload.size > MAX_BYTES:
            raise ValidationError(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB.")
        if not upload.name.lower().endswith(".xlsx"):
            # Refuse a CSV that cannot be read here, on the form, rather than in the job.
            try:
                decode_csv_bytes(upload.read())
            except CsvFileError as exc:
                raise ValidationError(str(exc)) from None
            upload.seek(0)
        return upload


def _import_job(request: HttpRequest, pk: Any) -> Job:
    job = get_scoped_or_404(Job.objects.all(), request.user, Capability.MANAGE_FINANCE, pk=pk)
    if job.kind != JOB_KIND:
        raise Http404("No such import.")
    return job


class LedgerImportStartView(CostingPage, ActionFormView):
    form_class = LedgerUploadForm
    capability = Capability.MANAGE_FINANCE
    title = "Import budgets, actuals or driver counts"

    def form_valid(self, form: Any) -> HttpResponse:
        # No "success" banner: the next page says whether the file passed its check.
        return HttpResponseRedirect(self.get_success_url(self.perform(form)))

    def perform(self, form: Any) -> Job:
        upload = form.cleaned_data["file"]
        path = store_upload(upload.read(), upload.name, user=self.request.user)
        return start_job(
            JOB_KIND,
            {
                "path": path,
                "filename": upload.name,
                "dry_run": True,
                "default_kind": form.cleaned_data["kind"],
            },
            acting_user=self.request.user,
        )

    def get_success_url(self, obj: Any = None) -> str:
        return reverse("costing:ledger-import", args=[obj.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = "Ledger import"
        context["back_url"] = reverse("costing:budget-list")
        return context


class LedgerImportView(CostingPage, ScopedView, TemplateView):
    """A check (dry run) or an apply: progress while it runs, then the preview or the row errors."""

    capability = Capability.MANAGE_FINANCE
    model = Job
    template_name = "costing/ledger_import.html"

    def get_template_names(self) -> list[str]:
        if self.request.headers.get("HX-Request"):
            return ["costing/_ledger_import_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = _import_job(self.request, kwargs["pk"])
        progress = job_progress(job)
        total = progress["total"] or 0
        result = job.result or {}
        applied_job = None
        if job.params.get("dry_run"):
            applied_job = (
                Job.objects.restrict(self.request.user, Capability.MANAGE_FINANCE)
                .filter(kind=JOB_KIND, params__path=job.params.get("path"), params__dry_run=False)
                .first()
            )
        context.update(
            object=job,
            progress=progress,
            percent=int(100 * progress["done"] / total) if total else (100 if job.is_finished else 0),
            result=result,
            dry_run=bool(job.params.get("dry_run")),
            filename=job.params.get("filename", ""),
            applied_job=applied_job,
            can_apply=job.status == JobStatus.SUCCEEDED and job.params.get("dry_run") and applied_job is None,
        )
        return context


class LedgerImportApplyView(ScopedView, TemplateView):
    """POST: write the lines a successful check previewed (once)."""

    capability = Capability.MANAGE_FINANCE
    model = Job
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        checked = _import_job(request, kwargs["pk"])
        if not (checked.status == JobStatus.SUCCEEDED and checked.params.get("dry_run")):
            messages.error(request, "Only a file that passed its check can be applied.")
            return HttpResponseRedirect(reverse("costing:ledger-import", args=[checked.pk]))
        already = (
            Job.objects.restrict(request.user, Capability.MANAGE_FINANCE)
            .filter(kind=JOB_KIND, params__path=checked.params["path"], params__dry_run=False)
            .first()
        )
        if already is not None:
            messages.info(request, "This file has already been applied.")
            return HttpResponseRedirect(reverse("costing:ledger-import", args=[already.pk]))
        job = start_job(
            JOB_KIND,
            {**checked.params, "dry_run": False},
            partner=checked.partner,
            acting_user=request.user,
        )
        messages.success(request, "The import is being applied.")
        return HttpResponseRedirect(reverse("costing:ledger-import", args=[job.pk]))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:  # pragma: no cover
        raise Http404
