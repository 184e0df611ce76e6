"""A refused step: a summary at the top linking to each field, the form kept as typed;
the case page prints as one clean page and shows photos in a keyboard lightbox."""

from __future__ import annotations

import re

from cases.models import DamageClaim

from .conftest import claim


def test_refused_step_has_an_error_summary_linking_each_field(client, world):
    c = claim(world, status=DamageClaim.Status.ASSESSING, amount_claimed=300)
    client.force_login(world.handler)
    r = client.post(
        f"/office/claim/{c.pk}/do/partly_accept/",
        {"partly_accept-reason": "", "partly_accept-amount_offered": "veel"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary and "data-focus-on-load" in summary.group(0)
    assert "verbeter 2 punten" in summary.group(0)
    links = re.findall(r'href="#([^"]+)"', summary.group(0))
    assert links == ["id_partly_accept-reason", "id_partly_accept-amount_offered"]
    for target in links:
        assert f'id="{target}"' in html
    # The summary comes before the case, and what was typed is kept.
    assert html.index("error-summary") < html.index('id="h-what"')
    assert 'value="veel"' in html
    c.refresh_from_db()
    assert c.status == DamageClaim.Status.ASSESSING


def test_no_summary_without_errors_and_print_layout_exists(client, world):
    c = claim(world, status=DamageClaim.Status.ASSESSING)
    client.force_login(world.handler)
    html = client.get(f"/office/claim/{c.pk}/").content.decode()
    assert "error-summary" not in html
    assert "/static/js/case.js" in html and "onclick" not in html
    assert 'class="actions no-print"' in html


def test_a_refused_note_is_summarised_too(client, world):
    c = claim(world, status=DamageClaim.Status.ASSESSING)
    client.force_login(world.handler)
    r = client.post(f"/office/claim/{c.pk}/note/", {"note-text": ""})
    assert r.status_code == 400
    html = r.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert 'href="#id_note-text"' in summary and 'id="id_note-text"' in html
