"""The morning digest with two real Celery workers on real Redis and PostgreSQL: the
task published several times, run by both at once, writes one digest per person and
sends each exactly once."""

from __future__ import annotations

import datetime
import re
import time
from collections import Counter

import pytest

from accounts.models import User
from cases.models import Notification
from projects.models import ProjectMember
from tests.conftest import make_user

from .conftest import TUESDAY, make_claim
from .test_worker_faults import processes, send, wait_for  # noqa: F401 - the fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

HANDLERS = 6


def test_two_workers_running_the_digest_four_times_send_each_person_one(world, processes):  # noqa: F811
    people = []
    for n in range(HANDLERS):
        person = make_user(f"handler{n}@woonstede.nl", world.corporation, User.Role.HANDLER)
        ProjectMember.objects.create(project=world.project, user=person, role="handler")
        for days in (1, 4):
            make_claim(
                world,
                handler=person,
                step_due_at=TUESDAY - datetime.timedelta(days=days),
                next_chase_at=TUESDAY + datetime.timedelta(days=30),
            )
        people.append(person)
    assert all(p.delivery("email") == "digest" for p in people)

    started = time.time()
    first = processes.worker("digest-a", clock=TUESDAY)
    # The same clock as the first worker's (which has run on since it was started): a
    # worker whose clock lags finds a row written "now" by the other not yet due.
    second = processes.worker(
        "digest-b", clock=TUESDAY + datetime.timedelta(seconds=time.time() - started)
    )
    for _ in range(4):  # beat ticks, a second beat, a redelivery: all the same
        send("cases.tasks.morning_digest")

    digests = Notification.objects.filter(purpose="digest")
    wait_for(
        lambda: digests.filter(status="sent").count() == HANDLERS,
        90,
        "not every digest was sent",
        first,
        second,
    )
    assert digests.count() == HANDLERS
    assert Counter(digests.values_list("recipient_user_id", flat=True)) == Counter(
        {p.pk: 1 for p in people}
    )
    assert {(n.status, n.attempts) for n in digests} == {("sent", 1)}
    for note in digests:
        assert note.body.count("/office/claim/") == 2
    # What the (console) mail backend printed, across both workers: each digest once.
    printed = Counter(
        int(pk)
        for w in (first, second)
        for pk in re.findall(r"X-Woonrust-Notification: (\d+)", w.output())
    )
    assert printed == Counter({n.pk: 1 for n in digests})
    assert "Morning digest" in first.output() + second.output()
