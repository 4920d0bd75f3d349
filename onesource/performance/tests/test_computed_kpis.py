"""KPIs computed from a named figure: results come from the figure over a rolling year, never typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from onesource.core import figures
from onesource.core.roles import Role
from onesource.performance import actions
from onesource.performance.models import Kpi, KpiResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(monkeypatch):
    """A stand-in figure (the workforce's is tested with the demo): a value per partner and window."""
    calls: list[tuple[str | None, dt.date, dt.date]] = []

    def compute(partner, start, end, user):
        calls.append((partner.code if partner else None, start, end))
        if partner is not None and partner.code == "BEX":
            return None  # no data: no result
        return Decimal("7.125") if partner is None else Decimal(end.month) + Decimal("0.5")

    monkeypatch.setitem(
        figures.FIGURES,
        "test_days",
        figures.NamedFigure(
            key="test_days", label="Test days", unit="days", definition="Days.", compute=compute
        ),
    )
    return calls


@pytest.fixture
def computed(partnership, asked):
    return actions.create_kpi(
        code="sickness",
        name="Sickness days per FTE",
        unit="days per FTE",
        direction="lower",
        frequency="monthly",
        target=Decimal("8"),
        source="test_days",
        acting_user=partnership["system"],
    )


def test_results_are_the_figure_over_the_twelve_months_to_each_period(partnership, computed, asked):
    saved = actions.compute_kpi_results(
        computed,
        periods=[dt.date(2021, 6, 15), dt.date(2021, 7, 1)],
        partners=[partnership["HAV"], partnership["BEX"], None],
        acting_user=partnership["system"],
    )
    assert (None, dt.date(2020, 7, 1), dt.date(2021, 6, 30)) in asked
    assert ("HAV", dt.date(2020, 8, 1), dt.date(2021, 7, 31)) in asked
    values = {(r.partner.code if r.partner else None, r.period_start): r.value for r in saved}
    assert values == {
        ("HAV", dt.date(2021, 6, 1)): Decimal("6.50"),
        ("HAV", dt.date(2021, 7, 1)): Decimal("7.50"),
        (None, dt.date(2021, 6, 1)): Decimal("7.13"),
        (None, dt.date(2021, 7, 1)): Decimal("7.13"),
    }  # Bexley's figure had no data: no result rather than a zero
    note = KpiResult.objects.get(partner=partnership["HAV"], period_start=dt.date(2021, 6, 1)).note
    assert note == "Computed from test days, 1 July 2020 to 30 June 2021"
    # Computing again replaces, never duplicates.
    actions.compute_kpi_results(
        computed, periods=[dt.date(2021, 6, 1)], partners=[None], acting_user=partnership["system"]
    )
    assert KpiResult.objects.filter(kpi=computed).count() == 4


def test_a_computed_kpi_refuses_typed_and_imported_results(partnership, computed):
    with pytest.raises(ValidationError) as typed:
        actions.record_result(
            computed, period=dt.date(2021, 6, 1), value=Decimal("7.94"), acting_user=partnership["system"]
        )
    assert "computed from “Test days”" in str(typed.value)
    with pytest.raises(ValidationError) as imported:
        actions.import_kpi_results(
            "kpi,partner,period,value,note\nsickness,HAV,2021-06,7.94,\n", acting_user=partnership["system"]
        )
    assert "Row 2: sickness is computed from test days, not imported." in imported.value.message_dict["file"]
    assert not KpiResult.objects.exists()


def test_an_unknown_figure_is_refused_and_the_form_offers_the_registered_ones(
    partnership, client_for, make_user
):
    with pytest.raises(ValidationError) as bad:
        actions.create_kpi(
            code="x",
            name="X",
            unit="%",
            target=Decimal("1"),
            source="nonsense",
            acting_user=partnership["system"],
        )
    assert "Select a figure from the list" in str(bad.value)
    page = client_for(make_user(Role.SHARED_SERVICE_MANAGER)).get("/performance/kpis/new/").content.decode()
    assert "Computed from" in page and "Working days lost to sickness per FTE" in page


def test_the_kpi_page_says_how_results_are_computed_and_offers_no_typing(computed, client_for, make_user):
    page = client_for(make_user(Role.SHARED_SERVICE_MANAGER)).get(f"/performance/kpis/{computed.pk}/")
    text = page.content.decode()
    assert "Computed from <strong>test days</strong>" in text and "Days." in text
    assert "Record a result" not in text


def test_the_cli_computes_every_computed_kpi_for_the_members_and_the_whole_service(
    partnership, computed, asked, make_user, capsys
):
    make_user(Role.PLATFORM_ADMIN, username="admin")
    call_command("performance", "compute-kpis", "--from", "2021-05", "--to", "2021-06", "--as", "admin")
    assert "6 results computed for 1 KPIs." in capsys.readouterr().out  # two months, three each
    # Newham and Havering were members in 2021 (Bexley had left): each, and the whole service.
    assert {c for c, _s, _e in asked} == {"NEW", "HAV", None}
    assert set(Kpi.objects.get(pk=computed.pk).results.values_list("partner__code", flat=True)) == {
        "NEW",
        "HAV",
        None,
    }
