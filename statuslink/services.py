"""Writes around the resident's status link.

Staff side (the back-office and the admin call these): `status_link_reissue` (also for
a case without a working link) and `status_link_revoke`. Resident side (the status page calls these;
the secret link is the resident's authorisation, there is no user): adding information
while the claim waits for it, answering the satisfaction question, and switching
progress updates off and on.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import ChasePolicy, ClaimPhoto, Complaint, DamageClaim, TimelineEvent
from cases.models.base import Case
from cases.outbox import Changes, dispatch_on_commit
from cases.photos import MAX_PHOTOS_PER_CLAIM, CleanPhoto, PhotoRejected
from cases.recipients import of_resident
from cases.services import claim_resident_answered
from cases.services.base import is_decider, may_see
from cases.services.errors import IllegalTransition, InvalidInput, NotAllowed

from . import tokens
from .models import SatisfactionAnswer

StatusCase = DamageClaim | Complaint


def _locked(case: StatusCase) -> StatusCase:
    return (
        type(case)
        .objects.select_for_update(of=("self",))
        .select_related("project__corporation", "project__contractor", "dwelling", "resident")
        .get(pk=case.pk)
    )


def _refuse_unless_decider(by: User, case: StatusCase) -> None:
    if not may_see(by, case.project_id):
        raise NotAllowed(_("You have no access to this case."))
    if not is_decider(by, case.project):
        raise NotAllowed(
            _("Only the handler, the project manager or an administrator can change status links.")
        )


def _copy_link_fields(target: StatusCase, source: StatusCase) -> None:
    for name in (
        "status_token",
        "status_link_secret",
        "status_link_issued_at",
        "status_link_revoked_at",
    ):
        setattr(target, name, getattr(source, name))


def status_link_reissue(*, case: StatusCase, by: User) -> str:
    """Give the case a new status link and send it to the resident; the old link stops
    working at once. Returns the new token (shown once to staff; never stored)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(case)
        _refuse_unless_decider(by, locked)
        token = tokens.assign(locked, now)
        locked.save(
            update_fields=[
                "status_token",
                "status_link_secret",
                "status_link_issued_at",
                "status_link_revoked_at",
            ]
        )
        changes = Changes(now)
        changes.event(
            locked,
            TimelineEvent.Kind.NOTE,
            actor=by,
            text=_("New status link made and sent to the resident."),
            data={"status_link": "issued"},
        )
        if locked.resident_id is not None:
            changes.tell(
                locked,
                ChasePolicy.for_project(locked.project),
                purpose="status_link_new",
                # One message per link: the issue moment names it.
                what=f"status-link-{now:%Y%m%d%H%M%S%f}",
                recipients=[of_resident(locked.resident)],
            )
        dispatch_on_commit(changes.save(), now)
    _copy_link_fields(case, locked)
    return token


