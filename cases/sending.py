"""Handing a batch of messages to the providers: one SMTP connection for all the e-mail,
the text messages concurrently. Nothing here touches the database; delivery.py records.

Both stop handing over new messages at `stop_at` (a `time.monotonic()` moment) and
return what they did not hand over, so a slow provider bounds a batch in time.
`report(note, answer, error)` is called, in the calling thread, once for every message
handed over: with the provider's answer, or with the exception that says why not.
"""

from __future__ import annotations

import logging
import queue
import smtplib
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from email import charset as email_charset
from email.header import Header
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, formatdate, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

from .messages.link import body_for_sending
from .models import Notification
from .sms import BaseSmsBackend, get_sms_backend

logger = logging.getLogger(__name__)

Report = Callable[[Notification, str, Exception | None], None]

# Connections to the mail server per batch: one per MESSAGES_PER_CONNECTION messages,
# at most MAIL_CONNECTIONS (a batch of one opens one).
MAIL_CONNECTIONS = 4
MESSAGES_PER_CONNECTION = 25
# Text messages in flight at once within one batch. Each call waits at most
# SMS_TIMEOUT_SECONDS; the provider sees at most this many connections per worker.
SMS_CONCURRENCY = 16


def idempotency_key(note: Notification) -> str:
    return f"woonrust-notification-{note.pk}"


def message_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "woonrust.local"


def email_message(note: Notification) -> EmailMessage:
    domain = message_domain()
    key = idempotency_key(note)
    return EmailMessage(
        subject=note.subject,
        body=body_for_sending(note),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[note.to],
        headers={
            # The same Message-ID on every attempt lets mail systems drop a repeat.
            "Message-ID": f"<{key}@{domain}>",
            "X-Woonrust-Notification": str(note.pk),
        },
    )


# Plain text as quoted-printable UTF-8: readable in the raw message, 7-bit safe.
_UTF8_QP = email_charset.Charset("utf-8")
_UTF8_QP.header_encoding = email_charset.QP
_UTF8_QP.body_encoding = email_charset.QP


def _header(value: str) -> str | Header:
    if len(value.splitlines()) > 1:
        # As Django refuses it: a line break would start a header of the sender's choice.
        raise ValueError("Header values may not contain linefeed or carriage return characters")
    return value if value.isascii() else Header(value, "utf-8")


def mime_bytes(note: Notification, from_email: str, domain: str) -> bytes:
    """The message `email_message(note)` builds, as the bytes an SMTP server gets, built
    with the email package's compat32 classes: about a tenth of the CPU time of Django's
    builder (whose header registry parses every header), which at hundreds of messages a
    second is most of a delivery worker's time. Same headers, same body
    (tests/cases/test_delivery_batch.py compares the two)."""
    key = idempotency_key(note)
    message = MIMENonMultipart("text", "plain")
    message.set_payload(body_for_sending(note), _UTF8_QP)
    message["Subject"] = _header(note.subject)
    name, address = parseaddr(from_email)
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = note.to
    message["Date"] = formatdate()
    message["Message-ID"] = f"<{key}@{domain}>"
    message["X-Woonrust-Notification"] = str(note.pk)
    return message.as_bytes()


class MailServerDown(OSError):
    """The mail server could not be reached (again) in this batch: the rest of the
    batch is not tried one by one, each waiting for the connect timeout."""


