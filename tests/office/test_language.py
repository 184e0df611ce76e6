"""The office speaks Dutch all the way: no "---------" in lists, counts with their own
plurals, "Verwijderen" buttons whose name starts with what they show, and only long
strings people typed may break anywhere."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from .test_import import confirm, upload

ONE_NEW = (
    "straat;huisnummer;toevoeging;postcode;plaats;voornaam;achternaam;telefoon\n"
    "Waalstraat;1;;3522ab;Utrecht;Jan;Smit;0612345678\n"
)
THREE_NEW = ONE_NEW + (
    "Waalstraat;3;;3522ab;Utrecht;Mien;Kok;\nWaalstraat;5;;3522ab;Utrecht;Piet;Kok;\n"
)


def test_counts_have_their_own_plural(client, world):
    client.force_login(world.manager)
    preview = upload(client, world, ONE_NEW.encode())
    assert "1 nieuw adres," in preview.content.decode()
    done = client.get(confirm(client, world, preview).url).content.decode()
    assert "1 nieuw adres," in done and "1 bewoner toegevoegd" in done
    preview = upload(client, world, THREE_NEW.encode())
    html = preview.content.decode()
    assert "2 nieuwe adressen" in html and "1 adres dat er al is en wordt bijgewerkt" in html
    done = client.get(confirm(client, world, preview).url).content.decode()
    assert "2 nieuwe adressen" in done and "1 adres bijgewerkt" in done


def test_lists_say_choose_an_option_in_dutch(client, world):
    client.force_login(world.staff)
    html = client.get("/office/projects/new/").content.decode()
    assert "---------" not in html and "- Kies een optie -" in html
    client.force_login(world.manager)
    html = client.get(f"/office/projects/{world.project.pk}/setup/").content.decode()
    assert "---------" not in html


def test_remove_buttons_are_named_after_their_label(client, world):
    client.force_login(world.manager)
    html = client.get(f"/office/projects/{world.project.pk}/setup/").content.decode()
    buttons = re.findall(r'<button[^>]*aria-label="([^"]+)"[^>]*>([^<]+)</button>', html)
    removes = [(name, label) for name, label in buttons if label.strip() == "Verwijderen"]
    assert removes
    for name, label in removes:
        assert name.startswith(label.strip()), name


def test_only_typed_strings_break_anywhere():
    css = (Path(settings.BASE_DIR) / "static/office/office.css").read_text()
    assert ".office{overflow-wrap:anywhere}" not in css
    assert ".office .user-text" in css
