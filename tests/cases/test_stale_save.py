"""A save of a whole case row read before a sweep (an admin save, a script) does not put
the chase's columns back, so the case is not chased twice."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import DamageClaim, TimelineEvent
from cases.sweep import sweep

from .conftest import ONE_MINUTE

pytestmark = pytest.mark.usefixtures("clock")


def test_a_stale_full_row_save_during_a_batch_does_not_chase_the_case_again(chase_world, clock):
    claim = services.claim_report(
        dwelling=chase_world.dwelling, by=chase_world.supervisor, resident=chase_world.resident
    )
    clock.move_to(claim.next_chase_at)
    stale = DamageClaim.objects.get(pk=claim.pk)  # an admin form opened on the row ...
    assert sweep(dispatch=False).tally.reminders == 1  # ... while the sweep chased it
    stale.description = "Kras op de vloer (aangevuld)"
    stale.save()  # ... and saved: every column, as ModelAdmin.save_model does
    claim.refresh_from_db()
    assert claim.description == "Kras op de vloer (aangevuld)"
    assert claim.reminders_sent == 1
    clock.move_to(claim.next_chase_at - ONE_MINUTE)
    assert sweep(dispatch=False).tally.reminders == 0
    reminders = TimelineEvent.objects.filter(claim=claim, kind=TimelineEvent.Kind.REMINDER_SENT)
    assert reminders.count() == 1


def test_the_services_and_the_chase_still_write_the_chase_columns(chase_world, clock):
    claim = services.claim_report(
        dwelling=chase_world.dwelling, by=chase_world.supervisor, resident=chase_world.resident
    )
    first_due = claim.next_chase_at
    services.claim_start_assessment(claim=claim, by=chase_world.handler)
    claim.refresh_from_db()
    assert (claim.status, claim.step_seq) == ("assessing", 2)
    assert claim.next_chase_at != first_due
