"""RAG from target and tolerance, at its edges: both edges belong to the better colour."""

import datetime as dt
from decimal import Decimal

import pytest

from onesource.performance.models import Rag, period_label, period_start_for, rag_for

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("93", Rag.GREEN),
        ("92", Rag.GREEN),  # exactly on target
        ("91.99", Rag.AMBER),
        ("88", Rag.AMBER),  # exactly target - tolerance
        ("87.99", Rag.RED),
        ("0", Rag.RED),
    ],
)
def test_higher_is_better_edges(value, expected):
    assert rag_for(D(value), target=D("92"), tolerance=D("4"), direction="higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7.5", Rag.GREEN),
        ("8", Rag.GREEN),  # exactly on target
        ("8.01", Rag.AMBER),
        ("9", Rag.AMBER),  # exactly target + tolerance
        ("9.01", Rag.RED),
    ],
)
def test_lower_is_better_edges(value, expected):
    assert rag_for(D(value), target=D("8"), tolerance=D("1"), direction="lower") == expected


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [
        ("higher", "100", Rag.GREEN),
        ("higher", "99.99", Rag.RED),
        ("lower", "100", Rag.GREEN),
        ("lower", "100.01", Rag.RED),
    ],
)
def test_zero_tolerance_has_no_amber(direction, value, expected):
    assert rag_for(D(value), target=D("100"), tolerance=D("0"), direction=direction) == expected


def test_negative_targets_work_the_same_way():
    # A variance KPI: target -2, tolerance 1, higher is better.
    assert rag_for(D("-3"), target=D("-2"), tolerance=D("1"), direction="higher") == Rag.AMBER
    assert rag_for(D("-3.01"), target=D("-2"), tolerance=D("1"), direction="higher") == Rag.RED


@pytest.mark.parametrize(
    ("day", "frequency", "start", "label"),
    [
        (dt.date(2021, 6, 17), "monthly", dt.date(2021, 6, 1), "Jun 2021"),
        (dt.date(2021, 6, 17), "quarterly", dt.date(2021, 4, 1), "Q1 2021/22"),
        (dt.date(2022, 2, 3), "quarterly", dt.date(2022, 1, 1), "Q4 2021/22"),
        (dt.date(2021, 12, 31), "quarterly", dt.date(2021, 10, 1), "Q3 2021/22"),
        (dt.date(2022, 3, 31), "annual", dt.date(2021, 4, 1), "2021/22"),
        (dt.date(2021, 4, 1), "annual", dt.date(2021, 4, 1), "2021/22"),
    ],
)
def test_periods_start_on_financial_boundaries(day, frequency, start, label):
    assert period_start_for(day, frequency) == start
    assert period_label(start, frequency) == label


def test_a_result_is_rated_by_its_kpi(results):
    assert results["HAV"].rag == Rag.RED  # 77.77 < 92 - 4
    assert results["HAV"].kpi.amber_edge == D("88")
