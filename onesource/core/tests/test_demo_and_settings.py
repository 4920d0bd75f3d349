import datetime as dt
import os
import subprocess
import sys

import pytest

from onesource.core.demo import build_demo
from onesource.core.models import Partner, Service, ServiceArea, ServiceCoverage, User

D = dt.date


@pytest.mark.django_db
def test_demo_partnership_matches_the_real_one():
    build_demo(log=lambda _: None)
    assert ServiceArea.objects.count() == 7
    assert Service.objects.count() == 22
    codes = set(Partner.objects.values_list("code", flat=True))
    assert {"NEW", "HAV", "BEX", "NOR", "THU", "BAS", "RED", "STE", "ESS", "WAL", "BAR"} == codes
    assert Partner.objects.get(code="NEW").gss_code == "E09000025"
    bexley = Partner.objects.get(code="BEX").memberships.get()
    assert (bexley.joined_on, bexley.left_on) == (D(2016, 4, 1), D(2020, 7, 31))
    finance_for_bexley = ServiceCoverage.objects.filter(partner__code="BEX")
    assert {c.service.area.code for c in finance_for_bexley} == {"finance"}
    # 2023: HR, ICT, procurement, assets and finance went back; legal, exchequer and business systems stayed.
    shared_2024 = ServiceCoverage.objects.filter(ServiceCoverage.active_q(D(2024, 1, 1)), partner__code="HAV")
    areas_2024 = {c.service.area.code for c in shared_2024}
    assert areas_2024 == {"legal-governance", "exchequer-transactional", "ict"}
    assert {c.service.code for c in shared_2024 if c.service.area.code == "ict"} == {"business-systems"}
    assert (
        User.objects.filter(
            username__in=["hav-officer", "hav-finance", "hav-hr", "hav-member", "manager"]
        ).count()
        == 5
    )
    # root, manager and finance-lead, then officer, finance, HR, member and procurement per real partner
    assert User.objects.count() == 3 + 5 * 11
    assert User.objects.get(username="finance-lead").role_assignments.get().partner is None


@pytest.mark.django_db
def test_scaled_demo_makes_that_many_partners():
    build_demo(scale=15, log=lambda _: None)
    assert Partner.objects.count() == 15


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "ONESOURCE_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "onesource.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ONESOURCE_SECRET_KEY must be set" in result.stderr
    env["ONESOURCE_SECRET_KEY"] = "x" * 50
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_passwords_are_hashed_with_argon2_outside_tests():
    from onesource.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_fresh_checkout_migrates_without_a_data_folder(tmp_path):
    """`make demo` on a fresh machine: the SQLite default's folder does not exist yet and must be made."""
    data_dir = tmp_path / "not-yet" / "var"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="onesource.settings.dev", ONESOURCE_DATA_DIR=str(data_dir))
    result = subprocess.run(
        [sys.executable, "-m", "onesource", "migrate", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (data_dir / "onesource.sqlite3").stat().st_size > 0
