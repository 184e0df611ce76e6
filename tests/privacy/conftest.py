"""A resident with everything Woonrust can hold about her, a neighbour at the same
address, and the privacy officers of organisation A and B."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from cases.models import Notification
from cases.photos import claim_photo_add, clean_photo
from cases.services import claim_report, complaint_record
from cases.services.promises import promise_record
from mobile.models import care_needs_seen
from residents.models import CareNeed, Resident, Visit
from residents.services import visit_log
from statuslink.models import SatisfactionAnswer
from statuslink.services import status_link_reissue
from tests.conftest import make_user
from tests.mobile.conftest import jpeg_with_gps


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(world) -> User:
    return make_user(
        "privacy@woonstede.nl", world.corporation, User.Role.PRIVACY_OFFICER, full_name="Pim Raats"
    )


@pytest.fixture
def other_officer(world) -> User:
    return make_user("privacy@eigenhaard.nl", world.other_corporation, User.Role.PRIVACY_OFFICER)


@dataclass
class Home:
    truus: Resident
    neighbour: Resident
    claim: object
    complaint: object
    promise: object
    neighbour_claim: object
    visit: Visit
    link: str  # the token of Truus's status link
    secrets: list[str]  # what identifies Truus
    neighbour_secrets: list[str]


@pytest.fixture
def home(world, django_capture_on_commit_callbacks) -> Home:
    truus = world.resident
    # A surname found nowhere else in the world, with letters outside Latin-1.
    truus.last_name = "Ağaoğlu"
    truus.email = "truus.agaoglu@example.nl"
    truus.save()
    CareNeed.objects.create(resident=truus, kind="mobility", note="Rolstoel, geen trap")
    CareNeed.objects.create(resident=truus, kind="hearing")
    neighbour = Resident.objects.create(
        dwelling=world.dwelling,
        first_name="Mehmet",
        last_name="Yilmaz",
        phone="06 98765432",
        email="mehmet@voorbeeld.nl",
        is_main_contact=False,
    )
    CareNeed.objects.create(resident=neighbour, kind="pets", note="Hond Bobbie")
    by = world.supervisor
    with django_capture_on_commit_callbacks(execute=False):
        claim = claim_report(
            dwelling=world.dwelling,
            by=by,
            resident=truus,
            damage_kind="floor",
            description="Kras in de vloer bij Truus Ağaoğlu",
            amount_claimed=Decimal("120.00"),
        )
        complaint = complaint_record(
            dwelling=world.dwelling, by=by, resident=truus, description="Stof, bel +31 6 1234 5678"
        )
        promise = promise_record(
            dwelling=world.dwelling,
            by=by,
            resident=truus,
            description="Kit langs het raam voor mevrouw Ağaoğlu",
            due_on=timezone.localdate() + datetime.timedelta(days=3),
        )
        neighbour_claim = claim_report(
            dwelling=world.dwelling,
            by=by,
            resident=neighbour,
            damage_kind="wall",
            description="Scheur in de muur, Yilmaz",
        )
        visit = visit_log(
            by=by,
            dwelling=world.dwelling,
            note="Truus Ağaoğlu thuis, alles goed; bel +31 6 1234 5678",
        )
        claim_photo_add(claim=claim, by=by, photo=clean_photo(io.BytesIO(jpeg_with_gps((64, 48)))))
        claim_photo_add(
            claim=neighbour_claim, by=by, photo=clean_photo(io.BytesIO(jpeg_with_gps((48, 64))))
        )
        link = status_link_reissue(case=claim, by=world.handler)
    SatisfactionAnswer.objects.create(claim=claim, score=8, remark="Truus is tevreden")
    care_needs_seen(by=by, residents=[truus, neighbour], purpose="site visit")
    assert Notification.objects.filter(recipient_resident=truus).exists()
    return Home(
        truus=truus,
        neighbour=neighbour,
        claim=claim,
        complaint=complaint,
        promise=promise,
        neighbour_claim=neighbour_claim,
        visit=visit,
        link=link,
        secrets=["Truus", "Ağaoğlu", "12345678", "1234 5678", "truus.agaoglu@example.nl", link],
        neighbour_secrets=[
            "Mehmet",
            "Yilmaz",
            "06 98765432",
            "mehmet@voorbeeld.nl",
            "Bobbie",
            neighbour_claim.number,
        ],
    )
