"""`onesource allocate` (file and standard input) and `POST /api/costing/allocate`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from onesource.core.roles import Role

BODY = {
    "method": "reciprocal",
    "pools": [{"id": "ICT", "cost": "9000.00"}, {"id": "HR", "cost": "6000.00"}],
    "receivers": [{"id": "LEGAL", "cost": "1000.00"}, {"id": "AUDIT"}],
    "usage": {"ICT": {"HR": 1, "LEGAL": 2, "AUDIT": 1}, "HR": {"ICT": 1, "LEGAL": 1, "AUDIT": 2}},
}
# Worked by hand in test_engine.py: S_ICT = 11,200, S_HR = 8,800.
LEGAL = {
    "direct": "1000.00",
    "allocated": "7800.00",
    "total": "8800.00",
    "from": {"ICT": "5600.00", "HR": "2200.00"},
}


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "onesource", "allocate", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "onesource.settings.dev"},
        timeout=120,
    )


def test_cli_reads_a_file(tmp_path: Path, capsys):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(BODY))
    call_command("allocate", str(path))
    out = json.loads(capsys.readouterr().out)
    assert out["receivers"]["LEGAL"] == LEGAL
    assert out["check"] == {"pool_cost_in": "15000.00", "allocated_out": "15000.00"}


def test_cli_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(BODY).encode())))
    call_command("allocate", "-", indent=0)
    out = capsys.readouterr().out
    assert "\n" not in out.strip()
    assert json.loads(out)["receivers"]["LEGAL"] == LEGAL


def test_cli_keeps_json_numbers_exact(tmp_path: Path, capsys):
    # 0.1 + 0.2 in binary floating point is not 0.3; parsed as decimals it is.
    path = tmp_path / "input.json"
    path.write_text(
        '{"method": "direct", "pools": [{"id": "A", "cost": 0.1}, {"id": "B", "cost": 0.2}],'
        ' "receivers": [{"id": "R"}], "usage": {"A": {"R": 1}, "B": {"R": 1}}}'
    )
    call_command("allocate", str(path))
    assert json.loads(capsys.readouterr().out)["receivers"]["R"]["allocated"] == "0.30"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({**BODY, "method": "step_down"}), "order: step_down needs"),
        (json.dumps({**BODY, "order": ["ICT", "ICT", "HR"]}), "'ICT' appears more than once"),
        ('{"method": "direct", "pools": [{"id": "A", "cost": NaN}]}', "NaN is not a number"),
    ],
)
def test_cli_bad_input_raises_with_the_problem(tmp_path: Path, capsys, text, message):
    path = tmp_path / "input.json"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("allocate", str(path))
    assert capsys.readouterr().out == ""


def test_cli_missing_file():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("allocate", "/nonexistent/input.json")


def test_cli_process_exit_codes():
    good = run_cli("-", stdin=json.dumps(BODY).encode())
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["receivers"]["LEGAL"] == LEGAL
    bad = run_cli("-", stdin=json.dumps({**BODY, "usage": {"ICT": {"HR": "-1"}}}).encode())
    assert bad.returncode != 0
    assert bad.stdout == b""
    assert b"negative" in bad.stderr


URL = "/api/costing/allocate"


@pytest.mark.django_db
def test_api_allocates(make_user, client_for, partnership):
    client = client_for(make_user(Role.FINANCE_OFFICER, "NEW"))
    response = client.post(URL, json.dumps(BODY), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["receivers"]["LEGAL"] == LEGAL
    assert response.json()["pools"]["ICT"] == {"direct": "9000.00", "total_cost": "11200.00"}


@pytest.mark.django_db
def test_api_with_token(make_user, token_client_for, partnership):
    client = token_client_for(make_user(Role.PARTNER_OFFICER, "HAV"))
    response = client.post(URL, json.dumps({**BODY, "method": "direct"}), content_type="application/json")
    assert response.status_code == 200
    assert response.json()["check"]["allocated_out"] == "15000.00"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({**BODY, "method": "pro_rata"}, "method", "not one of"),
        ({**BODY, "receivers": [{"id": "LEGAL", "cost": "-5"}]}, "receivers", "negative"),
        ({**BODY, "usage": {"ICT": {"HR": 1}, "HR": {"ICT": 1}}}, "usage", "never reaches a receiver"),
        ({**BODY, "usage": {"ICT": {"PAYROLL": 1}}}, "usage", "'PAYROLL' is neither"),
        ({**BODY, "method": "step_down", "order": ["HR"]}, "order", "missing: ICT"),
    ],
)
def test_api_bad_input_is_422_naming_the_problem(make_user, client_for, partnership, body, field, message):
    client = client_for(make_user(Role.FINANCE_OFFICER, "NEW"))
    response = client.post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    payload = response.json()
    assert message in payload["detail"]
    assert message in payload["errors"][field][0]
    assert "check" not in payload  # no result alongside the error


@pytest.mark.django_db
def test_api_invalid_json_is_422(make_user, client_for, partnership):
    client = client_for(make_user(Role.FINANCE_OFFICER, "NEW"))
    response = client.post(URL, "{oops", content_type="application/json")
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["detail"]


@pytest.mark.django_db
def test_api_refuses_anonymous(client_for):
    response = client_for(None).post(URL, json.dumps(BODY), content_type="application/json")
    assert response.status_code == 401
