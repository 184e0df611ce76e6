"""CSV and Excel downloads, streamed: rows are written as they are read, a keyset page
at a time, so a large export never sits in memory (Excel goes through a temporary file,
which openpyxl's write-only mode fills row by row)."""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from cases.workdays import local
from ops.formatting import money
from ops.replica import rows_from_replica
from ops.templates_bidi import neutralise_bidi


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return local(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        # Amounts as on the pages, in the language of the download ("€ 1.250,50").
        return money(value, nbsp=False, empty="")
    return value


# Control characters other than tab and newlines: Excel files cannot hold them (openpyxl
# refuses the whole file), and data from before the request guard or from an imported
# file may have them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _safe_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    # Bidirectional controls shown as U+FFFD, as on every page (ops/templates_bidi.py).
    value = neutralise_bidi(_CONTROL.sub("", value))
    # A cell starting with = + - @ is a formula to a spreadsheet: keep it text.
    if value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        # A byte-order mark so Excel opens the UTF-8 file with the right accents.
        yield "\ufeff" + writer.writerow([str(h) for h in header])
        for row in rows:
            yield writer.writerow([_safe_text(_cell(v)) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=filename[:31])
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([_safe_text(_xlsx_cell(v, sheet)) for v in row])
    # Handed to FileResponse, which closes it (and so deletes it) when the response is done.
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    book.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# Amounts stay numbers a spreadsheet can add up; the format shows them with the euro
# sign, with the separators of the reader's Excel.
EURO_FORMAT = '"€" #,##0.00'


def _xlsx_cell(value: Any, sheet: Any) -> Any:
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: local wall-clock time.
        return local(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = EURO_FORMAT
        return cell
    return value


def export(fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]):
    stamped = f"{filename}-{timezone.localdate():%Y%m%d}"
    # Exports read many rows: from the replica when there is a fresh one, also while a
    # CSV streams after the view returned.
    rows = rows_from_replica(rows)
    if fmt == "xlsx":
        return xlsx_response(stamped, header, rows)
    return csv_response(stamped, header, rows)
