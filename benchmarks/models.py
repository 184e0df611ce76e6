"""The yardstick's table and the marker that says a bench database is complete.

Both tables exist only in databases migrated with WOONRUST_BENCH on (the app is not
installed otherwise), so a production database never has them.
"""

from __future__ import annotations

from django.db import models

YARDSTICK_ROWS = 10_000


class YardstickRow(models.Model):
    """A row of bare_rows' 10,000-row table: five plain columns, no relations."""

    name = models.CharField(max_length=100)
    street = models.CharField(max_length=100)
    postcode = models.CharField(max_length=7)
    city = models.CharField(max_length=100)
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    def __str__(self) -> str:
        return self.name


class BenchSeed(models.Model):
    """One row: what bench/http put in this database. It writes the row (complete false)
    before it seeds and sets complete once seeding and preparing have finished, so a run
    that was interrupted is never taken for a finished one. `migrations` is the
    fingerprint of the migration files (and uv.lock) the schema was last migrated with."""

    claims = models.PositiveIntegerField()
    migrations = models.CharField(max_length=64)
    complete = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.claims} claims{'' if self.complete else ' (incomplete)'}"
