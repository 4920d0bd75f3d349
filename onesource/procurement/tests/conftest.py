"""A small register on top of the shared partnership fixture: suppliers, a joint and a single contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from onesource.procurement import actions

D = dt.date


@pytest.fixture
def register(partnership) -> dict[str, Any]:
    """Civica (SME no) on a NEW-led ICT contract used 60/40 by NEW and HAV; Acme on a HAV-only one."""
    u = partnership["system"]
    new, hav = partnership["NEW"], partnership["HAV"]
    civica = actions.create_supplier(
        name="Civica UK Limited", companies_house_number="01628868", acting_user=u
    )
    acme = actions.create_supplier(name="Acme Cleaning Ltd", is_sme=True, acting_user=u)
    joint = actions.create_contract(
        reference="NEW-2025-001",
        title="Revenues and benefits system",
        lead_partner=new,
        supplier=civica,
        category="Information Communication Technology",
        cpv_codes="48000000-8",
        value=Decimal("1000000.01"),
        vat=Decimal("0"),
        procedure="open",
        status="active",
        signed_on=D(2025, 3, 1),
        starts_on=D(2025, 4, 1),
        ends_on=D(2028, 3, 31),
        shares={new: Decimal("60"), hav: Decimal("40")},
        acting_user=u,
    )
    cleaning = actions.create_contract(
        reference="HAV-2024-007",
        title="Office cleaning",
        lead_partner=hav,
        supplier=acme,
        category="Facilities Management",
        value=Decimal("48000"),
        procedure="below_threshold",
        starts_on=D(2024, 6, 1),
        ends_on=D(2026, 5, 31),
        acting_user=u,
    )
    return {"civica": civica, "acme": acme, "joint": joint, **partnership, "cleaning": cleaning}
