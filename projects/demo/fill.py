"""Filling planned projects with rows: one transaction per project, several at once.

On PostgreSQL the database, not Python, is the bottleneck of a big run (index upkeep and
the foreign-key checks at commit), so projects are filled by a few threads, each with its
own connection and transaction. A project's data depends only on its plan and the seed,
never on which thread fills it or when, so a run is reproducible all the same.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING

from django.db import connection, models, transaction

from cases.models import ChasePolicy
from projects.models import Project

from . import claims, complaints, promises
from .clock import Clock
from .context import Cycle, Run, Site
from .homes import seed_homes
from .people import DemoTeam, StaffPool, corporation_contact, make_team
from .store import Store
from .visits import seed_visits

if TYPE_CHECKING:
    from .batch import ProjectPlan

# In the order a home sees them; the weights are unused (visits.py picks by position).
VISIT_KINDS = {"intake": 1, "announcement": 1, "round": 1, "handover": 1}


def fill_projects(
    plans: list[ProjectPlan],
    *,
    seed: int,
    now: dt.datetime,
    staff: StaffPool,
    demo: DemoTeam | None,
    workers: int,
    done: Callable[[ProjectPlan], None],
) -> Counter[type[models.Model]]:
    """Fill every plan (calling `done` after each, in this thread); return rows per model."""
    if workers <= 1:
        store = Store()
        for plan in plans:
            fill_project(plan, seed=seed, now=now, store=store, staff=staff, demo=demo)
            done(plan)
        return store.counts

    todo: queue.SimpleQueue[ProjectPlan] = queue.SimpleQueue()
    for plan in plans:
        todo.put(plan)
    # Each worker reports every plan it filled, an error if one happens, and finally
    # its row counts.
    reports: queue.SimpleQueue[ProjectPlan | BaseException | _Finished] = queue.SimpleQueue()
    failed = threading.Event()

    def work() -> None:
        store = Store()
        try:
            while not failed.is_set():
                try:
                    plan = todo.get_nowait()
                except queue.Empty:
                    break
                fill_project(plan, seed=seed, now=now, store=store, staff=staff, demo=demo)
                reports.put(plan)
        except BaseException as error:  # the main thread re-raises it
            failed.set()
            reports.put(error)
        finally:
            connection.close()  # this thread's own connection
            reports.put(_Finished(store.counts))

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    counts: Counter[type[models.Model]] = Counter()
    errors: list[BaseException] = []
    running = len(threads)
    while running:
        report = reports.get()
        if isinstance(report, _Finished):
            counts.update(report.counts)
            running -= 1
        elif isinstance(report, BaseException):
            errors.append(report)
        else:
            done(report)
    if errors:
        raise errors[0]
    return counts


@dataclass
class _Finished:
    counts: Counter[type[models.Model]]


def fill_project(
    plan: ProjectPlan,
    *,
    seed: int,
    now: dt.datetime,
    store: Store,
    staff: StaffPool,
    demo: DemoTeam | None,
) -> None:
    """Create one project with its team, homes, visits and cases, in one transaction."""
    rng = Random(f"woonrust-demo/{seed}/{plan.code}")
    run = Run(
        rng=rng,
        clock=Clock(now, rng),
        store=store,
        # The fixed first pass continues where the projects before this one left off.
        claim_statuses=Cycle(claims.STATUS_WEIGHTS, start=plan.before.claims),
        complaint_statuses=Cycle(complaints.STATUS_WEIGHTS, start=plan.before.complaints),
        complaint_stages=Cycle(complaints.STAGE_WEIGHTS, start=plan.before.complaints),
        promise_statuses=Cycle(promises.STATUS_WEIGHTS, start=plan.before.promises),
        # Every home has at least one visit, so this start is never too late.
        visit_kinds=Cycle(VISIT_KINDS, start=plan.before.dwellings),
    )
    with transaction.atomic():
        store.tune_transaction()
        project = Project.objects.create(
            name=plan.name,
            code=plan.code,
            corporation=plan.corporation,
            contractor=plan.contractor,
            city=plan.city,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            phase=plan.phase,
            corporation_contact=corporation_contact(plan.corporation, rng, staff),
            created_at=run.clock.office_time(plan.starts_on - dt.timedelta(days=30)),
        )
        ChasePolicy.objects.create(project=project)
        team = make_team(project, rng, staff, demo)
        store.counts[Project] += 1
        store.counts[ChasePolicy] += 1
        site = Site(project.pk, plan.city, plan.starts_on, team)
        seed_homes(run, site, plan.theme, plan.sizes.dwellings)
        seed_visits(run, site)
        if site.homes:
            claims.seed_claims(run, site, plan.sizes.claims)
            complaints.seed_complaints(run, site, plan.sizes.complaints)
            promises.seed_promises(run, site, plan.sizes.promises)
