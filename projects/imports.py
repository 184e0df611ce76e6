"""Importing a project's dwellings and residents from the corporation's own export.

A CSV (comma or semicolon, UTF-8 or Windows-1252) or an Excel file (.xlsx) with one row
per address and a header row. Column names are matched without regard to case, in Dutch
or English (see COLUMNS). `parse` reads the file and checks every row without writing
anything; `apply` writes the good rows: an address that already exists in the project
(postcode + number + addition) is updated, never duplicated, so importing the same file
again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residents.models import Resident

from .models import Dwelling, Project, normalise_postcode

MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024

# field -> header names people use for it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "street": ("straat", "straatnaam", "street", "adres"),
    "number": ("huisnummer", "nummer", "number", "house number", "huisnr"),
    "addition": ("toevoeging", "huisnummertoevoeging", "addition", "suffix"),
    "postcode": ("postcode", "postal code", "zip"),
    "city": ("plaats", "woonplaats", "city", "town"),
    "block": ("blok", "portiek", "block", "entrance", "trappenhuis"),
    "external_ref": ("vhe", "vhe-nummer", "referentie", "reference", "external_ref", "eenheid"),
    "first_name": ("voornaam", "first name", "first_name"),
    "last_name": ("achternaam", "naam", "last name", "last_name", "surname"),
    "phone": ("telefoon", "telefoonnummer", "mobiel", "phone"),
    "email": ("e-mail", "email", "e-mailadres", "emailadres"),
    "language": ("taal", "language"),
}
NUMBER_RE = re.compile(r"^\s*(\d{1,6})\s*[-\s]?\s*([A-Za-z0-9]{0,10})\s*$")


class UnreadableFile(Exception):
    """The file is not a spreadsheet we can read; `message` says what to do."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    existing_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.values["postcode"], int(self.values["number"]), self.values["addition"])

    @property
    def address(self) -> str:
        v = self.values
        number = f"{v.get('number', '')}{'-' + v['addition'] if v.get('addition') else ''}"
        return f"{v.get('street', '')} {number}, {v.get('postcode', '')}".strip(" ,")


