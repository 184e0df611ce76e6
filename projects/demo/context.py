"""What the row generators share: the run (random source, clock, store) and one project.

The helpers for random draws exist because they run tens of millions of times in a big
run: `Random.choice` and `Random.choices` cost several times more than the arithmetic
below, and that difference is minutes at a million claims.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from random import Random

from .clock import Clock
from .people import Team
from .store import Row, Store


def pick[T](rng: Random, values: Sequence[T]) -> T:
    """`rng.choice(values)`, cheaper."""
    return values[int(rng.random() * len(values))]


def between(rng: Random, low: int, high: int) -> int:
    """`rng.randint(low, high)`, cheaper."""
    return low + int(rng.random() * (high - low + 1))


class Weighted:
    """Draws values by weight, like `rng.choices(values, weights)[0]` but cheaper."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.values: tuple[str, ...] = tuple(weights)
        self._cumulative = list(itertools.accumulate(weights.values()))
        self._total = self._cumulative[-1]

    def draw(self, rng: Random) -> str:
        return self.values[bisect(self._cumulative, rng.random() * self._total)]


class Cycle(Weighted):
    """Values in a fixed order for the first draws of a run, then at random by weight.

    Even a tiny run (say 30 claims) thereby shows every status at least once. A project
    filled in parallel with others starts at `start`: the draws of the projects before it.
    """

    def __init__(self, weights: dict[str, float], start: int = 0) -> None:
        super().__init__(weights)
        self._drawn = start

    def first_pass(self) -> str | None:
        """The next value of the fixed order, or None once every value has come up."""
        if self._drawn >= len(self.values):
            return None
        value = self.values[self._drawn]
        self._drawn += 1
        return value

    def next(self, rng: Random) -> str:
        value = self.first_pass()
        return self.draw(rng) if value is None else value


@dataclass
class Run:
    """What the generators of one project share."""

    rng: Random
    clock: Clock
    store: Store
    claim_statuses: Cycle
    complaint_statuses: Cycle
    complaint_stages: Cycle
    promise_statuses: Cycle
    visit_kinds: Cycle


# A dwelling as the case generators see it: its id, its main resident's id (if any) and
# whether that resident wants progress updates.
Home = tuple[int, int | None, bool]


@dataclass
class Site:
    """One project being filled."""

    project_id: int
    city: str
    starts_on: dt.date
    team: Team
    homes: list[Home] = field(default_factory=list)

    def age_days(self, today: dt.date) -> int:
        return max(1, (today - self.starts_on).days)


TIMELINE_COLUMNS: Sequence[str] = (
    "dwelling_id",
    "claim_id",
    "complaint_id",
    "promise_id",
    "visit_id",
    "kind",
    "at",
    "actor_id",
    "from_status",
    "to_status",
    "text",
)

# What a timeline event is about: (claim, complaint, promise, visit), one of them set.
Subject = tuple[int | None, int | None, int | None, int | None]


def claim_subject(pk: int) -> Subject:
    return (pk, None, None, None)


def complaint_subject(pk: int) -> Subject:
    return (None, pk, None, None)


def promise_subject(pk: int) -> Subject:
    return (None, None, pk, None)


def visit_subject(pk: int) -> Subject:
    return (None, None, None, pk)


def event(
    dwelling: int,
    subject: Subject,
    kind: str,
    at: dt.datetime,
    actor: int | None,
    from_status: str = "",
    to_status: str = "",
    text: str = "",
) -> Row:
    """One timeline row, ordered like TIMELINE_COLUMNS."""
    return (dwelling, *subject, kind, at, actor, from_status, to_status, text)
