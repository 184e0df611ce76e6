"""Complaints in both stages and every status, with the complaint code's deadlines."""

from __future__ import annotations

from random import Random

from cases.models import Complaint
from cases.models.complaints import ComplaintStatus as S

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
from .context import Run, Site, Weighted, complaint_subject, pick
from .store import Row

COMPLAINT_COLUMNS = (
    *CASE_COLUMNS,
    "category",
    "description",
    "stage",
    "stage_one_handler_id",
    "acknowledged_at",
    "answered_at",
    "extended",
    "extension_reason",
    "resolution",
    "closed_at",
    "status_token",
    "status_link_secret",
    "status_link_issued_at",
)

STATUS_WEIGHTS: dict[str, float] = {
    S.RECEIVED: 8,
    S.ACKNOWLEDGED: 10,
    S.ANSWERED: 10,
    S.CLOSED: 62,
    S.WITHDRAWN: 10,
}
AGE_MEAN: dict[str, float | None] = {
    S.RECEIVED: 3,
    S.ACKNOWLEDGED: 10,
    S.ANSWERED: 20,
    S.CLOSED: None,
    S.WITHDRAWN: None,
}
CATEGORIES = Weighted(
    dict(zip(data.COMPLAINT_DESCRIPTIONS, (25, 20, 12, 18, 7, 10, 8), strict=True))
)
STAGE_WEIGHTS: dict[str, float] = {"1": 85, "2": 15}
EXTENSION_SHARE = 0.12

# The policy's defaults, in working days.
ACKNOWLEDGE_DAYS = 5
ANSWER_DAYS = 10
EXTENSION_DAYS = 10
STAGE_TWO_ANSWER_DAYS = 20
# How long an answered complaint stays open for the resident to take it to stage 2.
CLOSE_AFTER_DAYS = 20

STAGE_ONE = (S.RECEIVED, S.ACKNOWLEDGED, S.ANSWERED)


def seed_complaints(run: Run, site: Site, n: int) -> None:
    seed_cases(run, site, n, Complaint, COMPLAINT_COLUMNS, _complaint)


def _complaint(run: Run, site: Site, pk: int, events: list[Row]) -> Row:
    rng, clock = run.rng, run.clock
    status = run.complaint_statuses.next(rng)
    second_stage = run.complaint_stages.next(rng) == "2"
    path = _path(rng, status)
    stage_two_from = 0
    if second_stage:
        # The resident was not satisfied with the stage 1 answer and took it further.
        stage_two_from = len(STAGE_ONE)
        path = [*STAGE_ONE, *path]

    days = age(rng, AGE_MEAN[status], site.age_days(clock.today))
    if status in (S.CLOSED, S.WITHDRAWN):
        latest = max(0.0, days - rng.uniform(3, 60))
    else:
        latest = min(days, rng.expovariate(1 / 5))
    moments = clock.path(days, latest, len(path) - 1)
    created_at, changed_at = moments[0], moments[-1]

    dwelling, resident, wants_updates = pick(rng, site.homes)
    first_handler, handler = rng.sample(site.team.handlers, 2)
    if not second_stage:
        handler = first_handler
    creator = pick(rng, site.team.supervisors) if rng.random() < 0.5 else first_handler

    def last(step: str) -> int | None:
        """Index in `path` of the current stage's `step`, if reached."""
        for i in range(len(path) - 1, stage_two_from - 1, -1):
            if path[i] == step:
                return i
        return None

    acknowledged, answered = last(S.ACKNOWLEDGED), last(S.ANSWERED)
    extended = not second_stage and acknowledged is not None and rng.random() < EXTENSION_SHARE

    state = Chase()
    if status in Complaint.OPEN_STATUSES:
        if status == S.RECEIVED:
            step_due = clock.due(changed_at, ACKNOWLEDGE_DAYS)
        elif status == S.ACKNOWLEDGED:
            answer_days = STAGE_TWO_ANSWER_DAYS if second_stage else ANSWER_DAYS
            step_due = clock.due(changed_at, answer_days + (EXTENSION_DAYS if extended else 0))
        else:  # answered: the resident may still ask for stage 2, then it closes
            step_due = clock.due(changed_at, CLOSE_AFTER_DAYS)
        updates = resident is not None and wants_updates
        state = chase(run, step_due, changed_at, updates=updates, closes=status == S.ANSWERED)

    category = CATEGORIES.draw(rng)
    resolution = pick(rng, data.COMPLAINT_RESOLUTIONS) if answered is not None else ""
    texts = {}
    if second_stage:
        texts[stage_two_from] = "Bewoner is het niet eens met het antwoord: fase 2."
    if status == S.WITHDRAWN:
        texts[len(path) - 1] = pick(rng, data.WITHDRAW_REASONS)
    subject = complaint_subject(pk)
    closed = status not in Complaint.OPEN_STATUSES
    events.extend(history(dwelling, subject, path, moments, creator, handler, texts, closed=closed))
    if state.reminders:
        events.extend(chase_events(clock, dwelling, subject, state))

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
        category,
        pick(rng, data.COMPLAINT_DESCRIPTIONS[category]),
        2 if second_stage else 1,
        first_handler if second_stage else None,
        moments[acknowledged] if acknowledged is not None else None,
        moments[answered] if answered is not None else None,
        extended,
        pick(rng, data.EXTENSION_REASONS) if extended else "",
        resolution,
        changed_at if status in (S.CLOSED, S.WITHDRAWN) else None,
        *status_link(created_at),
    )


def _path(rng: Random, status: str) -> list[str]:
    """The statuses of one stage, from received to `status`."""
    if status == S.WITHDRAWN:
        before = [S.RECEIVED, S.ACKNOWLEDGED] if rng.random() < 0.6 else [S.RECEIVED]
        return [*before, S.WITHDRAWN]
    if status == S.CLOSED:
        return [*STAGE_ONE, S.CLOSED]
    return list(STAGE_ONE[: STAGE_ONE.index(status) + 1])
