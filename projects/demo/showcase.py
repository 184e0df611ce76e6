"""One resident with an open offer and an appointment to confirm, made through the real
services, so `make run` shows the status page's questions (its link is printed)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from projects.models import Project, WorkWindow
from residents.models import Resident

from .people import DemoTeam

DEMO_PHONE = "020 555 0123"


def _logo(name: str) -> bytes:
    """A plain letterhead logo for the demo corporation: its initials on its colour."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 80), (0, 110, 90, 255))
    draw = ImageDraw.Draw(image)
    initials = "".join(word[0] for word in name.split()[:2]).upper() or "W"
    draw.text((20, 18), initials, fill=(255, 255, 255, 255), font_size=40)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def open_offer(demo: DemoTeam) -> str:
    """A claim with compensation offered to a resident of the first demo project, and an
    appointment at that home. Returns the resident's status link ("" when no project)."""
    from cases.services import (
        claim_accept,
        claim_offer_compensation,
        claim_report,
        claim_start_assessment,
    )
    from statuslink.tokens import case_link_url

    project = (
        Project.objects.filter(corporation=demo.corporation, contractor=demo.contractor)
        .order_by("pk")
        .first()
    )
    resident = (
        Resident.objects.filter(dwelling__project=project)
        .filter(~Q(phone="") | ~Q(email=""))
        .select_related("dwelling")
        .order_by("pk")
        .first()
    )
    if project is None or resident is None:
        return ""
    if not project.resident_phone:
        project.resident_phone = DEMO_PHONE
        project.save(update_fields=["resident_phone"])
    corporation = demo.corporation
    if not corporation.logo:
        corporation.logo = _logo(corporation.name)
        corporation.save(update_fields=["logo"])
    claim = claim_report(
        dwelling=resident.dwelling,
        by=demo.supervisor,
        resident=resident,
        damage_kind="floor",
        room="living_room",
        description="Kras in het parket door het verplaatsen van de steiger",
        amount_claimed=Decimal("185.00"),
        handler=demo.handler,
    )
    claim_start_assessment(claim=claim, by=demo.handler)
    claim_accept(claim=claim, by=demo.handler, reason="De kras komt door onze steiger.")
    claim_offer_compensation(claim=claim, by=demo.handler, amount=Decimal("185.00"))
    today = timezone.localdate()
    WorkWindow.objects.create(
        dwelling=resident.dwelling,
        description="Nieuwe keuken plaatsen",
        starts_on=today + dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=9),
        note="De monteurs komen tussen 8 en 9 uur.",
        needs_access=True,
    )
    return case_link_url(claim)
