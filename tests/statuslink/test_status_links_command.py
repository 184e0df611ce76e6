"""`manage.py status_links` prints working links again (for demos and support calls)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from statuslink.services import status_link_revoke

from .conftest import record_complaint, report_claim, token_sent

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("status_links", *args, stdout=out)
    return out.getvalue()


def test_prints_the_links_that_were_sent(world, clock):
    claim = report_claim(world)
    complaint = record_complaint(world)
    out = run(claim.number, complaint.number)
    assert f"https://woonrust.example.nl/s/{token_sent(claim)}/" in out
    assert f"https://woonrust.example.nl/s/{token_sent(complaint)}/" in out
    assert f"{claim.number} (reported)" in run("--sample")


def test_a_revoked_link_is_not_printed(world, clock):
    claim = report_claim(world)
    token = token_sent(claim)
    status_link_revoke(case=claim, by=world.handler)
    out = run(claim.number)
    assert token not in out and "no working status link" in out


def test_bad_numbers(world):
    with pytest.raises(CommandError):
        run("X-12")
    with pytest.raises(CommandError):
        run()
