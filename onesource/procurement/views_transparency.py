"""The Transparency Code page: each partner's quarterly files, for the partners the person may see."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from onesource.core.models import Partner
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ScopedView
from onesource.procurement import transparency
from onesource.procurement.transparency import DATASETS, Quarter

QUARTERS_SHOWN = 8


class TransparencyView(ScopedView, TemplateView):
    template_name = "procurement/transparency.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        latest = Quarter.of(timezone.localdate()).previous()
        quarters = [latest]
        while len(quarters) < QUARTERS_SHOWN:
            quarters.append(quarters[-1].previous())
        context.update(
            title="Transparency Code files",
            partners=Partner.objects.restrict(self.request.user).filter(kind="member"),
            quarters=quarters,
            datasets=DATASETS,
        )
        return context


class TransparencyDownloadView(ScopedView, TemplateView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        partner = get_scoped_or_404(Partner.objects.all(), request.user, code=kwargs["code"])
        if kwargs["dataset"] not in DATASETS:
            raise Http404("No such dataset.")
        try:
            quarter = Quarter.parse(kwargs["quarter"])
        except ValueError as exc:
            raise Http404(str(exc)) from exc
        header, rows = transparency.build_dataset(kwargs["dataset"], request.user, partner, quarter)
        response = HttpResponse(
            transparency.dataset_csv(header, rows), content_type="text/csv; charset=utf-8"
        )
        name = transparency.filename(kwargs["dataset"], partner, quarter)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


urlpatterns = [
    path("transparency/", TransparencyView.as_view(), name="transparency"),
    path(
        "transparency/<str:code>/<str:quarter>/<str:dataset>.csv",
        TransparencyDownloadView.as_view(),
        name="transparency-download",
    ),
]
