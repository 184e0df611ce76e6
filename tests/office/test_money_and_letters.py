"""Money and dates are written one way in every output (page, message, letter, export),
and letters print every name as written."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from cases.messages import render
from cases.models import DamageClaim
from ops.formatting import iso_moment, money, tel_uri
from residents.models import Resident

from .conftest import NOW, claim

NBSP = "\u00a0"
S = DamageClaim.Status


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).replace(NBSP, " ")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", f"€{NBSP}1.250,50"), ("en", "€1,250.50")],
)
def test_money_in_both_languages(language, expected):
    with translation.override(language):
        assert money(Decimal("1250.50")) == expected
        assert money(None) == "—"
        assert money(Decimal("1250.5"), nbsp=False) == expected.replace(NBSP, " ")


def test_tel_links_and_moments_have_no_spaces_or_microseconds():
    assert tel_uri("06 12 34-56 (78)") == "tel:0612345678"
    assert tel_uri("+31 20 123 4567") == "tel:+31201234567"
    moment = NOW.replace(microsecond=123456)
    assert "." not in iso_moment(moment) and iso_moment(moment).startswith(str(NOW.year))


def decided(world, **fields) -> DamageClaim:
    values = {
        "status": S.ACCEPTED,
        "amount_claimed": Decimal("19686.00"),
        "amount_offered": Decimal("1250.50"),
        "decided_at": NOW,
        "decision_reason": "Schade door de werkzaamheden",
    }
    values.update(fields)
    return claim(world, **values)


@pytest.mark.parametrize(
    ("language", "claimed", "offered"),
    [("nl", "€ 19.686,00", "€ 1.250,50"), ("en", "€19,686.00", "€1,250.50")],
)
def test_money_through_page_message_letter_and_export(client, world, language, claimed, offered):
    c = decided(world)
    world.resident.language = language
    world.resident.save(update_fields=["language"])
    client.force_login(world.handler)
    lang = {"HTTP_ACCEPT_LANGUAGE": language}

    page = client.get(f"/office/claim/{c.pk}/", **lang).content.decode()
    assert claimed.replace(" ", NBSP) in page and offered.replace(" ", NBSP) in page
    assert "19686" not in page and "1250.50" not in page
    # The queue row shows the amounts too, and dates that do not break.
    queue = client.get("/office/", **lang).content.decode()
    assert claimed.replace(" ", NBSP) in queue and offered.replace(" ", NBSP) in queue

    _subject, text = render(
        "claim_compensation_offered",
        language=language,
        case=c,
        extra={"amount": c.amount_offered, "date": NOW},
    )
    assert offered in text and "EUR" not in text and "1250.50" not in text
    _subject, text = render(
        "expert_request", language=language, case=c, extra={"amount": c.amount_claimed, "date": NOW}
    )
    assert claimed in text

    letter = client.get(f"/office/claim/{c.pk}/letter.pdf", **lang)
    letter_text = pdf_text(letter.content)
    assert offered in letter_text and "EUR" not in letter_text

    export = client.get("/office/export.csv", **lang)
    rows = list(csv.reader(io.StringIO(body(export).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][-2:] == [claimed, offered]
    # Excel keeps amounts as numbers a spreadsheet can add up, shown with the euro sign.
    xlsx = client.get("/office/export.xlsx", **lang)
    sheet = load_workbook(io.BytesIO(body(xlsx))).active
    last = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    assert [float(c.value) for c in last[-2:]] == [19686.0, 1250.5]
    assert all("€" in c.number_format for c in last[-2:])


def test_pages_write_dates_unbroken_and_tel_links_without_spaces(client, world):
    c = decided(world, step_due_at=NOW.replace(microsecond=654321))
    client.force_login(world.handler)
    page = client.get(f"/office/claim/{c.pk}/").content.decode()
    assert 'href="tel:0612345678"' in page
    assert ".654321" not in page and "654321" not in page
    assert '<time datetime="' in page
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    assert "time,.nowrap{white-space:nowrap}" in css


def test_letter_prints_every_name_and_says_the_decision_as_the_status_page(client, world):
    Resident.objects.filter(pk=world.resident.pk).update(first_name="Şükrü", last_name="Yılmaz")
    c = decided(world, status=S.PARTLY_ACCEPTED)
    client.force_login(world.handler)
    r = client.get(f"/office/claim/{c.pk}/letter.pdf")
    assert r.status_code == 200
    reader = PdfReader(io.BytesIO(r.content))
    text = pdf_text(r.content)
    assert "Şükrü Yılmaz" in text and "?" not in text.replace("Vragen?", "")
    assert "We nemen een deel van uw schademelding aan." in text
    # The same words as the status page shows the resident.
    from statuslink.page import _claim_now

    with translation.override("nl"):
        assert _claim_now(c)[0] in text
    assert reader.metadata.title == f"Uw schademelding {c.number}"
    assert str(reader.trailer["/Root"].get("/Lang")) == "nl"
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].get_object().values()
    }
    assert any("DejaVuSans" in f for f in fonts)


def test_letter_for_a_polish_name(client, world):
    Resident.objects.filter(pk=world.resident.pk).update(first_name="Łukasz", last_name="Żak")
    c = decided(world)
    client.force_login(world.handler)
    assert "Łukasz Żak" in pdf_text(client.get(f"/office/claim/{c.pk}/letter.pdf").content)
