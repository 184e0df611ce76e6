"""Error reporting to Sentry (or a compatible service), only when SENTRY_DSN is set.

No personal data leaves: `send_default_pii=False` (no user, no client address, no
cookies), no request bodies, no local variables in stack frames (they hold residents'
names and phone numbers), and every event is cleaned before it is sent: request headers,
cookies, query strings and form data are dropped, and every text (messages, exception
values, URLs, breadcrumbs) goes through the same redaction as the logs (ops/logs.py).
"""

from __future__ import annotations

from typing import Any

from .logs import redact


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        # Method and address only: no headers, cookies, query string or form data.
        event["request"] = {k: request[k] for k in ("method", "url") if request.get(k)}
    event.pop("user", None)
    event.pop("extra", None)
    return _clean(event)


def scrub_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any] | None = None):
    return _clean(crumb)


def init_sentry(dsn: str, *, environment: str, traces: float = 0.0) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces,
        before_send=scrub,
        before_send_transaction=scrub,
        before_breadcrumb=scrub_breadcrumb,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
