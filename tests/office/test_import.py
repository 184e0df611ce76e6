"""Address import: preview first, a clear error per bad row, nothing written until
confirmed, and a re-import that updates instead of duplicating."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from projects.models import Dwelling
from residents.models import Resident

GOOD = (
    "straat;huisnummer;toevoeging;postcode;plaats;voornaam;achternaam;telefoon\n"
    "Waalstraat;1;;3522ab;Utrecht;Jan;Smit;0612345678\n"
    "Waalstraat;3;b;3522 AB;;Mien;Kok;\n"
    "Rijnstraat;12;A;3522 AB;Utrecht;Truus;Jansen;0699999999\n"
)


def upload(client, world, content: bytes, name: str = "adressen.csv"):
    return client.post(
        f"/office/projects/{world.project.pk}/import/",
        {"file": SimpleUploadedFile(name, content)},
    )


def confirm(client, world, response):
    token = response.context["token"]
    return client.post(f"/office/projects/{world.project.pk}/import/", {"confirm": token})


def test_good_file_previews_then_imports_on_confirm(client, world):
    client.force_login(world.manager)
    before = Dwelling.objects.count()
    preview = upload(client, world, GOOD.encode())
    assert preview.status_code == 200
    p = preview.context["preview"]
    assert (p.new, p.updates, len(p.bad)) == (2, 1, 0)
    assert Dwelling.objects.count() == before, "nothing is written before confirming"
    done = confirm(client, world, preview)
    assert done.status_code == 302
    assert Dwelling.objects.filter(project=world.project).count() == 3
    d = Dwelling.objects.get(project=world.project, street="Waalstraat", number=3)
    assert (d.postcode, d.addition, d.city) == ("3522 AB", "B", "Utrecht")
    assert Resident.objects.filter(dwelling=d, last_name="Kok").exists()
    truus = Resident.objects.get(pk=world.resident.pk)
    assert truus.phone == "0699999999", "an existing resident is updated"


def test_reimport_updates_instead_of_duplicating(client, world):
    client.force_login(world.manager)
    confirm(client, world, upload(client, world, GOOD.encode()))
    dwellings = Dwelling.objects.count()
    residents = Resident.objects.count()
    changed = GOOD.replace("Jan;Smit;0612345678", "Jan;Smit;0611111111")
    again = upload(client, world, changed.encode())
    assert again.context["preview"].new == 0
    confirm(client, world, again)
    assert Dwelling.objects.count() == dwellings
    assert Resident.objects.count() == residents
    assert Resident.objects.get(last_name="Smit").phone == "0611111111"


def test_each_kind_of_bad_row_gets_its_own_message(client, world):
    client.force_login(world.manager)
    content = (
        "straat,huisnummer,postcode\n"
        "Waalstraat,1,\n"  # missing postcode
        "Waalstraat,2,12345\n"  # malformed postcode
        "Waalstraat,4,3522AB\n"
        "Waalstraat,4,3522 ab\n"  # duplicate address
        ",5,3522AB\n"  # missing street
        "Waalstraat,vijf,3522AB\n"  # not a number
    )
    r = upload(client, world, content.encode())
    assert r.status_code == 200
    errors = {row.line: " ".join(row.errors) for row in r.context["preview"].bad}
    assert "postcode ontbreekt" in errors[2]
    assert "geen Nederlandse postcode" in errors[3]
    assert "ook op regel 4" in errors[5]
    assert "straat ontbreekt" in errors[6]
    assert "geen huisnummer" in errors[7]
    assert r.context["preview"].new == 1
    confirm(client, world, r)
    assert Dwelling.objects.filter(project=world.project, street="Waalstraat").count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "leeg.csv", "leeg"),
        (b"   \n\n", "leeg.csv", "leeg"),
        (b"straat;huisnummer;postcode\n", "kop.csv", "geen adressen"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "foto.png", "kan niet worden gelezen"),
        (b"PK\x03\x04garbage", "kapot.xlsx", "kan niet worden gelezen"),
        (b"naam;telefoon\nJan;06\n", "fout.csv", "ontbreekt"),
    ],
)
def test_unreadable_or_empty_files_are_refused_clearly(client, world, content, name, message):
    client.force_login(world.manager)
    before = Dwelling.objects.count()
    r = upload(client, world, content, name)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert Dwelling.objects.count() == before


def test_excel_file(client, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["Straat", "Huisnummer", "Postcode", "Plaats"])
    sheet.append(["Lekstraat", 8, "3523 AA", "Utrecht"])
    sheet.append(["Lekstraat", 10, "3523AA", None])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(world.corporation_admin)
    r = upload(client, world, buffer.getvalue(), "export.xlsx")
    assert r.context["preview"].new == 2
    confirm(client, world, r)
    assert Dwelling.objects.filter(project=world.project, street="Lekstraat").count() == 2


def test_a_preview_token_of_another_project_or_session_does_nothing(client, world):
    client.force_login(world.manager)
    r = client.post(f"/office/projects/{world.project.pk}/import/", {"confirm": "deadbeef"})
    assert r.status_code == 302
    assert Dwelling.objects.filter(project=world.project).count() == 1