@dataclass
class Preview:
    rows: list[ImportRow]
    missing_columns: list[str] = field(default_factory=list)

    @property
    def good(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def new(self) -> int:
        return sum(1 for r in self.good if r.existing_id is None)

    @property
    def updates(self) -> int:
        return sum(1 for r in self.good if r.existing_id is not None)


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    residents_created: int = 0
    residents_updated: int = 0
    skipped: int = 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_rows(upload: IO[bytes], name: str) -> Iterator[list[str]]:
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_("The file is larger than 5 MB. Split it into smaller files."))
    if not data.strip():
        raise UnreadableFile(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        yield from _xlsx_rows(data)
        return
    if name.lower().endswith((".xlsx", ".xls", ".xlsm")) or b"\x00" in data[:1024]:
        raise UnreadableFile(
            _("This file cannot be read. Upload a CSV file or an Excel file (.xlsx).")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise UnreadableFile(_("This file cannot be read. Save it as CSV (UTF-8) and try again."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if first.count(delimiter) == 0 and first.count("\t") > 0:
        delimiter = "\t"
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            yield [_text(c) for c in row]
    except csv.Error as error:
        raise UnreadableFile(
            _("This file cannot be read as CSV: %(error)s") % {"error": error}
        ) from error


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any broken zip or XML is the same to the user
        raise UnreadableFile(
            _("This file cannot be read. Upload a CSV file or an Excel file (.xlsx).")
        ) from error
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_text(c) for c in row]
    finally:
        book.close()


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = {h.strip().lower(): i for i, h in enumerate(header) if h.strip()}
    found: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names[alias]
                break
    missing = [k for k in ("street", "number", "postcode") if k not in found]
    return found, missing


def parse(project: Project, upload: IO[bytes], name: str = "") -> Preview:
    """Read and check every row; writes nothing. Raises UnreadableFile."""
    rows = _read_rows(upload, name)
    header: list[str] | None = None
    for row in rows:
        if any(row):
            header = row
            break
    if header is None:
        raise UnreadableFile(_("The file is empty."))
    columns, missing = _columns(header)
    if missing:
        labels = {"street": _("street"), "number": _("house number"), "postcode": _("postcode")}
        raise UnreadableFile(
            _("The first row must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(str(labels[m]) for m in missing)}
        )
    parsed: list[ImportRow] = []
    seen: dict[tuple[str, int, str], int] = {}
    for line, row in enumerate(rows, start=2):
        if not any(row):
            continue
        if len(parsed) >= MAX_ROWS:
            raise UnreadableFile(
                _("The file has more than %(max)s rows. Split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        values = {k: (row[i] if i < len(row) else "") for k, i in columns.items()}
        for k in COLUMNS:
            values.setdefault(k, "")
        item = ImportRow(line, values)
        _check(project, item)
        if item.ok:
            if item.key in seen:
                item.errors.append(
                    _("The same address is also on row %(line)s.") % {"line": seen[item.key]}
                )
            else:
                seen[item.key] = line
        parsed.append(item)
    if not parsed:
        raise UnreadableFile(_("The file has a header row but no addresses."))
    _mark_existing(project, [r for r in parsed if r.ok])
    return Preview(parsed)


def _check(project: Project, item: ImportRow) -> None:
    v = item.values
    if not v["street"]:
        item.errors.append(_("The street is missing."))
    number = NUMBER_RE.match(v["number"])
    if not v["number"]:
        item.errors.append(_("The house number is missing."))
    elif not number or int(number.group(1)) < 1:
        item.errors.append(_("“%(value)s” is not a house number.") % {"value": v["number"]})
    else:
        v["number"] = number.group(1)
        if number.group(2) and not v["addition"]:
            v["addition"] = number.group(2)
    v["addition"] = v["addition"].upper()[:10]
    if not v["postcode"]:
        item.errors.append(_("The postcode is missing."))
    else:
        try:
            v["postcode"] = normalise_postcode(v["postcode"])
        except ValidationError:
            item.errors.append(
                _("“%(value)s” is not a Dutch postcode (four digits and two letters).")
                % {"value": v["postcode"]}
            )
    v["city"] = v["city"] or project.city
    v["language"] = "en" if v["language"].lower() in ("en", "engels", "english") else "nl"
    if v["email"] and "@" not in v["email"]:
        item.errors.append(_("“%(value)s” is not an e-mail address.") % {"value": v["email"]})


def _mark_existing(project: Project, rows: list[ImportRow]) -> None:
    postcodes = {r.values["postcode"] for r in rows}
    existing = {
        (d.postcode, d.number, d.addition): d.pk
        for d in Dwelling.objects.filter(project=project, postcode__in=postcodes).only(
            "pk", "postcode", "number", "addition"
        )
    }
    for r in rows:
        r.existing_id = existing.get(r.key)


@transaction.atomic
def apply(project: Project, preview: Preview) -> Result:
    """Write the good rows: new addresses created, known ones updated (in one transaction)."""
    result = Result(skipped=len(preview.bad))
    _mark_existing(project, preview.good)
    for r in preview.good:
        v = r.values
        fields = {
            "street": v["street"][:200],
            "city": v["city"][:100],
            "block": v["block"][:50],
            "external_ref": v["external_ref"][:50],
        }
        dwelling, created = Dwelling.objects.update_or_create(
            project=project,
            postcode=v["postcode"],
            number=int(v["number"]),
            addition=v["addition"],
            defaults=fields,
        )
        if created:
            result.created += 1
        else:
            result.updated += 1
        if v["last_name"] or v["first_name"]:
            resident = dwelling.residents.filter(last_name__iexact=v["last_name"]).first()
            details = {
                "first_name": v["first_name"][:100],
                "last_name": v["last_name"][:150],
                "phone": v["phone"][:30],
                "email": v["email"][:254],
                "language": v["language"],
            }
            if resident is None:
                Resident.objects.create(dwelling=dwelling, **details)
                result.residents_created += 1
            else:
                for name, value in details.items():
                    if value:
                        setattr(resident, name, value)
                resident.save()
                result.residents_updated += 1
    return result
