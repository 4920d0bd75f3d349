"""A partner's statement for a run: each service's cost, basis, driver figures, the partner's share and
amount, and for every figure the link to the lines it came from. Shown as a page, CSV and PDF."""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.template.loader import get_template, render_to_string
from django.urls import reverse

from onesource.core.csvio import csv_writer
from onesource.core.drivers import DRIVER_PROVIDERS
from onesource.core.models import Partner
from onesource.core.versions import cached_by_version
from onesource.costing.models import Basis, RechargeCharge, RechargeRun, RechargeServiceCost
from onesource.costing.recharge import period_bounds

ZERO = Decimal("0.00")


@dataclass
class StatementRow:
    charge: RechargeCharge
    cost: RechargeServiceCost | None
    basis_label: str
    basis_detail: str
    share_note: str
    links: dict[str, str] = field(default_factory=dict)

    @property
    def service(self):
        return self.charge.service

    @property
    def own_variance(self) -> Decimal:
        return self.charge.nonshared_variance

    @property
    def share_percent(self) -> Decimal:
        return (self.charge.fraction * 100).quantize(Decimal("0.01"))


@dataclass
class Statement:
    run: RechargeRun
    partner: Partner
    rows: list[StatementRow]

    def total(self, name: str) -> Decimal:
        return sum((getattr(r.charge, name) for r in self.rows), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        names = ["budget_share", "variance_share", "nonshared_budget", "nonshared_variance", "total"]
        return {name: self.total(name) for name in names}


def _list_url(name: str, **params: object) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(f"costing:{name}") + "?" + urlencode(query)


def _basis_detail(charge: RechargeCharge, cost: RechargeServiceCost | None) -> str:
    if charge.basis == Basis.FORMULA:
        if charge.percent is None:
            return "Non-shared lines only"
        text = f"{charge.percent.normalize():f}% of the formula"
        if charge.days is not None and charge.period_days and charge.days != charge.period_days:
            text += f", pro rata for {charge.days} of {charge.period_days} days"
        return text
    if charge.driver_quantity is None:
        return "Non-shared lines only"
    total = cost.driver_total if cost else None
    unit = cost.driver_unit if cost else ""
    quantity = f"{charge.driver_quantity.normalize():,f}"
    return f"{quantity} of {total.normalize():,f} {unit}" if total else f"{quantity} {unit}"


def _share_note(charge: RechargeCharge) -> str:
    if charge.reset is None:
        return ""
    return "re-set: moved beyond the tolerance" if charge.reset else "estimate kept: within the tolerance"


def build_statement(run: RechargeRun, partner: Partner) -> Statement:
    costs = {c.service_id: c for c in run.service_costs.all()}
    start, end = period_bounds(run.year, run.up_to_month)
    rows = []
    for charge in (
        run.charges.filter(partner=partner)
        .select_related("service__area")
        .order_by("service__area__name", "service__name")
    ):
        cost = costs.get(charge.service_id)
        code = charge.service.code
        common = {"service": code, "year": run.year, "month_to": run.up_to_month}
        links = {
            "budget": _list_url("budget-list", **common, sharing="shared"),
            "actual": _list_url("actual-list", **common, sharing="shared"),
            "own_budget": _list_url("budget-list", **common, owner=partner.code),
            "own_actual": _list_url("actual-list", **common, owner=partner.code),
        }
        if charge.basis in {Basis.CASELOAD, Basis.TRANSACTIONS}:
            links["driver"] = _list_url("quantity-list", **common, kind=charge.basis)
        elif charge.basis == Basis.TIME_RECORDED:
            links["driver"] = _list_url("time-list", service=code, date_from=start, date_to=end)
        elif charge.basis == Basis.FORMULA and charge.percent is not None and cost and cost.agreement_id:
            links["driver"] = reverse("costing:agreement-detail", args=[cost.agreement_id])
        if cost and cost.support_from:
            links["support"] = reverse("costing:run-detail", args=[run.pk]) + f"#support-{code}"
        label = charge.get_basis_display()
        if charge.basis in DRIVER_PROVIDERS:
            label = DRIVER_PROVIDERS[charge.basis].label
        rows.append(
            StatementRow(
                charge=charge,
                cost=cost,
                basis_label=label,
                basis_detail=_basis_detail(charge, cost),
                share_note=_share_note(charge),
                links=links,
            )
        )
    return Statement(run=run, partner=partner, rows=rows)


CSV_HEADER = [
    "run",
    "partner",
    "service_area",
    "service",
    "basis",
    "basis_detail",
    "share_percent",
    "service_budget",
    "service_actual",
    "service_shared_variance",
    "budget_share",
    "shared_variance_share",
    "non_shared_budget",
    "non_shared_variance",
    "total",
]


def statement_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(CSV_HEADER)
    for row in statement.rows:
        c, cost = row.charge, row.cost
        writer.writerow(
            [
                str(statement.run),
                statement.partner.code,
                row.service.area.name,
                row.service.name,
                row.basis_label,
                row.basis_detail,
                f"{row.share_percent}",
                f"{cost.budget_total if cost else ZERO}",
                f"{cost.actual_total if cost else ZERO}",
                f"{cost.variance if cost else ZERO}",
                f"{c.budget_share}",
                f"{c.variance_share}",
                f"{c.nonshared_budget}",
                f"{c.nonshared_variance}",
                f"{c.total}",
            ]
        )
    totals = statement.totals
    writer.writerow(
        [str(statement.run), statement.partner.code, "", "Total", "", "", "", "", "", ""]
        + [
            f"{totals[n]}"
            for n in ("budget_share", "variance_share", "nonshared_budget", "nonshared_variance")
        ]
        + [f"{totals['total']}"]
    )
    return out.getvalue()


PDF_TEMPLATES = ("costing/statement_pdf.html", "costing/_statement_table.html")


def statement_pdf(statement: Statement, base_url: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(PDF_TEMPLATES[0], {"statement": statement, "base_url": base_url})
    return HTML(string=html, base_url=base_url).write_pdf()


@functools.cache
def _templates_fingerprint() -> str:
    """Changes when the statement's templates do, so an upgrade never serves a PDF laid out by the old."""
    sources = "\0".join(get_template(name).template.source for name in PDF_TEMPLATES)  # type: ignore[attr-defined]
    return hashlib.sha256(sources.encode()).hexdigest()[:16]


def statement_pdf_for_download(statement: Statement, base_url: str) -> bytes:
    """The PDF, drawn once per approved (or superseded) run and partner and then served from the cache.

    A run's charges never change once it is approved; what else the PDF shows is its status, the
    partner's and services' names (the partnership data set's version) and the site's address, all in
    the key. A draft is drawn afresh each time: it is shown while its sign-offs are gathered."""
    run = statement.run
    if run.is_draft:
        return statement_pdf(statement, base_url)
    address = hashlib.sha256(base_url.encode()).hexdigest()[:16]
    key = f"statement-pdf:{run.pk}:{run.status}:{statement.partner.pk}:{address}:{_templates_fingerprint()}"
    return cached_by_version("partnership", key, lambda: statement_pdf(statement, base_url))
