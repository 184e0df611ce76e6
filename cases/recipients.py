"""Who a message goes to: the person whose move it is, and the rungs of the ladder above."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import User
from projects.models import ProjectMember
from residents.models import Resident

from .models import Complaint, DamageClaim, Notification, Promise
from .models.base import Case


@dataclass(frozen=True)
class Recipient:
    """One addressee. `channel` None means: no automatic message; `instead` says what
    stands in for it: a call task for a person ("call": the resident asked for calls, or
    left no number for texts and no e-mail address) or a letter to post ("letter")."""

    label: str  # the recipient part of a notification key: user-45, resident-7, expert
    channel: str | None
    to: str
    language: str
    user: User | None = None
    resident: Resident | None = None
    instead: str = ""

    @property
    def is_staff(self) -> bool:
        return self.user is not None


INSTEAD_CALL = "call"
INSTEAD_LETTER = "letter"


def staff(user: User | None) -> Recipient | None:
    if user is None or not user.is_active or not user.email:
        return None
    return Recipient(
        label=f"user-{user.pk}",
        channel=Notification.Channel.EMAIL,
        to=user.email,
        language=user.language or "nl",
        user=user,
    )


def of_resident(resident: Resident) -> Recipient:
    """The resident by their own channel; falls back to the other written channel when
    the preferred one has no address, and to a phone call when neither has. A resident
    who asked for calls gets a call, one who asked for letters a letter."""
    channel: str | None = None
    to = ""
    instead = ""
    preferred = resident.contact_channel
    if preferred == Resident.Channel.SMS and resident.phone:
        channel, to = Notification.Channel.SMS, resident.phone
    elif preferred == Resident.Channel.EMAIL and resident.email:
        channel, to = Notification.Channel.EMAIL, resident.email
    elif preferred in (Resident.Channel.SMS, Resident.Channel.EMAIL):
        if resident.phone:
            channel, to = Notification.Channel.SMS, resident.phone
        elif resident.email:
            channel, to = Notification.Channel.EMAIL, resident.email
    if channel is None:
        instead = INSTEAD_LETTER if preferred == Resident.Channel.LETTER else INSTEAD_CALL
        to = resident.phone
    return Recipient(
        label=f"resident-{resident.pk}",
        channel=channel,
        to=to,
        language=resident.language or "nl",
        resident=resident,
        instead=instead,
    )


def of_expert(claim: DamageClaim) -> Recipient | None:
    if not claim.expert_email:
        return None
    return Recipient(
        label="expert", channel=Notification.Channel.EMAIL, to=claim.expert_email, language="nl"
    )


class Teams:
    """Project team members by role, loaded once for a batch of cases."""

    def __init__(self, project_ids: Iterable[int]) -> None:
        self._by: dict[tuple[int, str], list[User]] = defaultdict(list)
        self._admins: dict[int, list[User]] = {}
        members = (
            ProjectMember.objects.filter(project_id__in=set(project_ids), user__is_active=True)
            .select_related("user")
            .order_by("user_id")
        )
        for member in members:
            self._by[(member.project_id, member.role)].append(member.user)

    def of(self, project_id: int, role: str) -> list[User]:
        return list(self._by.get((project_id, role), []))

    def administrators(self, organisation_id: int) -> list[User]:
        """An organisation's active administrators (one query per organisation and batch;
        only asked for when an escalation reaches a corporation without a contact)."""
        if organisation_id not in self._admins:
            self._admins[organisation_id] = list(
                User.objects.filter(
                    organisation_id=organisation_id,
                    role=User.Role.ADMINISTRATOR,
                    is_active=True,
                ).order_by("pk")
            )
        return self._admins[organisation_id]


def _people(users: Iterable[User | None]) -> list[Recipient]:
    seen: set[str] = set()
    result = []
    for user in users:
        recipient = staff(user)
        if recipient and recipient.label not in seen:
            seen.add(recipient.label)
            result.append(recipient)
    return result


def handlers(case: Case, teams: Teams) -> list[Recipient]:
    """Whoever must make the next move on the staff side.

    The case's own handler; without one, the project's handlers (for a stage 2
    complaint, except the stage 1 handler); without those, the project manager(s).
    """
    own = _people([case.handler])
    if own:
        return own
    team = teams.of(case.project_id, ProjectMember.Role.HANDLER)
    if isinstance(case, Complaint) and case.stage == 2:
        team = [u for u in team if u.pk != case.stage_one_handler_id]
    return _people(team) or managers(case, teams)


def promise_owner(promise: Promise, teams: Teams) -> list[Recipient]:
    """The person who made the promise (or its assigned handler)."""
    return _people([promise.handler]) or _people([promise.created_by]) or handlers(promise, teams)


def managers(case: Case, teams: Teams) -> list[Recipient]:
    return _people(teams.of(case.project_id, ProjectMember.Role.MANAGER))


def corporation_contact(case: Case, teams: Teams) -> list[Recipient]:
    """The top of the ladder: the project's corporation contact, or, when the project
    has none (or they cannot be written to), the corporation's administrators, so the
    last escalation never goes to nobody."""
    contact = _people([case.project.corporation_contact])
    return contact or _people(teams.administrators(case.project.corporation_id))


CASE_KINDS: dict[type[Case], str] = {
    DamageClaim: "claim",
    Complaint: "complaint",
    Promise: "promise",
}
