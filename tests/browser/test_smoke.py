"""The first browser test: the sign-in renders (the admin's too) and a demo user can log in."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_login_is_our_sign_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    # One sign-in for everyone, with the lockout and the second factor.
    assert "/login/?next=/admin/" in page.url
    assert page.locator("input[name=login]").is_visible()
    assert page.locator("input[name=password]").is_visible()
    assert page.console_errors == []


def test_demo_administrator_logs_in_to_the_admin(page, live_server, settings):
    # `make run` is a DEBUG run: there the demo accounts need no second factor.
    settings.DEBUG = True
    call_command("seed_demo", "--demo-users", "--dwellings", "20", "--claims", "20", verbosity=0)
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("E-mailadres").fill("admin@demo.woonrust.nl")
    page.get_by_label("Wachtwoord").fill("woonrust-demo")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.locator("#user-tools").is_visible()
    page.goto(f"{live_server.url}/admin/cases/damageclaim/")
    assert page.locator("#result_list tbody tr").count() > 0
    # The admin works under our Content Security Policy: no blocked scripts or styles.
    assert page.console_errors == []


def test_demo_supervisor_signs_in_on_a_phone(page, live_server):
    call_command("seed_demo", "--demo-users", "--dwellings", "20", "--claims", "20", verbosity=0)
    page.goto(f"{live_server.url}/m/")
    assert "/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_label("E-mailadres").fill("supervisor@demo.woonrust.nl")
    page.get_by_label("Wachtwoord").fill("woonrust-demo")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/m/")
    assert page.get_by_role("heading", name="Ronde van vandaag").is_visible()
    # Usable at phone width: nothing sticks out sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.console_errors == []
