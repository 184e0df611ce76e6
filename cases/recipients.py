"""Who a message goes to: the person whose move it is, and the rungs of the ladder above."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Absence, User
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
    # The person this message was meant for, when they are away and `user` covers.
    covering: Absence | None = None
    # The person reads this channel in their morning digest (cases/digest.py): their
    # reminders are not sent one by one. Escalations are sent at once all the same.
    digest: bool = False
    instead: str = ""

    @property
    def is_staff(self) -> bool:
        return self.user is not None


INSTEAD_CALL = "call"
INSTEAD_LETTER = "letter"


def staff(user: User | None, covering: Absence | None = None) -> list[Recipient]:
    """A member of staff over every channel they receive the chase's messages on: e-mail
    always, text messages when they chose them (and have a number). `covering`: the
    absence of the person they stand in for, when they get this as a deputy."""
    if user is None or not user.is_active or not user.email:
        return []
    found = []
    addresses = ((Notification.Channel.EMAIL, user.email), (Notification.Channel.SMS, user.phone))
    for channel, to in addresses:
        delivery = user.delivery(channel)
        if delivery == User.Delivery.OFF or not to:
            continue
        found.append(
            Recipient(
                label=f"user-{user.pk}",
                channel=channel,
                to=to,
                language=user.language or "nl",
                user=user,
                digest=delivery == User.Delivery.DIGEST,
                covering=covering,
            )
        )
    return found


# A deputy may be away too; their deputy covers, this many steps deep at most.
COVER_DEPTH = 5


def cover(user: User, absences: dict[int, Absence]) -> tuple[User, Absence | None]:
    """Who acts for `user` given today's `absences` by person id: `user` when present;
    else their deputy (or the deputy's deputy…), with the absence that sent it there.
    A chain that returns to someone already passed, or a deputy who left, ends at the
    last person who can act."""
    first: Absence | None = None
    seen = {user.pk}
    person = user
    for _step in range(COVER_DEPTH):
        absence = absences.get(person.pk)
        if absence is None or absence.deputy_id in seen or not absence.deputy.is_active:
            break
        first = first or absence
        person = absence.deputy
        seen.add(person.pk)
    return person, first


def absences_on(day) -> dict[int, Absence]:
    """Today's absences by person id (few at any time: one query for a whole batch)."""
    rows = Absence.objects.on(day).select_related("person", "deputy").order_by("starts_on", "pk")
    return {a.person_id: a for a in rows}


def stands_in_for(user: User, absences: dict[int, Absence]) -> list[int]:
    """The ids of the people away today whose work falls to `user`."""
    return [pk for pk, a in absences.items() if cover(a.person, absences)[0].pk == user.pk]


def covering(user: User, day=None) -> tuple[User, Absence | None]:
    """`cover` for one person, reading the absences of `day` (default today)."""
    return cover(user, absences_on(day or timezone.localdate()))


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

    def __init__(
        self, project_ids: Iterable[int], day=None, absences: dict[int, Absence] | None = None
    ) -> None:
        self._by: dict[tuple[int, str], list[User]] = defaultdict(list)
        self._admins: dict[int, list[User]] = {}
        if absences is None:
            absences = absences_on(day or timezone.localdate())
        self.absences = absences
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


def _people(users: Iterable[User | None], teams: Teams) -> list[Recipient]:
    """Each person, or whoever covers while they are away; everyone once."""
    seen: set[str] = set()
    result = []
    for user in users:
        if user is None:
            continue
        acting, absence = cover(user, teams.absences)
        found = staff(acting, absence)
        if found and found[0].label not in seen:
            seen.add(found[0].label)
            result += found
    return result


def handlers(case: Case, teams: Teams) -> list[Recipient]:
    """Whoever must make the next move on the staff side.

    The case's own handler; without one, the project's handlers (for a stage 2
    complaint, except the stage 1 handler); without those, the project manager(s).
    """
    own = _people([case.handler], teams)
    if own:
        return own
    team = teams.of(case.project_id, ProjectMember.Role.HANDLER)
    if isinstance(case, Complaint) and case.stage == 2:
        team = [u for u in team if u.pk != case.stage_one_handler_id]
    return _people(team, teams) or managers(case, teams)


def promise_owner(promise: Promise, teams: Teams) -> list[Recipient]:
    """The person who made the promise (or its assigned handler)."""
    return (
        _people([promise.handler], teams)
        or _people([promise.created_by], teams)
        or handlers(promise, teams)
    )


def managers(case: Case, teams: Teams) -> list[Recipient]:
    return _people(teams.of(case.project_id, ProjectMember.Role.MANAGER), teams)


def corporation_contact(case: Case, teams: Teams) -> list[Recipient]:
    """The top of the ladder: the project's corporation contact, or, when the project
    has none (or they cannot be written to), the corporation's administrators, so the
    last escalation never goes to nobody."""
    contact = _people([case.project.corporation_contact], teams)
    return contact or _people(teams.administrators(case.project.corporation_id), teams)


CASE_KINDS: dict[type[Case], str] = {
    DamageClaim: "claim",
    Complaint: "complaint",
    Promise: "promise",
}