def send_emails(notes: list[Notification], *, stop_at: float, report: Report) -> list[Notification]:
    """Send over a few connections of the default mailer, each opened once for the
    batch and reused for every message it carries (one connection per
    MESSAGES_PER_CONNECTION messages, at most MAIL_CONNECTIONS: while one waits for the
    server's answer, another sends).

    A message the server refuses (a recipient, the message) is reported and the next one
    goes over the same connection. A connection the server dropped is opened again and
    the message tried once more; a timeout is reported and the next message gets a new
    connection. When none can be opened, every message left is reported with that error
    without trying it."""
    if not notes:
        return []
    lanes = min(MAIL_CONNECTIONS, -(-len(notes) // MESSAGES_PER_CONNECTION))
    if lanes == 1:
        return _over_one_connection(iter(notes), stop_at, report)
    todo: queue.SimpleQueue[Notification] = queue.SimpleQueue()
    for note in notes:
        todo.put(note)
    answers: queue.SimpleQueue[tuple[Notification, str, Exception | None]] = queue.SimpleQueue()
    left: list[Notification] = []

    def drain() -> Iterator[Notification]:
        while True:
            try:
                yield todo.get_nowait()
            except queue.Empty:
                return

    def lane() -> None:
        try:
            left.extend(_over_one_connection(drain(), stop_at, _put(answers)))
        except Exception as exc:  # noqa: BLE001 - reported per message below
            logger.exception("A mail connection of the batch failed: %s", type(exc).__name__)

    threads = [threading.Thread(target=lane, name=f"mail-{n}", daemon=True) for n in range(lanes)]
    for thread in threads:
        thread.start()
    # The answers are recorded in this thread (the one that owns the database connection).
    while any(thread.is_alive() for thread in threads) or not answers.empty():
        try:
            report(*answers.get(timeout=0.05))
        except queue.Empty:
            continue
    left.extend(drain())  # the time ran out before they were drawn
    return left


def _put(answers: queue.SimpleQueue) -> Report:
    def put(note: Notification, answer: str, error: Exception | None) -> None:
        answers.put((note, answer, error))

    return put


def _over_one_connection(
    notes: Iterator[Notification], stop_at: float, report: Report
) -> list[Notification]:
    """Send `notes` over one connection (see send_emails); returns those drawn but not
    handed over because the time ran out."""
    mailer = mailers.default
    backend = type(mailer)
    accepted = f"accepted by {backend.__module__}.{backend.__qualname__}"
    send = _sender(mailer)
    down: Exception | None = None
    try:
        for note in notes:
            if down is not None:
                report(note, "", down)
                continue
            if time.monotonic() >= stop_at:
                return [note, *notes]  # the rest of what this connection was to carry
            try:
                try:
                    send(note)
                except DROPPED:
                    # The server closed the connection (an idle timeout, a restart):
                    # once more on a fresh one.
                    _close(mailer)
                    send(note)
            except REFUSED as exc:
                # The server refused the recipient or the message; smtplib reset the
                # session, so the connection serves the next message.
                report(note, "", exc)
            except OSError as exc:
                # A timeout or a connection that could not be (re)opened: the next message
                # gets a new connection; when that cannot be opened either, the server is
                # down for the rest of the batch.
                _close(mailer)
                report(note, "", exc)
                if not _reopens(mailer):
                    down = MailServerDown(f"{type(exc).__name__}: {exc}")
            except Exception as exc:
                report(note, "", exc)  # something wrong with this message alone
            else:
                report(note, accepted, None)
    finally:
        _close(mailer)
    return []


# A refusal by the server (a 4xx or 5xx answer); the connection is still good.
REFUSED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)
DROPPED = (smtplib.SMTPServerDisconnected, ConnectionResetError, BrokenPipeError)


def _reopens(mailer) -> bool:
    try:
        mailer.open()
    except OSError:
        return False
    return True


def _sender(mailer) -> Callable[[Notification], None]:
    """How one message goes over `mailer`'s connection. Django's SMTP backend gets the
    bytes of `mime_bytes` on its smtplib connection (as its own send_messages would hand
    them over, without building each message twice as slowly); any other backend (the
    console, the test outbox) gets Django's EmailMessage."""
    if not isinstance(mailer, SmtpBackend):
        return lambda note: _send_one(mailer, email_message(note))
    from_email = settings.DEFAULT_FROM_EMAIL
    envelope_from = mailer.prep_address(from_email)
    domain = message_domain()

    def send(note: Notification) -> None:
        data = mime_bytes(note, from_email, domain)
        recipient = mailer.prep_address(note.to)
        # open() is a no-op while the connection is open.
        mailer.open()
        if mailer.connection is None:
            raise smtplib.SMTPServerDisconnected("the mail backend opened no connection")
        mailer.connection.sendmail(envelope_from, [recipient], data)

    return send


def _send_one(mailer, message: EmailMessage) -> None:
    # open() is a no-op while the connection is open; opened here, send_messages does
    # not close it after the message (it closes only connections it opened itself).
    mailer.open()
    sent = mailer.send_messages([message])
    if sent != 1:
        raise RuntimeError(f"the mail backend accepted {sent} of 1 messages")


def _close(mailer) -> None:
    try:
        mailer.close()
    except Exception:  # noqa: BLE001 - a connection that will not close cleanly is dropped
        logger.debug("Closing the mail connection failed.", exc_info=True)


def send_texts(notes: list[Notification], *, stop_at: float, report: Report) -> list[Notification]:
    """Send through SMS_BACKEND, up to SMS_CONCURRENCY calls at once (the backend is
    called from several threads). Each call is given SMS_TIMEOUT_SECONDS; a call that
    has not answered within that after the last one was handed over is reported as a
    timeout (the provider may still have it: the idempotency key goes with the retry)."""
    if not notes:
        return []
    backend = get_sms_backend()
    timeout = settings.SMS_TIMEOUT_SECONDS
    bodies = {note.pk: body_for_sending(note) for note in notes}
    if len(notes) == 1:
        [note] = notes
        if time.monotonic() >= stop_at:
            return notes
        try:
            answer = _call(backend, note, bodies[note.pk], timeout)
        except Exception as exc:
            report(note, "", exc)
        else:
            report(note, answer, None)
        return []

    not_handed: list[Notification] = []

    def call(note: Notification) -> str | None:
        if time.monotonic() >= stop_at:
            return None  # the batch's time is up: not handed over
        return _call(backend, note, bodies[note.pk], timeout)

    pool = ThreadPoolExecutor(
        max_workers=min(SMS_CONCURRENCY, len(notes)), thread_name_prefix="sms"
    )
    futures: dict[Future, Notification] = {pool.submit(call, note): note for note in notes}
    # Every call is handed over by `stop_at` (or not at all) and answers within its
    # timeout after that; a second of grace for the threads themselves.
    give_up = stop_at + timeout + 1
    try:
        pending = set(futures)
        while pending:
            done, pending = wait(
                pending, timeout=max(give_up - time.monotonic(), 0), return_when=FIRST_COMPLETED
            )
            if not done:
                break
            for future in done:
                note = futures[future]
                try:
                    answer = future.result()
                except Exception as exc:
                    report(note, "", exc)
                    continue
                if answer is None:
                    not_handed.append(note)
                else:
                    report(note, answer, None)
        for future in pending:
            note = futures[future]
            if future.cancel():
                not_handed.append(note)
            else:
                report(note, "", TimeoutError(f"no answer from the SMS provider in {timeout}s"))
    finally:
        # Threads stuck in a backend that ignores its timeout are left behind.
        pool.shutdown(wait=False, cancel_futures=True)
    return not_handed


def _call(backend: BaseSmsBackend, note: Notification, body: str, timeout: float) -> str:
    return backend.send(
        to=note.to, body=body, idempotency_key=idempotency_key(note), timeout=timeout
    )
