"""Message texts in plain Dutch (B1) and English, by the recipient's language.

Each purpose renders to (subject, body) under `translation.override(language)`, so the
Dutch lives in the .po file like every other string. Texts to residents name the case
number, never a full name together with an address, and nothing about care needs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.functional import Promise as LazyText

from ops.formatting import money

from ..models.base import Case
from ..workdays import local_date_text
from . import resident, staff

Renderer = Callable[[dict[str, Any]], tuple[str, str]]

RENDERERS: dict[str, Renderer] = {**resident.RENDERERS, **staff.RENDERERS}


def render(
    purpose: str,
    *,
    language: str,
    case: Case,
    extra: dict[str, Any] | None = None,
) -> tuple[str, str]:
    """The subject and body of message `purpose` about `case`, in `language`."""
    with translation.override(language or "nl"):
        context = resident.base_context(case)
        context["step"] = staff.step_label(case)
        context["case_url"] = staff.case_url(case)
        context.update(extra or {})
        context = {key: _text(value) for key, value in context.items()}
        return RENDERERS[purpose](context)


def _text(value: Any) -> Any:
    # Dates and moments are shown in Amsterdam, dd-mm-yyyy; lazy strings are resolved
    # inside the override so they come out in the recipient's language.
    if isinstance(value, datetime.datetime):
        return local_date_text(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        # Amounts as on every page, with a plain space: SMS and e-mail show it as such.
        return money(value, nbsp=False)
    if isinstance(value, LazyText):
        return str(value)
    return value
