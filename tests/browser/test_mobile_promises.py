"""My promises on a 390 px phone: marking one done without signal, sent once when the
signal returns."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Promise, TimelineEvent
from cases.services import promise_record

from .test_mobile_app import OUTBOX_COUNT, _outbox_empty, phone, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["phone"]


def test_mark_a_promise_done_offline_then_online(phone, live_server, world):
    page = phone
    promise = promise_record(
        dwelling=world.dwelling,
        by=world.supervisor,
        description="Deurstopper vastzetten",
        due_on=timezone.localdate(),
        resident=world.resident,
    )
    page.goto(f"{live_server.url}/m/")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.get_by_role("link", name="1 toezegging").click()
    page.wait_for_url(f"{live_server.url}/m/promises/")
    page.get_by_role("link", name="Rijnstraat 12-A").click()
    page.wait_for_url(f"{live_server.url}/m/promises/{promise.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Also on a small 360 px phone: nothing sticks out, the "done" button is a big target.
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.get_by_role("button", name="Klaar").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 120

    page.context.set_offline(True)
    page.get_by_label("Notitie").fill("Vastgezet met twee schroeven")
    page.get_by_role("button", name="Klaar").click()
    page.get_by_text("1 wacht op verzending").first.wait_for()
    assert Promise.objects.get().status == "open"

    page.context.set_offline(False)
    _outbox_empty(page)
    page.reload()
    page.evaluate("() => new Promise(r => setTimeout(r, 500))")
    promise.refresh_from_db()
    assert promise.status == "done"
    done = TimelineEvent.objects.filter(promise=promise, to_status="done")
    assert done.count() == 1 and done.get().text == "Vastgezet met twee schroeven"
    assert page.evaluate(OUTBOX_COUNT) == 0
