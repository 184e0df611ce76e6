"""A resident's data export (right of access, Art. 15 GDPR): one ZIP with a readable PDF,
the same data as JSON, and her photos.

The PDF embeds DejaVu Sans (office/fonts/, with its licence) so every name and
note comes out as typed, whatever the alphabet.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from mobile.models import care_needs_seen
from office.letter import FONT_DIR
from residents.models import Resident

from .collect import ResidentData, resident_data
from .models import PrivacyRequest

FONTS = FONT_DIR  # the letters' DejaVu Sans, vendored once in office/fonts/


def render_pdf(data: ResidentData) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, _("Your data at Woonrust"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(
        0,
        5,
        _(
            "This is everything we keep about you, made on %(date)s. "
            "The file data.json holds the same data for a computer."
        )
        % {"date": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for section in data.sections:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        if not section.shown:
            pdf.multi_cell(0, 5, _("Nothing."), new_x="LMARGIN", new_y="NEXT")
        for row in section.shown:
            for label, text in row:
                pdf.multi_cell(0, 5, f"{label}: {text}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    return bytes(pdf.output())


def build_zip(data: ResidentData) -> bytes:
    payload = {
        "made_at": timezone.localtime().isoformat(),
        **{section.key: section.items for section in data.sections},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.pdf", render_pdf(data))
        archive.writestr(
            "data.json", json.dumps(payload, ensure_ascii=False, indent=2, default=str)
        )
        for photo in data.photos:
            with photo.photo.image.open("rb") as f:
                archive.writestr(photo.name, f.read())
    return buffer.getvalue()


def resident_export(*, resident: Resident, by: User, requested_by: str) -> bytes:
    """The ZIP for `resident`, in her language, recorded as an export by `by`."""
    with transaction.atomic():
        PrivacyRequest.objects.create(
            kind=PrivacyRequest.Kind.EXPORT,
            resident=resident,
            resident_number=resident.pk,
            requested_by=requested_by,
            done_by=by,
        )
        # The export shows her care needs to the officer: that look is logged like any.
        care_needs_seen(by=by, residents=[resident], purpose="data export")
        with translation.override(resident.language):
            return build_zip(resident_data(resident))