def status_link_revoke(*, case: StatusCase, by: User) -> None:
    """Make the case's status link stop working (e.g. it reached the wrong person)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(case)
        _refuse_unless_decider(by, locked)
        tokens.clear(locked, now)
        locked.save(update_fields=["status_token", "status_link_secret", "status_link_revoked_at"])
        TimelineEvent.objects.create(
            dwelling_id=locked.dwelling_id,
            kind=TimelineEvent.Kind.NOTE,
            actor=by,
            at=now,
            text=_("Status link switched off."),
            data={"status_link": "revoked"},
            **{"claim" if isinstance(locked, DamageClaim) else "complaint": locked},
        )
    _copy_link_fields(case, locked)


# The resident's side ------------------------------------------------------------------

MAX_PHOTOS_PER_ANSWER = 5


def status_link_add_information(
    *, claim: DamageClaim, text: str, photos: list[CleanPhoto]
) -> DamageClaim:
    """The resident answers the question they were asked: text and cleaned photos are
    stored, the claim goes back to assessing and its handler is told.

    Raises IllegalTransition when the claim no longer waits for the resident (a second
    submission, or staff moved it on), and PhotoRejected when there would be too many
    photos; nothing is stored then."""
    stored: list[ClaimPhoto] = []
    try:
        with transaction.atomic():
            existing = ClaimPhoto.objects.filter(claim=claim).count()
            if existing + len(photos) > MAX_PHOTOS_PER_CLAIM:
                raise PhotoRejected(
                    _("A claim can have at most %(n)d photos.") % {"n": MAX_PHOTOS_PER_CLAIM},
                    code="too_many_photos",
                )
            # The transition locks the claim and checks it still waits for the resident.
            claim_resident_answered(claim=claim, by=None, note=text, photos=len(photos))
            for photo in photos:
                stored.append(_store_photo(claim, photo))
    except BaseException:
        # Deleting a row never deletes its files, and here the rows are gone: clean up.
        for record in stored:
            record.image.delete(save=False)
            record.thumbnail.delete(save=False)
        raise
    return claim


def _store_photo(claim: DamageClaim, photo: CleanPhoto) -> ClaimPhoto:
    """Like cases.photos.claim_photo_add, for a resident (no user to check or record)."""
    record = ClaimPhoto(
        claim=claim,
        uploaded_by=None,
        width=photo.width,
        height=photo.height,
        caption=_("From the resident"),
        submission_id=uuid.uuid4(),
    )
    # The names are generated by the model's upload_to; the uploaded name is never used.
    record.image.save("photo.jpg", ContentFile(photo.image), save=False)
    record.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    record.save(force_insert=True)
    TimelineEvent.objects.create(
        dwelling_id=claim.dwelling_id,
        claim=claim,
        kind=TimelineEvent.Kind.PHOTO_ADDED,
        at=record.uploaded_at,
        data={"photo": record.pk, "by": "resident"},
    )
    return record


@dataclass(frozen=True)
class SatisfactionOutcome:
    answer: SatisfactionAnswer
    changed: bool


def satisfaction_answer(
    *, claim: DamageClaim, score: int, remark: str = "", now: datetime.datetime | None = None
) -> SatisfactionOutcome:
    """Record the resident's score (1–10) for a settled claim, or change it within a week
    of the first answer. Raises IllegalTransition when the question is not (or no
    longer) open and InvalidInput for a score outside 1–10."""
    now = now or timezone.now()
    if not 1 <= score <= 10:
        raise InvalidInput(_("Choose a score from 1 to 10."), field="score")
    remark = (remark or "").strip()
    with transaction.atomic():
        locked = DamageClaim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
        if locked.status != DamageClaim.Status.SETTLED:
            raise IllegalTransition(_("You can give a score once your claim is settled."))
        answer = SatisfactionAnswer.objects.filter(claim=locked).first()
        if answer is None:
            answer = SatisfactionAnswer.objects.create(
                claim=locked, score=score, remark=remark, answered_at=now
            )
            changed = False
        elif not answer.may_change(now):
            raise IllegalTransition(
                _("You can change your answer for a week. That week has passed.")
            )
        else:
            answer.score, answer.remark, answer.changed_at = score, remark, now
            answer.save(update_fields=["score", "remark", "changed_at"])
            changed = True
        TimelineEvent.objects.create(
            dwelling_id=locked.dwelling_id,
            claim=locked,
            kind=TimelineEvent.Kind.NOTE,
            at=now,
            text=_("The resident gave a score of %(score)s.") % {"score": score},
            data={"satisfaction": score, "changed": changed},
        )
    return SatisfactionOutcome(answer=answer, changed=changed)


def status_link_updates_set(*, case: Case, wanted: bool) -> None:
    """The resident switches progress updates ("we have not forgotten you") off or on.
    Messages about decisions and deadlines always go out."""
    if case.resident_id is None:
        return
    with transaction.atomic():
        case.resident.non_essential_messages = wanted
        case.resident.save(update_fields=["non_essential_messages"])
        TimelineEvent.objects.create(
            dwelling_id=case.dwelling_id,
            kind=TimelineEvent.Kind.NOTE,
            text=_("The resident switched progress updates on.")
            if wanted
            else _("The resident switched progress updates off."),
            data={"updates": wanted, "via": "status_link"},
            **{"claim" if isinstance(case, DamageClaim) else "complaint": case},
        )
