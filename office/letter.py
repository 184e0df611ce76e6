"""A decision or settlement letter to the resident, as a PDF in the resident's language.

fpdf2's built-in Helvetica covers Latin-1 (enough for Dutch and English); amounts are
written "EUR 12,50" because the euro sign is not in Latin-1.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.models import DamageClaim
from cases.workdays import local_date_text


def _latin1(text: str) -> str:
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("–", "-")
    return text.encode("latin-1", "replace").decode("latin-1")


def _euro(amount: Decimal | None) -> str:
    if amount is None:
        return "-"
    return "EUR " + formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def has_letter(claim: DamageClaim) -> bool:
    return claim.decided_at is not None


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
                % {"amount": _euro(claim.amount_paid)}
            )
        elif claim.repair_date is not None:
            paras.append(
                _("The damage was repaired (planned for %(date)s). Your claim is now settled.")
                % {"date": claim.repair_date.strftime("%d-%m-%Y")}
            )
        else:
            paras.append(_("Your claim is now settled."))
    elif claim.status == S.REJECTED:
        paras.append(_("We have decided not to pay for this damage."))
        if claim.decision_reason:
            paras.append(_("The reason: %(reason)s") % {"reason": claim.decision_reason})
        if claim.closed_at is None and claim.objection_deadline is not None:
            paras.append(
                _("Do you not agree? You can object until %(date)s. Call or e-mail us.")
                % {"date": local_date_text(claim.objection_deadline)}
            )
    else:
        if claim.status == S.PARTLY_ACCEPTED or (
            claim.decision_reason
            and claim.amount_offered is not None
            and claim.amount_claimed is not None
            and claim.amount_offered < claim.amount_claimed
        ):
            paras.append(_("We will pay for part of the damage."))
        else:
            paras.append(_("We will pay for the damage."))
        if claim.decision_reason:
            paras.append(_("The reason: %(reason)s") % {"reason": claim.decision_reason})
        if claim.amount_offered is not None:
            paras.append(_("We offer you %(amount)s.") % {"amount": _euro(claim.amount_offered)})
        if claim.repair_date is not None:
            paras.append(
                _("We will repair the damage on %(date)s.")
                % {"date": claim.repair_date.strftime("%d-%m-%Y")}
            )
    return subject, paras


def render_letter(claim: DamageClaim) -> bytes:
    from fpdf import FPDF

    language = claim.resident.language if claim.resident else "nl"
    with translation.override(language):
        subject, paras = letter_paragraphs(claim)
        corporation = claim.project.corporation
        pdf = FPDF(format="A4")
        pdf.set_margins(25, 25, 25)
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 8, _latin1(corporation.name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        if corporation.phone:
            pdf.cell(
                0,
                5,
                _latin1(_("Phone: %(phone)s") % {"phone": corporation.phone}),
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.ln(12)
        pdf.set_font("Helvetica", "", 11)
        d = claim.dwelling
        lines = [
            claim.resident.full_name if claim.resident else _("The resident"),
            d.address,
            f"{d.postcode} {d.city}",
        ]
        for line in lines:
            pdf.cell(0, 6, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(10)
        pdf.cell(
            0, 6, _latin1(timezone.localdate().strftime("%d-%m-%Y")), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(6)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 7, _latin1(subject), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font("Helvetica", "", 11)
        greeting = (
            _("Dear %(name)s,") % {"name": claim.resident.full_name}
            if claim.resident
            else _("Dear resident,")
        )
        pdf.multi_cell(0, 6, _latin1(greeting), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for para in paras:
            pdf.multi_cell(0, 6, _latin1(para), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        pdf.multi_cell(
            0,
            6,
            _latin1(
                _("Questions? Call us and mention case number %(number)s.")
                % {"number": claim.number}
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(8)
        pdf.cell(0, 6, _latin1(_("Kind regards,")), new_x="LMARGIN", new_y="NEXT")
        signer = claim.handler.get_full_name() if claim.handler else corporation.name
        pdf.cell(0, 6, _latin1(signer), new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, _latin1(corporation.name), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
