"""`check --deploy` refuses an SMS backend that sends nothing, as Django refuses the
console mailer (mail.E001): in production residents would silently get no messages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def sms_backend_sends(app_configs=None, **kwargs) -> list[Error]:
    from cases.sms import NOT_SENDING

    if settings.DEBUG:
        return []
    backend = settings.SMS_BACKEND
    if backend in NOT_SENDING:
        return [
            Error(
                f"SMS_BACKEND is {backend}, which sends no text message to anyone.",
                hint="Set SMS_BACKEND=cases.sms.HttpSmsBackend with SMS_API_URL and "
                "SMS_API_TOKEN (or another provider class) before going live.",
                id="sms.E001",
            )
        ]
    if backend == "cases.sms.HttpSmsBackend":
        url = urlsplit(settings.SMS_API_URL)
        if url.scheme != "https" or not url.hostname or not settings.SMS_API_TOKEN:
            return [
                Error(
                    "SMS_BACKEND is cases.sms.HttpSmsBackend but SMS_API_URL is not an "
                    "https:// address or SMS_API_TOKEN is empty.",
                    hint="Set SMS_API_URL=https://… (the provider's send address) and "
                    "SMS_API_TOKEN.",
                    id="sms.E002",
                )
            ]
    return []
