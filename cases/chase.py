"""What the chase does with one due case: decide (a pure function), then carry it out.

The rules, per case and policy, at moment `now` (only ever within office hours):

- outside office hours nothing is sent: the case is looked at again at the next
  working morning;
- a step that ends by itself (a rejected claim's objection period, an answered
  complaint's escalation period) closes the case when its deadline has passed;
- when the next reminder is due, the party whose move it is gets reminder n (n = 1 at
  the step's deadline, then every cadence of working days); when n − 1 reaches a rung
  of the ladder the next rung is told once: for a staff step handler → project manager
  → corporation contact, for a step awaiting the resident or the expert → handler →
  project manager;
- when the resident has had no news for `resident_update_days` working days (and wants
  updates), they get an update;
- then the next chase moment is computed from the new state (`schedule.next_chase_at`).

Catching up after an outage sends one reminder per sweep, never a burst: the cadence
counts from the reminder's due moment only while that keeps the next one in the future.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from .models import ChasePolicy, Complaint, DamageClaim, TimelineEvent
from .models.base import Case
from .outbox import Changes
from .recipients import (
    INSTEAD_LETTER,
    Recipient,
    Teams,
    corporation_contact,
    handlers,
    managers,
    of_expert,
    of_resident,
    promise_owner,
)
from .schedule import (
    Party,
    close_due_at,
    in_working_days,
    ladder,
    next_chase_at,
    office,
    reminder_due_at,
    step_plan,
    update_due_at,
)
from .workdays import local, next_office_moment


@dataclass
class Decision:
    outside_office_hours: bool = False
    close: bool = False
    reminder_round: int | None = None
    reminder_due: datetime.datetime | None = None
    escalate_to: int | None = None
    update_due: datetime.datetime | None = None


def decide(case: Case, policy: ChasePolicy, now: datetime.datetime) -> Decision:
    """What is due on `case` at `now`. Reads the case, changes nothing."""
    if next_office_moment(now, **office(policy)) > now:
        return Decision(outside_office_hours=True)
    close_at = close_due_at(case, policy)
    if close_at is not None and close_at <= now:
        return Decision(close=True)
    decision = Decision()
    remind_at = reminder_due_at(case, policy)
    if remind_at is not None and remind_at <= now:
        decision.reminder_round = case.reminders_sent + 1
        decision.reminder_due = remind_at
        level = ladder(case, policy).level_at(decision.reminder_round)
        if level > case.escalation_level:
            decision.escalate_to = level
    update_at = update_due_at(case, policy)
    if update_at is not None and update_at <= now:
        decision.update_due = update_at
    return decision


@dataclass
class Tally:
    cases: int = 0
    reminders: int = 0
    escalations: int = 0
    updates: int = 0
    closed: int = 0
    rescheduled: int = 0


def carry_out(
    case: Case,
    decision: Decision,
    *,
    policy: ChasePolicy,
    teams: Teams,
    now: datetime.datetime,
    changes: Changes,
    tally: Tally,
) -> None:
    """Apply `decision` to `case` (in memory) and collect its timeline events and
    messages in `changes`. The caller saves both in one transaction."""
    tally.cases += 1
    if decision.outside_office_hours:
        case.next_chase_at = next_office_moment(now, **office(policy))
        tally.rescheduled += 1
        return
    if decision.close:
        _close(case, now, changes)
        tally.closed += 1
        case.next_chase_at = None
        return
    resident_told = False
    if decision.reminder_round:
        resident_told = _remind(
            case, decision, policy=policy, teams=teams, now=now, changes=changes
        )
        tally.reminders += 1
        tally.escalations += decision.escalate_to is not None
    if decision.update_due is not None and resident_told:
        # The reminder just reached the resident: that is the news; restart the clock.
        case.resident_news_at = now
    elif decision.update_due is not None:
        _update_resident(case, decision.update_due, policy=policy, now=now, changes=changes)
        tally.updates += 1
    case.next_chase_at = next_chase_at(case, policy)
    if case.next_chase_at is not None and case.next_chase_at <= now:
        # Cannot happen with a sane policy; never let a case spin inside one sweep.
        case.next_chase_at = now + datetime.timedelta(hours=1)


def _close(case: Case, now: datetime.datetime, changes: Changes) -> None:
    if isinstance(case, DamageClaim):
        case.closed_at = now
        case.step_due_at = None
        changes.event(
            case,
            TimelineEvent.Kind.CLOSED,
            text=gettext("The objection period has passed; the claim is closed."),
            data={"by": "chase"},
        )
        return
    if isinstance(case, Complaint):
        changes.event(
            case,
            TimelineEvent.Kind.STATUS_CHANGED,
            from_status=case.status,
            to_status=Complaint.Status.CLOSED,
            text=gettext("Nobody asked for stage 2 in time; the complaint is closed."),
            data={"action": "close", "by": "chase"},
        )
        case.status = Complaint.Status.CLOSED
        case.status_changed_at = case.closed_at = now
        case.step_seq += 1
        case.step_due_at = None


def _awaited(case: Case, party: Party, teams: Teams) -> tuple[list[Recipient], str]:
    """Who is reminded, and with which message."""
    if party == Party.RESIDENT and case.resident_id is not None:
        if isinstance(case, DamageClaim) and case.awaits_resident_answer:
            return [of_resident(case.resident)], "resident_answer_reminder"
        return [of_resident(case.resident)], "resident_reminder"
    if party == Party.EXPERT and isinstance(case, DamageClaim) and of_expert(case):
        return [of_expert(case)], "expert_reminder"
    if party == Party.OWNER:
        return promise_owner(case, teams), "reminder"
    return handlers(case, teams), "reminder"


def _rung(case: Case, party: Party, level: int, teams: Teams) -> list[Recipient]:
    """Who is told at ladder `level` (1 or 2) when the awaited party does not move."""
    if party in (Party.RESIDENT, Party.EXPERT):
        return handlers(case, teams) if level == 1 else managers(case, teams)
    return managers(case, teams) if level == 1 else corporation_contact(case, teams)


def _remind(
    case: Case,
    decision: Decision,
    *,
    policy: ChasePolicy,
    teams: Teams,
    now: datetime.datetime,
    changes: Changes,
) -> bool:
    """Send reminder n (and the escalation it brings); True when it went to the resident."""
    party = step_plan(case).awaited
    round_ = decision.reminder_round
    level = max(case.escalation_level, decision.escalate_to or 0)
    due = case.step_due_at or decision.reminder_due
    recipients, purpose = _awaited(case, party, teams)
    # Someone on the morning digest reads this reminder there (cases/digest.py lists
    # every case due for them): no message of its own over that channel.
    in_digest = [r for r in recipients if r.digest]
    reached = changes.tell(
        case,
        policy,
        purpose=purpose,
        what=f"reminder-{round_}",
        level=level,
        recipients=[r for r in recipients if not r.digest],
        extra={"due": due, "round": round_},
    )
    resident_told = any(r.resident is not None for r in recipients)
    if resident_told:
        case.resident_news_at = now
    text = gettext("Reminder %(round)s to %(to)s") % {
        "round": round_,
        "to": _names(recipients) or "—",
    }
    if in_digest and not reached:
        text = gettext("Reminder %(round)s to %(to)s, in the morning digest") % {
            "round": round_,
            "to": _names(in_digest),
        }
    data = {"round": round_, "level": level, "to": list(dict.fromkeys(r.label for r in reached))}
    if in_digest:
        data["digest"] = sorted({f"{r.label}/{r.channel}" for r in in_digest})
    changes.event(case, TimelineEvent.Kind.REMINDER_SENT, text=text, data=data)
    if decision.escalate_to is not None:
        rung = _rung(case, party, decision.escalate_to, teams)
        told = changes.tell(
            case,
            policy,
            purpose="escalation",
            what="escalation",
            level=decision.escalate_to,
            recipients=rung,
            extra={"due": due, "missed": round_ - 1},
        )
        changes.event(
            case,
            TimelineEvent.Kind.ESCALATED,
            text=gettext("Escalated to %(to)s") % {"to": _names(rung) or gettext("nobody")},
            data={"level": decision.escalate_to, "to": list(dict.fromkeys(r.label for r in told))},
        )
        case.escalation_level = decision.escalate_to
    case.reminders_sent = round_
    # Keep the cadence on the due moments while the chase is on time; after an outage
    # count from now, so missed reminders are not all sent at once.
    scheduled = decision.reminder_due or now
    on_time = in_working_days(scheduled, ladder(case, policy).cadence_days, policy) > now
    case.last_reminder_at = scheduled if on_time else now
    return resident_told


def _update_resident(
    case: Case,
    update_due: datetime.datetime,
    *,
    policy: ChasePolicy,
    now: datetime.datetime,
    changes: Changes,
) -> None:
    expected = case.step_due_at if case.step_due_at and case.step_due_at > now else None
    changes.tell(
        case,
        policy,
        purpose="resident_update",
        what=f"update-{local(update_due):%Y%m%d}",
        recipients=[of_resident(case.resident)],
        extra={"date": expected},
    )
    on_time = in_working_days(update_due, policy.resident_update_days, policy) > now
    case.resident_news_at = update_due if on_time else now


def _names(recipients: list[Recipient]) -> str:
    """Who was told, and for a resident who gets no message, what stands in for it; one
    name per person, however many channels they are written on."""
    names = []
    for r in recipients:
        name = str(r.user) if r.user else str(r.resident) if r.resident else r.to
        if r.resident is not None and r.channel is None:
            instead = gettext("by letter") if r.instead == INSTEAD_LETTER else gettext("to call")
            name = f"{name} ({instead})"
        names.append(name)
    return ", ".join(dict.fromkeys(names))
