"""Take the screenshots in docs/ from the demo data, as `make run` shows it.

    .venv/bin/python docs/screenshots.py [names…]

Seeds a scratch SQLite database, starts the development server on 127.0.0.1:8765,
signs the demo people in (their sessions are written straight into the database, the
second factor counted as given) and photographs each page with Debian's Chromium. The
letter is rendered to PDF as the back-office serves it and its first page drawn to PNG.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main(names: list[str]) -> None:
    var = tempfile.mkdtemp(prefix="woonrust-shots-")
    env = {
        **os.environ,
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "WOONRUST_VAR_DIR": var,
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Playwright runs an event loop in this thread; the ORM calls here stay synchronous.
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_server()
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        shots = {name: shot for name, shot in SHOTS.items() if not names or name in names}
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
            for name, shot in shots.items():
                shot(browser, DOCS / f"{name}.png")
                print(f"docs/{name}.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the development server did not start")


def _signed_in(browser, email: str, *, width: int = 1280, height: int = 900):
    """A browser page with `email` signed in, speaking Dutch."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import SECOND_FACTOR_KEY
    from accounts.models import User

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SECOND_FACTOR_KEY] = user.pk
    session.create()
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="nl-NL", device_scale_factor=1
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": BASE}]
    )
    return context.new_page()


HANDLER = "handler@demo.woonrust.nl"


def queue(browser, path: Path) -> None:
    page = _signed_in(browser, HANDLER)
    page.goto(f"{BASE}/office/")
    page.screenshot(path=path)


def search(browser, path: Path) -> None:
    from residents.models import Resident

    resident = Resident.objects.filter(last_name="Öztürk").first()
    page = _signed_in(browser, HANDLER)
    page.goto(f"{BASE}/office/")
    # Typed without the accents, as a handler on a Dutch keyboard would.
    page.get_by_role("searchbox").fill(f"{resident.first_name[:3]} ozturk" if resident else "veen")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=path)


def dwelling(browser, path: Path) -> None:
    from django.db.models import Count

    from accounts.models import User
    from projects.models import Dwelling

    handler = User.objects.get(email=HANDLER)
    home = (
        Dwelling.objects.visible_to(handler)
        .filter(residents__care_needs__isnull=False)
        .annotate(n=Count("damageclaims", distinct=True) + Count("complaints", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    page = _signed_in(browser, HANDLER, height=1400)
    page.goto(f"{BASE}/office/addresses/{home.pk}/")
    page.screenshot(path=path, full_page=False)


def case_errors(browser, path: Path) -> None:
    from accounts.models import User
    from cases.models import DamageClaim

    handler = User.objects.get(email=HANDLER)
    claim = (
        DamageClaim.objects.visible_to(handler)
        .filter(status=DamageClaim.Status.ASSESSING)
        .order_by("pk")
        .first()
    )
    page = _signed_in(browser, HANDLER)
    page.goto(f"{BASE}/office/claim/{claim.pk}/")
    page.locator("summary").get_by_text("Toekennen", exact=True).click()
    form = page.locator("details[open] form")
    form.get_by_label("Reden van het besluit").fill("Schade door de werkzaamheden")
    form.get_by_label("Aangeboden vergoeding (EUR, niet verplicht)").fill("veel")
    form.get_by_role("button", name="Toekennen", exact=True).click()
    page.locator("#error-summary").wait_for()
    page.screenshot(path=path)


def letter(browser, path: Path) -> None:
    import pypdfium2

    from cases.models import DamageClaim
    from office.letter import has_letter, render_letter

    claim = next(
        c
        for c in DamageClaim.objects.filter(status=DamageClaim.Status.SETTLED).order_by("pk")
        if has_letter(c)
    )
    claim.resident.first_name, claim.resident.last_name = "Şükrü", "Yılmaz"
    claim.resident.save(update_fields=["first_name", "last_name"])
    claim.refresh_from_db()
    pdf = pypdfium2.PdfDocument(render_letter(claim))
    pdf[0].render(scale=1.4).to_pil().save(path)


def promises(browser, path: Path) -> None:
    page = _signed_in(browser, "supervisor@demo.woonrust.nl", width=390, height=844)
    page.goto(f"{BASE}/m/promises/")
    page.screenshot(path=path)


SHOTS: dict[str, Callable] = {
    "screenshot": queue,
    "search": search,
    "dwelling": dwelling,
    "case-errors": case_errors,
    "letter": letter,
    "promises": promises,
}


if __name__ == "__main__":
    main(sys.argv[1:])
