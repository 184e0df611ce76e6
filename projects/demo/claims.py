"""Damage claims in every state of their lifecycle, with amounts that fit the state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from random import Random

from cases.models import DamageClaim
from cases.models.claims import ClaimStatus as S

from . import data
from .cases import (
    CASE_COLUMNS,
    Chase,
    age,
    chase,
    chase_events,
    history,
    seed_cases,
    status_link,
)
from .claim_steps import DECISIONS, WAITING, claim_dates, claim_path, last_index, step_due
from .context import (
    Run,
    Site,
    Weighted,
    between,
    claim_subject,
    event,
    pick,
)
from .store import Row

CLAIM_COLUMNS = (
    *CASE_COLUMNS,
    "damage_kind",
    "room",
    "description",
    "occurred_on",
    "amount_claimed",
    "amount_offered",
    "amount_paid",
    "responsible_party",
    "decision_reason",
    "repair_date",
    "resident_accepted",
    "objection_used",
    "decided_at",
    "settled_at",
    "status_token",
    "status_link_secret",
    "status_link_issued_at",
    "objection_deadline",
    "closed_at",
    "settle_due_at",
    "paused_due_at",
    "expert_name",
    "expert_email",
    "expert_requested_at",
    "expert_reported_at",
)

# After the first pass through every status: mostly settled history, a working stock
# of open claims in every step.
STATUS_WEIGHTS: dict[str, float] = {
    S.REPORTED: 4,
    S.ASSESSING: 6,
    S.WAITING_RESIDENT: 3,
    S.WAITING_EXPERT: 2,
    S.ACCEPTED: 3,
    S.PARTLY_ACCEPTED: 2,
    S.REJECTED: 4,
    S.REPAIR_PLANNED: 5,
    S.COMPENSATION_OFFERED: 4,
    S.REPAIRED: 3,
    S.PAID: 3,
    S.SETTLED: 50,
    S.WITHDRAWN: 6,
}

# Mean age in days of a claim in each open status; None: spread over the year.
AGE_MEAN: dict[str, float | None] = {
    S.REPORTED: 3,
    S.ASSESSING: 12,
    S.WAITING_RESIDENT: 20,
    S.WAITING_EXPERT: 30,
    S.ACCEPTED: 18,
    S.PARTLY_ACCEPTED: 18,
    S.REJECTED: 25,
    S.REPAIR_PLANNED: 30,
    S.COMPENSATION_OFFERED: 25,
    S.REPAIRED: 40,
    S.PAID: 40,
    S.SETTLED: None,
    S.WITHDRAWN: None,
}

DAMAGE_KINDS = Weighted(
    dict(zip(data.CLAIM_DESCRIPTIONS, (25, 20, 15, 10, 12, 5, 10, 3), strict=True))
)
PARTIES = Weighted(
    {
        DamageClaim.Party.CONTRACTOR: 60,
        DamageClaim.Party.SUBCONTRACTOR: 30,
        DamageClaim.Party.CORPORATION: 10,
    }
)
EXPERT_THRESHOLD = 10_000
LARGE_SHARE = 0.04
OBJECTION_TEXT = "Bewoner maakt bezwaar tegen de afwijzing."
CLOSED_TEXT = "De bezwaartermijn is verstreken; de claim is gesloten."


def seed_claims(run: Run, site: Site, n: int) -> None:
    seed_cases(run, site, n, DamageClaim, CLAIM_COLUMNS, _claim)


def _claim(run: Run, site: Site, pk: int, events: list[Row]) -> Row:
    """One claim row; its timeline events are appended to `events`."""
    rng, clock = run.rng, run.clock
    status = run.claim_statuses.next(rng)
    large = status == S.WAITING_EXPERT or rng.random() < LARGE_SHARE
    path, objection = claim_path(rng, status, large)
    moments = _moments(run, site, status, path)
    created_at, changed_at = moments[0], moments[-1]
    dwelling, resident, wants_updates = pick(rng, site.homes)
    handler = pick(rng, site.team.handlers)
    creator = pick(rng, site.team.supervisors) if rng.random() < 0.7 else handler
    kind = DAMAGE_KINDS.draw(rng)
    claimed = _amount_claimed(rng, status, large)
    offered, paid = _amounts_agreed(rng, path, claimed)
    texts = _texts(rng, path, objection)
    decision = next((s for s in reversed(path) if s in DECISIONS), None)
    decided_at, reason = None, ""
    if decision is not None and status != S.ASSESSING:  # an objection re-opens it
        step = last_index(path, decision)
        decided_at, reason = moments[step], texts[step]
    dates = claim_dates(rng, clock, path, moments, objection)
    expert = pick(rng, data.EXPERTS) if dates.expert_requested else ("", "")

    is_open = status in DamageClaim.OPEN_STATUSES and dates.closed_at is None
    state = Chase()
    if is_open:
        state = chase(
            run,
            step_due(clock, status, changed_at, dates),
            changed_at,
            updates=resident is not None and wants_updates,
            closes=status == S.REJECTED,
        )

    subject = claim_subject(pk)
    events += history(dwelling, subject, path, moments, creator, handler, texts, closed=not is_open)
    if state.reminders:
        events += chase_events(clock, dwelling, subject, state)
    if status == S.REJECTED and dates.closed_at is not None and not objection:
        events.append(
            event(dwelling, subject, "closed", dates.closed_at, None, "", "", CLOSED_TEXT)
        )

    return (
        pk,
        site.project_id,
        dwelling,
        resident,
        handler,
        creator,
        created_at,
        changed_at,
        *state.columns,
        len(path),
        status,
        kind,
        pick(rng, data.CLAIM_ROOMS[kind]),
        pick(rng, data.CLAIM_DESCRIPTIONS[kind]),
        created_at.date() - dt.timedelta(days=between(rng, 0, 5)),
        claimed,
        offered,
        paid,
        _party(rng, status, decision, large),
        reason,
        dates.repair_date,
        _resident_accepted(rng, status),
        objection,
        decided_at,
        changed_at if status == S.SETTLED else None,
        *status_link(created_at),
        dates.objection_deadline,
        dates.closed_at,
        dates.settle_due,
        dates.paused_due if status in WAITING else None,
        *expert,
        dates.expert_requested,
        dates.expert_reported,
    )


def _moments(run: Run, site: Site, status: str, path: list[str]) -> list[dt.datetime]:
    """When the claim was reported and reached each status of `path`."""
    rng = run.rng
    days = age(rng, AGE_MEAN[status], site.age_days(run.clock.today))
    if status in (S.SETTLED, S.WITHDRAWN):
        latest = max(0.0, days - rng.uniform(2, 60 if status == S.WITHDRAWN else 90))
    else:
        latest = min(days, rng.expovariate(1 / 6))
    return run.clock.path(days, latest, len(path) - 1)


def _texts(rng: Random, path: list[str], objection: bool) -> dict[int, str]:
    """What the timeline says at some steps (by index in `path`): why, mostly."""
    texts = {}
    for i, status in enumerate(path):
        if status in DECISIONS:
            texts[i] = pick(rng, data.DECISION_REASONS[status])
    if objection:
        texts[path.index(S.REJECTED) + 1] = OBJECTION_TEXT
    if path[-1] == S.WITHDRAWN:
        texts[len(path) - 1] = pick(rng, data.WITHDRAW_REASONS)
    return texts


def _amount_claimed(rng: Random, status: str, large: bool) -> Decimal | None:
    if status in (S.REPORTED, S.WITHDRAWN) and rng.random() < 0.3:
        return None  # the resident has not named an amount (yet)
    if large:
        euros = rng.uniform(EXPERT_THRESHOLD + 500, 40_000)
    else:
        euros = max(15.0, rng.lognormvariate(5.5, 1.0))
    cents = int(euros) * 100 if rng.random() < 0.6 else int(euros * 100)
    return Decimal(cents).scaleb(-2)


def _amounts_agreed(
    rng: Random, path: list[str], claimed: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """(offered, paid): only once compensation was offered, paid only once paid."""
    if S.COMPENSATION_OFFERED not in path or claimed is None:
        return None, None
    # Accepted: what was claimed; partly accepted: a share of it, in whole euros.
    share = 100 if S.ACCEPTED in path else between(rng, 30, 80)
    offered = claimed if share == 100 else Decimal(int(claimed) * share // 100)
    return offered, offered if S.PAID in path else None


def _party(rng: Random, status: str, decision: str | None, large: bool) -> str:
    if large and status != S.REPORTED:
        return DamageClaim.Party.INSURER
    if decision is None or status == S.ASSESSING:
        return DamageClaim.Party.UNKNOWN
    if decision == S.REJECTED:
        return pick(rng, (DamageClaim.Party.UNKNOWN, DamageClaim.Party.CONTRACTOR))
    return PARTIES.draw(rng)


def _resident_accepted(rng: Random, status: str) -> bool | None:
    if status in (S.REPAIRED, S.PAID, S.SETTLED):
        return True
    if status == S.REPAIR_PLANNED and rng.random() < 0.5:
        return True
    if status == S.REJECTED and rng.random() < 0.3:
        return False
    return None
