"""Accent-blind substring search on PostgreSQL: `woonrust_fold` and trigram indexes.

`unaccent()` is only STABLE (its dictionary could change), so it cannot be indexed; the
two-argument form with a fixed dictionary, wrapped in an IMMUTABLE function, can. On
SQLite nothing is created here: `office.search` registers the function per connection.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

FOLD = """
CREATE OR REPLACE FUNCTION woonrust_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""

INDEXES = {
    "residents_resident_name_trgm": (
        "residents_resident",
        "woonrust_fold(first_name || ' ' || last_name)",
    ),
    "projects_dwelling_street_trgm": ("projects_dwelling", "woonrust_fold(street)"),
    "cases_damageclaim_desc_trgm": ("cases_damageclaim", "woonrust_fold(description)"),
    "cases_complaint_desc_trgm": ("cases_complaint", "woonrust_fold(description)"),
    "cases_promise_desc_trgm": ("cases_promise", "woonrust_fold(description)"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FOLD)
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS woonrust_fold(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0001_initial"),
        ("projects", "0001_initial"),
        ("cases", "0008_promise_due_at_closing"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create, drop),
    ]
