"""One seed_demo run: plan the projects, then have them filled (see fill.py)."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from random import Random

from django.db import connection, models
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organisation, User
from projects.models import Project, ProjectMember

from . import complaints, data, promises, showcase
from .contact import seed_contact
from .fill import fill_projects
from .people import (
    DemoTeam,
    Organisations,
    StaffPool,
    ensure_demo_team,
    ensure_organisations,
    give_demo_handler_due_work,
    join_demo_projects,
)

DEFAULT_DWELLINGS = 300
DEFAULT_CLAIMS = 400
# Other cases in proportion to claims: promises are common, complaints rarer.
COMPLAINTS_PER_CLAIM = 0.3
PROMISES_PER_CLAIM = 0.6
# A big run needs enough addresses to spread its claims over.
CLAIMS_PER_DWELLING_AT_MOST = 10
DWELLINGS_PER_PROJECT = 250
MIN_PROJECTS, MAX_PROJECTS = 5, 500
CODE_PREFIX = "demo-"
PROGRESS_EVERY_SECONDS = 5.0
# Filling projects in parallel pays off from this many projects (PostgreSQL only).
PARALLEL_FROM_PROJECTS = 20
MAX_WORKERS = 4

Log = Callable[[str], None]


@dataclass(frozen=True)
class Sizes:
    dwellings: int
    claims: int
    complaints: int
    promises: int


def sizes_for(dwellings: int | None, claim_count: int) -> Sizes:
    """Totals across all projects. Without `dwellings`, enough of them for the claims."""
    if dwellings is None:
        dwellings = max(DEFAULT_DWELLINGS, math.ceil(claim_count / CLAIMS_PER_DWELLING_AT_MOST))
    if claim_count and not dwellings:
        raise ValueError("Claims need dwellings: use --dwellings 1 or more.")
    complaint_count = round(claim_count * COMPLAINTS_PER_CLAIM)
    promise_count = round(claim_count * PROMISES_PER_CLAIM)
    if claim_count:
        # Even a tiny run shows every status once.
        complaint_count = max(complaint_count, len(complaints.STATUS_WEIGHTS))
        promise_count = max(promise_count, len(promises.STATUS_WEIGHTS))
    return Sizes(dwellings, claim_count, complaint_count, promise_count)


@dataclass(frozen=True)
class ProjectPlan:
    name: str
    code: str
    theme: data.Theme
    corporation: Organisation
    contractor: Organisation
    city: str
    phase: str
    starts_on: dt.date
    ends_on: dt.date
    sizes: Sizes
    # What the projects planned before this one in the same run hold.
    before: Sizes


@dataclass
class Report:
    rows: Counter[type[models.Model]] = field(default_factory=Counter)
    seconds: float = 0.0
    demo: DemoTeam | None = None
    workers: int = 1
    # A resident's status link with an open offer to answer (with the demo logins).
    status_link: str = ""


def seed(
    *,
    sizes: Sizes,
    with_demo_users: bool,
    random_seed: int = 1,
    workers: int | None = None,
    log: Log = print,
) -> Report:
    """Add one batch of demo projects (never touching earlier ones) and report the rows.

    `workers`: projects filled at the same time; by default several on PostgreSQL for a
    big run, otherwise one. SQLite always gets one (it has a single writer).
    """
    started = time.monotonic()
    # Rows written through the ORM are counted afterwards; the rest by the store.
    counted_after = (Organisation, User, ProjectMember)
    before = {model: model.objects.count() for model in counted_after}
    orgs = ensure_organisations()
    demo = ensure_demo_team(orgs) if with_demo_users else None
    first_number = _next_project_number()
    rng = Random(f"woonrust-demo/{random_seed}/{first_number}")
    now = timezone.now()
    plans = plan_projects(rng, orgs, sizes, first_number, timezone.localdate(now))
    staff = StaffPool(orgs, size=6 + len(plans) // 10)
    if workers is None or connection.vendor != "postgresql":
        workers = _default_workers(len(plans))
    log(
        f"Seeding {len(plans)} projects: {sizes.dwellings:,} dwellings, {sizes.claims:,} claims, "
        f"{sizes.complaints:,} complaints, {sizes.promises:,} promises "
        f"(seed {random_seed}, {workers} at a time)."
    )

    finished = 0
    last_log = started

    def done(plan: ProjectPlan) -> None:
        nonlocal finished, last_log
        finished += 1
        moment = time.monotonic()
        if (
            len(plans) <= 10
            or moment - last_log >= PROGRESS_EVERY_SECONDS
            or finished == len(plans)
        ):
            last_log = moment
            log(
                f"  [{finished}/{len(plans)}] {plan.name} ({plan.city}): "
                f"{plan.sizes.dwellings:,} dwellings, {plan.sizes.claims:,} claims; "
                f"{moment - started:.1f} s"
            )

    counts = fill_projects(
        plans, seed=random_seed, now=now, staff=staff, demo=demo, workers=workers, done=done
    )
    status_link = ""
    if demo is not None:
        # Projects of the demo pair from earlier runs get the demo people too.
        join_demo_projects(demo)
        give_demo_handler_due_work(demo, now)
        counts.update(seed_contact(demo, now))
        status_link = showcase.open_offer(demo)
    for model in counted_after:
        counts[model] += model.objects.count() - before[model]
    return Report(
        rows=counts,
        seconds=time.monotonic() - started,
        demo=demo,
        workers=workers,
        status_link=status_link,
    )


def _default_workers(projects: int) -> int:
    # SQLite has one writer at a time; a small run is over before threads would pay off.
    if connection.vendor != "postgresql" or projects < PARALLEL_FROM_PROJECTS:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1, projects))


def plan_projects(
    rng: Random, orgs: Organisations, sizes: Sizes, first_number: int, today: dt.date
) -> list[ProjectPlan]:
    """Split the totals over projects; the first two belong to the demo pair."""
    count = sizes.dwellings // DWELLINGS_PER_PROJECT
    count = max(1, min(sizes.dwellings, max(MIN_PROJECTS, min(MAX_PROJECTS, count))))
    dwellings = _split(rng, sizes.dwellings, count, at_least_one=True)
    claim_counts = _proportional(sizes.claims, dwellings)
    complaint_counts = _proportional(sizes.complaints, dwellings)
    promise_counts = _proportional(sizes.promises, dwellings)
    themes = rng.sample(data.THEMES, len(data.THEMES))
    names = _NameBook()
    plans = []
    before = Sizes(0, 0, 0, 0)
    for i in range(count):
        if i < 2:
            corporation, contractor = orgs.demo_pair
        else:
            corporation = rng.choice(orgs.corporations)
            contractor = rng.choice(orgs.contractors)
        city = rng.choice(orgs.cities[corporation.pk])
        theme = themes[i % len(themes)]
        name = names.take(theme.name, city)
        phase, starts_on, ends_on = _period(rng, today)
        plan_sizes = Sizes(dwellings[i], claim_counts[i], complaint_counts[i], promise_counts[i])
        plans.append(
            ProjectPlan(
                name=name,
                code=f"{CODE_PREFIX}{first_number + i:04d}-{slugify(name)}"[:40].rstrip("-"),
                theme=theme,
                corporation=corporation,
                contractor=contractor,
                city=city,
                phase=phase,
                starts_on=starts_on,
                ends_on=ends_on,
                sizes=plan_sizes,
                before=before,
            )
        )
        before = Sizes(*(a + b for a, b in zip(astuple(before), astuple(plan_sizes), strict=True)))
    return plans


def _period(rng: Random, today: dt.date) -> tuple[str, dt.date, dt.date]:
    """(phase, start, end) of a project; every demo project has been running a while."""
    phase = rng.choices(
        (Project.Phase.PREPARATION, Project.Phase.EXECUTION, Project.Phase.COMPLETION),
        (10, 75, 15),
    )[0]
    days = dt.timedelta
    if phase == Project.Phase.PREPARATION:
        return phase, today - days(rng.randint(45, 120)), today + days(rng.randint(300, 700))
    if phase == Project.Phase.COMPLETION:
        return phase, today - days(rng.randint(300, 500)), today + days(rng.randint(5, 60))
    return phase, today - days(rng.randint(90, 420)), today + days(rng.randint(60, 500))


def _split(rng: Random, total: int, parts: int, *, at_least_one: bool) -> list[int]:
    """`total` in `parts` of somewhat different sizes that add up exactly."""
    base = 1 if at_least_one and total >= parts else 0
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    return [base + n for n in _proportional(total - base * parts, weights)]


def _proportional(total: int, weights: list[float] | list[int]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder), adding up exactly."""
    weight_sum = sum(weights)
    if not weight_sum:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _next_project_number() -> int:
    """Demo project codes carry a running number, so every run adds new projects."""
    numbers = [
        int(match.group(1))
        for code in Project.objects.filter(code__startswith=CODE_PREFIX).values_list(
            "code", flat=True
        )
        if (match := re.match(rf"{CODE_PREFIX}(\d+)-", code))
    ]
    return max(numbers, default=0) + 1


class _NameBook:
    """Project names: the neighbourhood, then 'fase 2', 'fase 3' when it comes back."""

    def __init__(self) -> None:
        self._taken: Counter[tuple[str, str]] = Counter(
            (name.split(" fase ")[0], city)
            for name, city in Project.objects.values_list("name", "city")
        )

    def take(self, neighbourhood: str, city: str) -> str:
        self._taken[(neighbourhood, city)] += 1
        n = self._taken[(neighbourhood, city)]
        return neighbourhood if n == 1 else f"{neighbourhood} fase {n}"
