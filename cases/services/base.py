"""The one way a case is created or changes state.

`create_case` and `change_state` do, in one database transaction: lock the case row,
check that this person may see the case, that the step is allowed from the current
state (the transition table of the case type) and for this person's role, apply the
step, record who, when and why on the timeline, write the messages it causes to the
outbox, and set the next chase moment. Delivery tasks are published after the commit.
Whatever calls them — a view, the admin, a script — gets the same refusals.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise as LazyText
from django.utils.translation import gettext as _

from accounts.models import User
from projects.models import Dwelling, Project, ProjectMember
from residents.models import Resident

from ..models import ChasePolicy, TimelineEvent
from ..models.base import Case
from ..outbox import Changes, dispatch_on_commit
from ..recipients import Recipient, of_resident
from ..schedule import in_working_days, next_chase_at
from .errors import IllegalTransition, InvalidInput, NotAllowed

# What a transition needs loaded to check roles and render messages.
RELATED = (
    "project__corporation",
    "project__contractor",
    "project__corporation_contact",
    "dwelling",
    "resident",
    "handler",
)


class Who(StrEnum):
    # Anyone who may see the case: supervisors record what residents tell them.
    RECORDER = "recorder"
    # Handlers and project managers on the team, and the administrators of the
    # project's corporation or contractor: they decide and answer.
    DECIDER = "decider"


@dataclass(frozen=True)
class Transition:
    """One step: from which states, to which state, for whom. `when` narrows the source
    states by a fact of the case (a complaint in stage 1, not yet extended)."""

    action: str
    label: LazyText | str
    sources: frozenset[str]
    target: str
    who: Who
    when: Callable[[Any], bool] | None = None
    # The resident may take this step themselves through their status link (`by=None`:
    # the secret link is their authorisation; statuslink/ checks it).
    by_resident: bool = False

    def possible_from(self, case: Case) -> bool:
        return (
            case.is_open and case.status in self.sources and (self.when is None or self.when(case))
        )


def transitions(*items: Transition) -> dict[str, Transition]:
    """A kind's table of transitions, keyed by action."""
    return {t.action: t for t in items}


def may_see(user: User, project_id: int) -> bool:
    """Whether the project is one `user` may see (the one rule of projects/models.py)."""
    return Project.objects.visible_to(user).filter(pk=project_id).exists()


def is_decider(user: User, project: Project) -> bool:
    """Whether `user` may decide on the project's cases: its handlers and managers, the
    administrators of its corporation or contractor, superusers; never an inactive account."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.is_administrator and user.organisation_id in (
        project.corporation_id,
        project.contractor_id,
    ):
        return True
    return ProjectMember.objects.filter(
        project=project,
        user=user,
        role__in=[ProjectMember.Role.HANDLER, ProjectMember.Role.MANAGER],
    ).exists()


def allowed_actions(case: Case, user: User, table: dict[str, Transition]) -> list[str]:
    """The steps to offer this person now. Rules that depend on the moment or the input
    (an objection only within its period, a valid amount) are checked when it is taken."""
    if not case.is_open or not may_see(user, case.project_id):
        return []
    decider = is_decider(user, case.project)
    return [
        t.action
        for t in table.values()
        if t.possible_from(case) and (t.who == Who.RECORDER or decider)
    ]


@dataclass
class Step:
    """What a transition's `apply` function works with; `case` is locked."""

    case: Case
    by: User | None
    policy: ChasePolicy
    now: datetime.datetime
    changes: Changes
    previous_status: str = ""
    # When the case entered the state it is leaving (for pausing the handler's clock).
    entered_previous_at: datetime.datetime | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def due_in(self, days: int, start: datetime.datetime | None = None) -> datetime.datetime:
        return in_working_days(start or self.now, days, self.policy)

    def tell_resident(self, purpose: str, **extra: Any) -> None:
        """Essential news for the resident (by their channel, or a call note for staff)."""
        if self.case.resident_id is None:
            return
        self.tell(purpose, [of_resident(self.case.resident)], **extra)
        self.case.resident_news_at = self.now

    def tell(self, purpose: str, recipients: Iterable[Recipient], **extra: Any) -> None:
        self.changes.tell(
            self.case,
            self.policy,
            purpose=purpose,
            what=purpose,
            recipients=recipients,
            extra=extra,
        )


def _refuse_unless_visible(user: User, project_id: int) -> None:
    if not user.is_authenticated or not may_see(user, project_id):
        raise NotAllowed(_("You have no access to this case."))


def _case_kind(case: Case) -> str:
    return str(type(case)._meta.verbose_name)


