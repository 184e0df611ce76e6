"""A security key as the second factor, with Chromium's virtual authenticator: added
under "My account", then asked for at the next sign-in instead of an app code."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from tests.conftest import PASSWORD, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_handler_adds_a_security_key_and_signs_in_with_it(page, live_server, world):
    # WebAuthn needs a host name (not an IP address) on HTTP: localhost.
    base = live_server.url.replace("127.0.0.1", "localhost")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )

    def sign_in() -> None:
        page.goto(f"{base}/login/")
        page.get_by_label("E-mailadres").fill(world.handler.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{base}/account/2fa/authenticate/")

    sign_in()
    page.get_by_label("Code").fill(totp_code(world.handler))
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/office/")

    page.goto(f"{base}/account/2fa/webauthn/add/")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.locator("main button.primary").click()
        page.wait_for_url(f"{base}/account/2fa/webauthn/add/")
    page.get_by_label("Naam van de sleutel").fill("Sleutel op de sleutelbos")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=world.handler, type="webauthn").count() == 1

    page.locator("header form[action='/logout/'] button").click()
    page.wait_for_url(f"{base}/login/")
    sign_in()
    page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_url(f"{base}/office/")
    assert page.get_by_role("heading", name="Werkvoorraad").is_visible()
    assert page.console_errors == []
