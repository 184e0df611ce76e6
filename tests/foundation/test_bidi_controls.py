"""A description cannot disguise itself: bidirectional controls are neutralised on every
page that shows it — the phone, the back-office, the resident's status page, the admin."""

from __future__ import annotations

import gzip
import io

import pytest
from django.core.cache import cache

from cases.services import claim_ask_resident, claim_start_assessment
from ops.templates_bidi import BIDI_CONTROLS, neutralise_bidi
from statuslink.tokens import plain_token
from tests.cases.conftest import clock  # noqa: F401  (fixture)
from tests.statuslink.conftest import report_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The status link's rate-limit counters live in the cache: start and end clean."""
    cache.clear()
    yield
    cache.clear()


DISGUISED = "Factuur \u202egpj.exe\u202c en \u2067123\u2069 euro"


def _no_raw_controls(html: str) -> None:
    assert not any(chr(code) in html for code in BIDI_CONTROLS)
    assert "Factuur \ufffdgpj.exe\ufffd" in html  # still there, but shown as what it is


def test_neutralise_keeps_marks_and_ordinary_text():
    assert neutralise_bidi("abc \u200e \u200f שלום") == "abc \u200e \u200f שלום"
    assert neutralise_bidi("a\u202eb") == "a\ufffdb"


def test_the_phone_office_status_and_admin_pages_show_no_override(client, world):
    claim = report_claim(world, description=DISGUISED)
    token = plain_token(claim)
    # The status page shows the question staff asked: text typed by a person, too.
    claim_start_assessment(claim=claim, by=world.handler)
    claim_ask_resident(claim=claim, by=world.handler, question=DISGUISED)
    client.force_login(world.supervisor)
    phone = client.get(f"/m/claims/{claim.pk}/", headers={"Accept-Encoding": "gzip"})
    assert phone.status_code == 200
    assert phone["Content-Encoding"] == "gzip"  # neutralised before the phone app gzips
    _no_raw_controls(gzip.decompress(phone.content).decode())
    client.force_login(world.handler)
    office = client.get(f"/office/claim/{claim.pk}/")
    assert office.status_code == 200
    _no_raw_controls(office.text)
    status = client.get(f"/s/{token}/")
    assert status.status_code == 200
    _no_raw_controls(status.text)
    client.force_login(world.staff)
    admin = client.get(f"/admin/cases/damageclaim/{claim.pk}/change/")
    assert admin.status_code == 200
    _no_raw_controls(admin.text)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_hold_no_raw_override_and_no_control_character(client, world, fmt):
    from openpyxl import load_workbook

    from tests.office.conftest import claim

    # Stored before the request guard existed, or read from an imported file.
    world.resident.first_name = "Tr\x01uus \u202egpj.exe"
    world.resident.save()
    claim(world)
    client.force_login(world.handler)
    response = client.get(f"/office/export.{fmt}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    else:
        text = content.decode("utf-8-sig")
    assert "Truus \ufffdgpj.exe" in text
    assert "\u202e" not in text and "\x01" not in text
