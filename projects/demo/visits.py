"""Site visits: several per home, spread over the months the project has been running."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from random import Random

from cases.models import TimelineEvent
from residents.models import Visit

from . import data
from .context import TIMELINE_COLUMNS, Run, Site, Weighted, between, event, pick, visit_subject
from .store import Row

VISIT_COLUMNS: Sequence[str] = (
    "id",
    "dwelling_id",
    "visited_by_id",
    "visited_at",
    "kind",
    "outcome",
    "mood",
    "note",
    "created_at",
)

CHUNK = 2000  # homes per write
VISITS_PER_HOME = Weighted({"1": 10, "2": 15, "3": 20, "4": 20, "5": 15, "6": 12, "8": 8})
OUTCOMES = Weighted({"spoken": 55, "not_home": 18, "card_left": 12, "work_checked": 15})
MOODS = Weighted({"positive": 40, "neutral": 40, "worried": 13, "angry": 7})


def seed_visits(run: Run, site: Site) -> None:
    """Write visits and their timeline events for every home of the site."""
    for start in range(0, len(site.homes), CHUNK):
        homes = site.homes[start : start + CHUNK]
        counts = [int(VISITS_PER_HOME.draw(run.rng)) for _ in homes]
        ids = iter(run.store.ids(Visit, sum(counts)))
        visits: list[Row] = []
        events: list[Row] = []
        for (dwelling_id, _resident, _updates), count in zip(homes, counts, strict=True):
            for visit in _home_visits(run, site, dwelling_id, count, ids):
                visits.append(visit)
                pk, _dwelling, actor, at, _kind, _outcome, _mood, note = visit[:8]
                events.append(
                    event(dwelling_id, visit_subject(pk), "visit", at, actor, "", "", note)
                )
        run.store.write(Visit, VISIT_COLUMNS, visits)
        run.store.write(TimelineEvent, TIMELINE_COLUMNS, events)


def _home_visits(
    run: Run, site: Site, dwelling_id: int, count: int, ids: Iterator[int]
) -> list[Row]:
    rng, clock = run.rng, run.clock
    span = min(site.age_days(clock.today), 200)
    moments = sorted(clock.days_ago(rng.uniform(0, span)) for _ in range(count))
    rows = []
    for position, visited_at in enumerate(moments):
        kind = run.visit_kinds.first_pass() or _kind(rng, position, count)
        outcome = OUTCOMES.draw(rng)
        nobody_home = outcome in ("not_home", "card_left")
        mood = "" if nobody_home else MOODS.draw(rng)
        note = pick(rng, data.NOBODY_HOME_NOTES if nobody_home else data.VISIT_NOTES)
        # Entered on the phone on the spot; received a little later.
        received = min(clock.now, visited_at + dt.timedelta(minutes=between(rng, 1, 30)))
        visitor = pick(rng, site.team.supervisors)
        rows.append(
            (next(ids), dwelling_id, visitor, visited_at, kind, outcome, mood, note, received)
        )
    return rows


def _kind(rng: Random, position: int, count: int) -> str:
    """Intake first, handover last, rounds and the odd announcement in between."""
    if position == 0 and rng.random() < 0.7:
        return "intake"
    if position == count - 1 and count > 2 and rng.random() < 0.3:
        return "handover"
    return "announcement" if rng.random() < 0.2 else "round"
