"""API for the Transparency Code datasets: the same data as the pages and the CSV files, as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from onesource.core.api_base import Day, ErrorOut
from onesource.workforce import transparency

router = Router(tags=["workforce transparency"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}


class SeniorSalaryOut(Schema):
    post_number: str
    job_title: str
    service: str
    responsibilities: str
    salary_band_from: str
    salary_band_to: str
    salary_band: str
    name: str
    contract_type: str


class SeniorSalariesOut(Schema):
    partner: str
    date: dt.date
    data: list[SeniorSalaryOut]


class PayMultipleData(Schema):
    date: dt.date
    highest_salary: str
    median_salary: str
    pay_multiple: str
    ratio: str
    employees: int


class PayMultipleOut(Schema):
    partner: str
    date: dt.date
    data: PayMultipleData | None


class OrgChartOut(Schema):
    partner: str
    date: dt.date
    data: list[dict[str, Any]]


def _dataset(request: HttpRequest, dataset: str, code: str, date: dt.date | None) -> dict[str, Any]:
    partner = transparency.partner_for(request.user, code)
    day = date or transparency.default_date()
    data = transparency.build_dataset(dataset, request.user, partner, day)
    return {"partner": partner.code, "date": day, "data": transparency.dataset_json(dataset, data)}


@router.get("/transparency/{code}/senior-salaries", response={200: SeniorSalariesOut, **ERRORS})
def senior_salaries(request: HttpRequest, code: str, date: Day | None = None) -> Any:
    """Employees of the partner paid £50,000 or more, in £5,000 bands; names from £150,000."""
    return _dataset(request, "senior-salaries", code, date)


@router.get("/transparency/{code}/org-chart", response={200: OrgChartOut, **ERRORS})
def org_chart(request: HttpRequest, code: str, date: Day | None = None) -> Any:
    """The top three levels of posts, as a tree: each post with its `reports`."""
    return _dataset(request, "org-chart", code, date)


@router.get("/transparency/{code}/pay-multiple", response={200: PayMultipleOut, **ERRORS})
def pay_multiple(request: HttpRequest, code: str, date: Day | None = None) -> Any:
    """Highest salary ÷ median salary of the partner's employees in post on the date."""
    return _dataset(request, "pay-multiple", code, date)
