"""The HTTP SMS backend against a real HTTP server on the loopback address."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cases.sms import HttpSmsBackend, SmsError, SmsRejected


class Provider(BaseHTTPRequestHandler):
    received: list[dict] = []
    status = 200
    reply = b'{"id": "msg-81", "echo": "the whole body"}'
    delay = 0.0

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Provider.received.append(
            {"headers": dict(self.headers), "json": json.loads(self.rfile.read(length))}
        )
        time.sleep(Provider.delay)
        self.send_response(Provider.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(Provider.reply)

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def provider(settings) -> Iterator[type[Provider]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Provider.received, Provider.status, Provider.delay = [], 200, 0.0
    settings.SMS_API_URL = f"http://127.0.0.1:{server.server_port}/v1/messages"
    settings.SMS_API_TOKEN = "token-123"
    yield Provider
    server.shutdown()
    server.server_close()


def send() -> str:
    return HttpSmsBackend().send(
        to="06 12345678",
        body="Uw melding S-1 is ontvangen.",
        idempotency_key="woonrust-n-5",
        timeout=1,
    )


def test_sends_json_with_token_and_idempotency_key(provider):
    answer = send()
    assert answer == "accepted by 127.0.0.1 (HTTP 200), id msg-81"
    [request] = provider.received
    assert request["json"] == {"to": "06 12345678", "body": "Uw melding S-1 is ontvangen."}
    assert request["headers"]["Authorization"] == "Bearer token-123"
    assert request["headers"]["Idempotency-Key"] == "woonrust-n-5"
    assert "the whole body" not in answer  # the reply is not kept: it may echo the link


def test_a_refusal_is_an_sms_error_without_the_body(provider):
    provider.status = 503
    with pytest.raises(SmsError) as refused:
        send()
    assert str(refused.value) == "127.0.0.1 refused the message: HTTP 503"


def test_an_invalid_number_is_refused_for_good(provider):
    provider.status = 422
    with pytest.raises(SmsRejected) as refused:
        send()
    assert str(refused.value) == "127.0.0.1 refused the number: HTTP 422"


def test_a_provider_that_hangs_times_out(provider):
    provider.delay = 3
    started = time.monotonic()
    with pytest.raises(SmsError, match="could not be reached"):
        send()
    assert time.monotonic() - started < 2.5


def test_an_unreachable_provider_is_an_sms_error(settings):
    settings.SMS_API_URL = "http://127.0.0.1:9/v1/messages"
    settings.SMS_API_TOKEN = "x"
    with pytest.raises(SmsError, match="could not be reached"):
        send()
