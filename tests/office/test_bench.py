"""The back-office benchmark runs (its figures are printed, not asserted)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from .conftest import claim


def test_bench_office_measures_every_page(world):
    claim(world, description="Kras in het laminaat")
    out = StringIO()
    call_command("bench_office", "--runs", "2", "--user", world.handler.email, stdout=out)
    printed = out.getvalue()
    for page in ("queue, first page", "search, part of a street", "case page", "dashboard"):
        assert page in printed, printed
