"""A decision or settlement letter to the resident, as a PDF in the resident's language.

The letter embeds DejaVu Sans (office/fonts, vendored with its licence so a fresh machine
needs nothing installed), so every name prints as written ("Şükrü Yılmaz", "Łukasz") and
amounts carry the euro sign, written as on every page (ops.formatting.money). The
decision is said in the same words as the status page and the message.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import DamageClaim, Letter
from cases.workdays import local_date_text
from ops.formatting import money

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"


def has_letter(claim: DamageClaim) -> bool:
    return claim.decided_at is not None


def _decision(claim: DamageClaim) -> str:
    """The decision, word for word as the status page (statuslink/page.py) says it."""
    S = DamageClaim.Status
    if claim.status == S.REJECTED:
        return _("We do not accept your damage report.")
    partly = claim.status == S.PARTLY_ACCEPTED or (
        claim.amount_offered is not None
        and claim.amount_claimed is not None
        and claim.amount_offered < claim.amount_claimed
    )
    if partly:
        return _("We accept part of your damage report.")
    return _("We accept your damage report.")


def letter_paragraphs(claim: DamageClaim) -> tuple[str, list[str]]:
    """The subject and paragraphs, in the active language."""
    S = DamageClaim.Status
    subject = _("Your damage claim %(number)s") % {"number": claim.number}
    paras = [
        _("You reported damage to us on %(date)s: %(what)s (%(where)s).")
        % {
            "date": local_date_text(claim.created_at),
            "what": claim.get_damage_kind_display().lower(),
            "where": claim.get_room_display().lower(),
        }
    ]
    if claim.status == S.SETTLED:
        if claim.amount_paid is not None:
            paras.append(
                _("We have paid you %(amount)s. Your claim is now settled.")
                % {"amount": money(claim.amount_paid)}
            )
        elif claim.repair_date is not None:
            paras.append(
                _("The damage was repaired (planned for %(date)s). Your claim is now settled.")
                % {"date": claim.repair_date.strftime("%d-%m-%Y")}
            )
        else:
            paras.append(_("Your claim is now settled."))
        return subject, paras
    paras.append(_decision(claim))
    if claim.decision_reason:
        paras.append(_("The reason: %(reason)s") % {"reason": claim.decision_reason})
    if claim.status == S.REJECTED:
        if claim.closed_at is None and claim.objection_deadline is not None:
            paras.append(
                _("Do you not agree? You can object until %(date)s. Call or e-mail us.")
                % {"date": local_date_text(claim.objection_deadline)}
            )
        return subject, paras
    if claim.amount_offered is not None:
        paras.append(_("We offer you %(amount)s.") % {"amount": money(claim.amount_offered)})
    if claim.repair_date is not None:
        paras.append(
            _("We will repair the damage on %(date)s.")
            % {"date": claim.repair_date.strftime("%d-%m-%Y")}
        )
    return subject, paras


def _new_pdf(title: str, language: str, author: str):
    from fpdf import FPDF
    from fpdf.enums import PageMode
    from fpdf.prefs import ViewerPreferences

    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    # What a screen reader and a PDF viewer announce: the title (not the file name) and
    # the language the text is read in.
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.set_author(author)
    pdf.set_creator("Woonrust")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.page_mode = PageMode.USE_NONE
    pdf.set_margins(25, 25, 25)
    return pdf


def _write_letter(
    pdf,
    *,
    project,
    dwelling,
    name: str,
    subject: str,
    paras: list[str],
    signed: str,
) -> None:
    """One letter on a new page, in the active language: sender, address, date,
    subject, salutation, paragraphs, greeting."""
    corporation = project.corporation
    pdf.add_page()

    def line(text: str, height: float = 6) -> None:
        pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    def paragraph(text: str) -> None:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    if corporation.logo:
        # The corporation's own letterhead: its logo (a re-encoded PNG), top left.
        pdf.image(io.BytesIO(bytes(corporation.logo)), h=18, alt_text=corporation.name)
        pdf.ln(3)
    pdf.set_font(FONT, "B", 14)
    line(corporation.name, 8)
    pdf.set_font(FONT, "", 10)
    phone = project.phone_for_residents()
    if phone:
        line(_("Phone: %(phone)s") % {"phone": phone}, 5)
    pdf.ln(12)
    pdf.set_font(FONT, "", 11)
    for text in (
        name or _("The resident"),
        dwelling.address,
        f"{dwelling.postcode} {dwelling.city}",
    ):
        line(text)
    pdf.ln(10)
    line(timezone.localdate().strftime("%d-%m-%Y"))
    pdf.ln(6)
    pdf.set_font(FONT, "B", 12)
    # The subject is the letter's one heading, also in the PDF's outline.
    pdf.start_section(subject, level=0)
    line(subject, 7)
    pdf.ln(4)
    pdf.set_font(FONT, "", 11)
    paragraph(_("Dear %(name)s,") % {"name": name} if name else _("Dear resident,"))
    for para in paras:
        paragraph(para)
    pdf.ln(5)
    line(_("Kind regards,"))
    line(signed)
    if signed != corporation.name:
        line(corporation.name)


def render_letter(claim: DamageClaim) -> bytes:
    language = claim.resident.language if claim.resident else "nl"
    with translation.override(language):
        subject, paras = letter_paragraphs(claim)
        corporation = claim.project.corporation
        pdf = _new_pdf(subject, language, corporation.name)
        paras.append(
            _("Questions? Call us and mention case number %(number)s.") % {"number": claim.number}
        )
        _write_letter(
            pdf,
            project=claim.project,
            dwelling=claim.dwelling,
            name=claim.resident.full_name if claim.resident else "",
            subject=subject,
            paras=paras,
            signed=claim.handler.get_full_name() if claim.handler else corporation.name,
        )
        return bytes(pdf.output())


def render_batch(letters: list[Letter], title: str) -> bytes:
    """One PDF with every letter of a print batch, each on its own pages and in its
    resident's language: the text the message would have had, word for word."""
    pdf = _new_pdf(title, translation.get_language() or "nl", "Woonrust")
    for letter in letters:
        with translation.override(letter.language or "nl"):
            _write_letter(
                pdf,
                project=letter.project,
                dwelling=letter.dwelling,
                name=letter.resident.full_name if letter.resident else "",
                subject=letter.subject,
                paras=[p for p in letter.body.split("\n\n") if p.strip()],
                signed=letter.project.corporation.name,
            )
    if not letters:
        pdf.add_page()
        pdf.set_font(FONT, "", 11)
        pdf.cell(0, 6, _("No letters to print."))
    return bytes(pdf.output())
