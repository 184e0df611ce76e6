"""Every reminder and escalation to staff links straight to the case: a promise to its
phone page, a claim or complaint to its office page (absolute, SITE_URL)."""

from __future__ import annotations

import datetime

from cases import services
from cases.models import Notification

from .conftest import ams, run_chase_until


def test_promise_reminders_and_escalations_link_to_the_promise(
    chase_world, clock, people, settings
):
    settings.SITE_URL = "https://woonrust.example.nl"
    w = chase_world
    promise = services.promise_record(
        dwelling=w.dwelling,
        by=w.supervisor,
        description="Deurbel",
        due_on=datetime.date(2026, 6, 12),
    )
    run_chase_until(clock, ams(2026, 6, 17, 9))
    url = f"https://woonrust.example.nl/m/promises/{promise.pk}/"
    sent = Notification.objects.filter(promise=promise, purpose__in=["reminder", "escalation"])
    assert {n.purpose for n in sent} == {"reminder", "escalation"}
    for note in sent:
        assert url in note.body, note.body


def test_complaint_reminders_link_to_the_office_page(chase_world, clock, people, settings):
    settings.SITE_URL = "https://woonrust.example.nl"
    w = chase_world
    complaint = services.complaint_record(
        dwelling=w.dwelling, by=w.supervisor, resident=w.resident, description="Stof"
    )
    run_chase_until(clock, ams(2026, 6, 17, 10))
    reminder = Notification.objects.filter(complaint=complaint, purpose="reminder").first()
    assert reminder is not None
    assert f"https://woonrust.example.nl/office/complaint/{complaint.pk}/" in reminder.body
    resident_texts = Notification.objects.filter(
        complaint=complaint, recipient_resident__isnull=False
    )
    assert all("/office/" not in n.body for n in resident_texts)
