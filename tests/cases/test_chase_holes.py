"""Holes in the chase's logic: the top of the ladder without a contact, a resident message
that failed for good, permanent provider errors, a database outage mid-sweep, a sweep
that kills its own process."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail

from cases import services
from cases.delivery import deliver
from cases.models import DamageClaim, Notification, TimelineEvent
from cases.sms import SmsRejected

from .conftest import TUESDAY, chase_log, run_chase_until

pytestmark = pytest.mark.usefixtures("clock")


def report(world) -> DamageClaim:
    return services.claim_report(
        dwelling=world.dwelling, by=world.supervisor, resident=world.resident
    )


def test_without_a_corporation_contact_the_top_escalation_goes_to_its_administrators(world, clock):
    assert world.project.corporation_contact_id is None
    claim = report(world)
    services.case_assign(case=claim, by=world.handler, handler=world.handler)
    run_chase_until(clock, TUESDAY + datetime.timedelta(days=30))
    escalations = [row for row in chase_log(claim=claim) if row[1] == "escalation"]
    assert [who for _, _, who, _ in escalations] == [
        world.manager.email,
        world.corporation_admin.email,
    ]
    top = TimelineEvent.objects.filter(claim=claim, kind=TimelineEvent.Kind.ESCALATED).last()
    assert "nobody" not in top.text and "niemand" not in top.text


def test_an_invalid_number_is_given_up_at_once_and_staff_are_asked_to_call(
    chase_world, settings, clock
):
    settings.SMS_BACKEND = "cases.sms.RejectingSmsBackend"
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim, purpose="claim_received")
    assert deliver(notification_id=note.pk) == "failed"
    note.refresh_from_db()
    assert (note.status, note.attempts) == ("failed", 1)
    assert "invalid number" in note.provider_answer
    call = TimelineEvent.objects.get(claim=claim, kind=TimelineEvent.Kind.CALL_DUE)
    assert call.data["call_resident"] == f"resident-{chase_world.resident.pk}"
    # ... with a call task in place of the message, once.
    task = claim.calltasks.get()
    assert (task.key, task.body) == (call.data["key"], note.body)
    # The resident does not count as informed: the update clock is rewound.
    claim.refresh_from_db()
    assert claim.resident_news_at is None
    assert claim.next_chase_at == TUESDAY


def test_an_outage_is_still_retried(chase_world, settings):
    settings.SMS_BACKEND = "cases.sms.FailingSmsBackend"
    claim = report(chase_world)
    note = Notification.objects.get(claim=claim)
    assert deliver(notification_id=note.pk) == "retry"
    claim.refresh_from_db()
    assert claim.resident_news_at == TUESDAY


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"x@example.nl": (550, b"no such user")}), True),
        (smtplib.SMTPRecipientsRefused({"x@example.nl": (451, b"try later")}), False),
        (smtplib.SMTPDataError(554, b"message refused"), True),
        (smtplib.SMTPDataError(421, b"busy"), False),
        (smtplib.SMTPSenderRefused(550, b"sender refused", "noreply@woonrust.nl"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (TimeoutError("timed out"), False),
        (SmsRejected("invalid number"), True),
    ],
)
def test_permanent_and_temporary_provider_errors(error, permanent):
    from cases.delivery import is_permanent

    assert is_permanent(error) is permanent


def test_a_refused_address_on_a_real_smtp_server_is_given_up_at_once(chase_world, settings):
    from aiosmtpd.controller import Controller

    class Refuses:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 5.1.1 no such mailbox"

    import socket

    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(Refuses(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        claim = DamageClaim.objects.create(
            project=chase_world.project,
            dwelling=chase_world.dwelling,
            created_by=chase_world.supervisor,
        )
        services.claim_request_expert(
            claim=services.claim_start_assessment(claim=claim, by=chase_world.handler),
            by=chase_world.handler,
            expert_name="Bos",
            expert_email="bos@expertise.nl",
        )
        note = Notification.objects.get(claim=claim, purpose="expert_request")
        assert deliver(notification_id=note.pk) == "failed"
        note.refresh_from_db()
        assert note.attempts == 1 and "550" in note.provider_answer
    finally:
        controller.stop()
    assert mail.outbox == []


def test_a_database_that_refuses_every_write_does_not_get_logged_as_cases_pushed_ahead(
    chase_world, clock, caplog
):
    from django.db import DatabaseError, connection

    from cases.sweep import sweep

    from .test_sweep_concurrency import seed_due_claims

    seed_due_claims(chase_world, 5)
    table = DamageClaim._meta.db_table
    with connection.cursor() as cursor:  # every write to claims fails, as in an outage
        cursor.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the database is going away'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER refuse BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()"
        )
    with caplog.at_level("INFO", logger="cases.sweep"), pytest.raises(DatabaseError):
        sweep(dispatch=False)
    assert "an hour" not in caplog.text  # nothing was pushed ahead: nothing may say so
    assert "Writing the chase of" in caplog.text
    assert DamageClaim.objects.filter(next_chase_at__lte=TUESDAY).count() == 5  # still due


def test_a_backlog_is_worked_off_within_the_budget_over_several_sweeps(
    chase_world, clock, settings
):
    from cases.sweep import sweep

    from .test_sweep_concurrency import seed_due_claims

    seed_due_claims(chase_world, 30)
    settings.CHASE_TEST_DELAY_MS = 20  # 0.1 s per batch of 5
    first = sweep(dispatch=False, batch_size=5, budget=0.25)
    assert first.out_of_time and 0 < first.tally.cases < 30  # stopped taking batches
    done, sweeps = first.tally.cases, 1
    while done < 30:
        done += sweep(dispatch=False, batch_size=5, budget=0.25).tally.cases
        sweeps += 1
        assert sweeps < 10
    assert sweep(dispatch=False, batch_size=5, budget=0.25).tally.cases == 0
    assert set(DamageClaim.objects.values_list("reminders_sent", flat=True)) == {1}
    assert Notification.objects.count() == 30
