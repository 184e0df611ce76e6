"""Writes generated rows to the database as fast as the backend allows.

Rows are plain tuples in a declared column order (Django attnames, e.g. `project_id`),
never model instances: at a million claims the per-instance overhead is what would make
seeding take hours. PostgreSQL gets them through COPY; other databases (SQLite, the
embedded default) through `bulk_create` in batches.

Rows that other rows point at get their ids up front (`Store.ids`), so a case and its
timeline events can be generated together and written table by table.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from psycopg import sql

BATCH_SIZE = 2000

Row = tuple[Any, ...]


class Store:
    def __init__(self, *, use_copy: bool | None = None) -> None:
        """`use_copy` defaults to True on PostgreSQL; tests turn it off to try bulk_create."""
        self.is_postgresql = connection.vendor == "postgresql"
        self.use_copy = self.is_postgresql if use_copy is None else use_copy
        self.counts: Counter[type[models.Model]] = Counter()
        # Per table: the next id this run may hand out on a database without sequences.
        self._next_id: dict[str, int] = {}
        self._copy_plans: dict[tuple[type[models.Model], Sequence[str]], _CopyPlan] = {}

    def tune_transaction(self) -> None:
        """Call first thing inside each transaction that writes demo rows."""
        if self.is_postgresql:
            # Demo data may be lost in a crash, never corrupted; the commit need not wait
            # for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")

    def ids(self, model: type[models.Model], n: int) -> list[int]:
        """`n` fresh primary keys for `model`, to be used inside the current transaction."""
        if n <= 0:
            return []
        table = model._meta.db_table
        if self.is_postgresql:
            # nextval is safe next to concurrent writers; the ids need not be contiguous.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [connection.ops.quote_name(table), n],
                )
                return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock, so max(id) cannot move under us;
        # ids handed out earlier in this run but not yet written are remembered.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            (highest,) = cursor.fetchone()
        start = max(highest + 1, self._next_id.get(table, 0))
        self._next_id[table] = start + n
        return list(range(start, start + n))

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> int:
        """Insert `rows` (tuples ordered like `columns`); returns how many were written."""
        if self.use_copy:
            written = self._copy(model, columns, rows)
        else:
            written = self._bulk_create(model, columns, rows)
        self.counts[model] += written
        return written

    def _copy(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> int:
        plan = self._copy_plans.get((model, columns))
        if plan is None:
            plan = self._copy_plans[(model, columns)] = _CopyPlan(model, columns)
        written = 0
        extra = plan.extra_values
        with connection.cursor() as cursor, cursor.copy(plan.statement) as copy:
            write_row = copy.write_row
            if extra:
                for row in rows:
                    write_row(row + extra)
                    written += 1
            else:
                for row in rows:
                    write_row(row)
                    written += 1
        return written

    def _bulk_create(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]
    ) -> int:
        written = 0
        batch: list[models.Model] = []
        for row in rows:
            batch.append(model(**dict(zip(columns, row, strict=True))))
            if len(batch) >= BATCH_SIZE:
                model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
                written += len(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch, batch_size=BATCH_SIZE)
            written += len(batch)
        return written


class _CopyPlan:
    """The COPY statement for one table, and the values of the columns we do not generate.

    COPY does not know Django's field defaults, so every concrete column the generator
    leaves out is filled with its default here (or left to the database when it has a
    `db_default` or is the primary key). A field added to a model later keeps working.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        given = set(columns)
        names: list[str] = []
        extra: list[Any] = []
        for field in model._meta.concrete_fields:
            if field.attname in given:
                continue
            if field.primary_key or field.db_default is not NOT_PROVIDED:
                continue
            names.append(field.column)
            if isinstance(field, models.JSONField):
                # Serialised once here, not once per row by the driver.
                extra.append(json.dumps(field.get_default(), cls=field.encoder))
            else:
                extra.append(field.get_db_prep_save(field.get_default(), connection))
        column_names = [model._meta.get_field(name).column for name in columns] + names
        self.extra_values: Row = tuple(extra)
        self.statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(model._meta.db_table),
            sql.SQL(", ").join(sql.Identifier(name) for name in column_names),
        )
