"""One way to write money, phone links and moments, in every output: pages, messages,
letters and exports.

Money follows the language: "€ 1.250,50" in Dutch, "€1,250.50" in English. On pages and
in letters the space after the euro sign is a non-breaking one, so an amount never
splits over two lines; messages (SMS, e-mail) get a plain space, which every phone
shows.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format

from cases.workdays import local

NBSP = "\u00a0"
_NOT_DIAL = re.compile(r"[^\d+]")


def money(amount: Decimal | int | float | None, *, nbsp: bool = True, empty: str = "—") -> str:
    """`amount` in euros in the active language; `empty` when there is none."""
    if amount is None or amount == "":
        return empty
    value = Decimal(str(amount))
    digits = number_format(abs(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    sign = "-" if value < 0 else ""
    if (translation.get_language() or "nl").startswith("en"):
        return f"{sign}€{digits}"
    space = NBSP if nbsp else " "
    return f"€{space}{sign}{digits}"


def tel_uri(phone: str | None) -> str:
    """A `tel:` address without spaces, dashes or brackets ("tel:+31201234567")."""
    return "tel:" + _NOT_DIAL.sub("", phone or "")


def iso_moment(moment: datetime.datetime | datetime.date | None) -> str:
    """The value of a `<time datetime>`: local time to the second, no microseconds."""
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        return local(moment).replace(microsecond=0).isoformat()
    return moment.isoformat()