def change_state[CaseT: Case](
    *,
    case: CaseT,
    by: User | None,
    table: dict[str, Transition],
    action: str,
    apply: Callable[[Step], None],
    reason: str = "",
) -> CaseT:
    """Take step `action` on `case` for `by`, or raise a TransitionRefused and change
    nothing. `case` is updated in place and returned.

    `by=None` is the resident acting through their status link; only steps marked
    `by_resident` accept it."""
    spec = table[action]
    model = type(case)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            model.objects.select_for_update(of=("self",)).select_related(*RELATED).get(pk=case.pk)
        )
        if by is None:
            if not spec.by_resident:
                raise NotAllowed(_("You have no access to this case."))
        else:
            _refuse_unless_visible(by, locked.project_id)
        if not spec.possible_from(locked):
            possible = allowed_actions(locked, by, table) if by is not None else []
            allowed = ", ".join(str(table[a].label) for a in possible)
            raise IllegalTransition(
                _("This %(kind)s is “%(status)s”: “%(action)s” is not possible now.")
                % {
                    "kind": _case_kind(locked),
                    "status": locked.get_status_display(),
                    "action": spec.label,
                }
                + (" " + _("Possible now: %(allowed)s.") % {"allowed": allowed} if allowed else "")
            )
        if by is not None and spec.who == Who.DECIDER and not is_decider(by, locked.project):
            raise NotAllowed(
                _("“%(action)s” is for the handler, the project manager or an administrator.")
                % {"action": spec.label}
            )
        policy = ChasePolicy.for_project(locked.project)
        step = Step(
            case=locked,
            by=by,
            policy=policy,
            now=now,
            changes=Changes(now),
            previous_status=locked.status,
            entered_previous_at=locked.status_changed_at,
        )
        step.changes.event(
            locked,
            TimelineEvent.Kind.STATUS_CHANGED,
            actor=by,
            from_status=locked.status,
            to_status=spec.target,
            text=reason,
            data=step.data,
        )
        locked.status = spec.target
        locked.status_changed_at = now
        locked.step_seq += 1
        locked.reminders_sent = 0
        locked.escalation_level = 0
        locked.last_reminder_at = None
        step.data["action"] = action
        apply(step)
        _finish(step)
    for f in model._meta.concrete_fields:
        setattr(case, f.attname, getattr(locked, f.attname))
    return case


def create_case[CaseT: Case](
    *,
    model: type[CaseT],
    by: User,
    dwelling: Dwelling,
    resident: Resident | None,
    handler: User | None,
    submission_id: uuid.UUID | None,
    values: dict[str, Any],
    apply: Callable[[Step], None],
) -> CaseT:
    """Record a new case in its first state, or return the one an earlier submission
    with the same `submission_id` created (a double tap or an offline replay)."""
    _refuse_unless_visible(by, dwelling.project_id)
    if submission_id is not None:
        existing = model.objects.filter(submission_id=submission_id).first()
        if existing is not None:
            return existing
    if resident is not None and resident.dwelling_id != dwelling.pk:
        raise InvalidInput(_("This resident does not live at this address."), field="resident")
    project = dwelling.project
    if handler is not None and not is_decider(handler, project):
        raise InvalidInput(_("The handler must be a handler on this project."), field="handler")
    now = timezone.now()
    case = model(
        project=project,
        dwelling=dwelling,
        resident=resident,
        handler=handler,
        created_by=by,
        created_at=now,
        status_changed_at=now,
        submission_id=submission_id,
        step_seq=1,
        **values,
    )
    try:
        with transaction.atomic():
            case.save(force_insert=True)
            policy = ChasePolicy.for_project(project)
            step = Step(case=case, by=by, policy=policy, now=now, changes=Changes(now))
            step.changes.event(
                case,
                TimelineEvent.Kind.CREATED,
                actor=by,
                to_status=case.status,
                data={"action": "record"},
            )
            apply(step)
            _finish(step)
    except IntegrityError:
        # Another request with the same submission id got there first.
        if submission_id is not None:
            existing = model.objects.filter(submission_id=submission_id).first()
            if existing is not None:
                return existing
        raise
    return case


def _finish(step: Step) -> None:
    case = step.case
    if not case.is_open:
        case.step_due_at = None
    case.next_chase_at = next_chase_at(case, step.policy)
    case.save(chase=True)  # the row is locked: this is the chase's own write
    dispatch_on_commit(step.changes.save(), step.now)


def require(value: str, *, field: str, message: str) -> str:
    """The stripped text, or InvalidInput on `field` with `message` when it is empty."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value
