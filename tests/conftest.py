"""The named world every test builds on, and the guard that tests run on PostgreSQL.

Two housing corporations and two contractors; project A (corporation 1, contractor 1)
with a full team, and project B (corporation 2, contractor 2) whose people must never
see anything of project A, and the other way round.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.db import connection

from accounts.models import Organisation, User
from accounts.second_factor import REQUIRED_ROLES
from projects.models import Dwelling, Project, ProjectMember
from residents.models import Resident

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls
# from the same thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _postgresql_only(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        # The search table also runs on the embedded SQLite, in a run of its own
        # (tests/office/test_search.py); nothing else is meant for it.
        if connection.vendor != "postgresql" and not os.environ.get("WOONRUST_TEST_SQLITE"):
            pytest.exit(
                "The suite runs against PostgreSQL: use `make test` "
                "(or set DATABASE_URL=postgres://postgres@127.0.0.1:5432/woonrust).",
                returncode=2,
            )


@dataclass
class LogWatch:
    """Every log record made during the suite, checked after each test (once its handlers
    have run, so what is checked is what was written)."""

    records: list[logging.LogRecord] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    leaks: list[str] = field(default_factory=list)

    STATUS_PATH = re.compile(r"/s/(?!\[redacted\])[^/\s?#\"'<>]+")
    CANDIDATE = re.compile(r"[A-Za-z0-9_-]{43}")
    # Dutch mobile and landline numbers (the world's 06 12345678, seed data's numbers).
    PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)31[ -]?(?:\(0\)[ -]?)?|0)[1-9](?:[ -]?\d){8}(?!\d)")

    def check(self) -> None:
        records, self.records = self.records, []
        for record in records:
            try:
                line = record.getMessage()
            except Exception:  # noqa: BLE001 - a broken format is checked as it stands
                line = str(record.msg)
            line = f"{line}\n{record.exc_text or ''}\n{record.stack_info or ''}"
            found = self.STATUS_PATH.search(line) or self.PHONE.search(line)
            if found or any(c in self.tokens for c in self.CANDIDATE.findall(line)):
                self.leaks.append(f"{record.name}: {line.strip()[:300]}")


@pytest.fixture(autouse=True, scope="session")
def _log_watch() -> Iterator[LogWatch]:
    """Fails the suite if any log line held a status link, a token issued during the
    suite, or a phone number."""
    from statuslink import tokens

    watch = LogWatch()
    make_record = logging.getLogRecordFactory()
    derive = tokens._derive

    def record_factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        watch.records.append(record)
        return record

    def derive_and_note(secret: str, key: str) -> str:
        token = derive(secret, key)
        watch.tokens.add(token)
        return token

    logging.setLogRecordFactory(record_factory)
    tokens._derive = derive_and_note
    try:
        yield watch
    finally:
        logging.setLogRecordFactory(make_record)
        tokens._derive = derive
    watch.check()
    if watch.leaks:
        pytest.fail(
            f"{len(watch.leaks)} log line(s) held a status link or phone number:\n"
            + "\n".join(watch.leaks[:20]),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _check_logs(_log_watch: LogWatch) -> Iterator[None]:
    yield
    _log_watch.check()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PASSWORD = "correct horse battery staple"


@dataclass
class World:
    corporation: Organisation
    contractor: Organisation
    other_corporation: Organisation
    other_contractor: Organisation
    project: Project
    other_project: Project
    supervisor: User
    handler: User
    manager: User
    corporation_admin: User
    contractor_admin: User
    # Same organisation as project A's people, but not on project A's team.
    colleague_off_team: User
    # Project B's people: another organisation altogether.
    other_supervisor: User
    other_handler: User
    other_admin: User
    staff: User
    dwelling: Dwelling
    other_dwelling: Dwelling
    resident: Resident
    other_resident: Resident


def give_totp(user: User) -> str:
    """A real authenticator app for this person, as allauth sets it up; its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(user: User, when: float | None = None) -> str:
    """What the person's authenticator app shows now (or at `when`), by allauth's own
    HOTP helpers from the secret allauth stored."""
    secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
    counter = int((time.time() if when is None else when) // mfa_settings.TOTP_PERIOD)
    return format_hotp_value(hotp_value(secret, counter))


def make_user(email: str, org: Organisation | None, role: str, **extra) -> User:
    """A person as administrators create them; those whose role requires a second factor
    have set one up, as they must before they can work (accounts.middleware)."""
    user = User.objects.create_user(
        email,
        PASSWORD,
        organisation=org,
        role=role,
        full_name=extra.pop("full_name", email),
        **extra,
    )
    if user.is_superuser or role in REQUIRED_ROLES:
        give_totp(user)
    return user


@pytest.fixture
def world(db) -> World:
    corp = Organisation.objects.create(name="Woonstede", kind="corporation", phone="0800 1234")
    contr = Organisation.objects.create(name="Bouwbedrijf Jansen", kind="contractor")
    corp2 = Organisation.objects.create(name="Eigen Haard", kind="corporation")
    contr2 = Organisation.objects.create(name="Renovatie Noord", kind="contractor")
    start, end = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
    project = Project.objects.create(
        name="Rivierenbuurt",
        code="rivierenbuurt",
        corporation=corp,
        contractor=contr,
        city="Utrecht",
        starts_on=start,
        ends_on=end,
        phase="execution",
    )
    other = Project.objects.create(
        name="Vogelwijk",
        code="vogelwijk",
        corporation=corp2,
        contractor=contr2,
        city="Zwolle",
        starts_on=start,
        ends_on=end,
        phase="execution",
    )
    R = User.Role
    supervisor = make_user("uitvoerder@jansen.nl", contr, R.SUPERVISOR, full_name="Piet de Vries")
    # The handlers take each message at once (their role's default is the morning
    # digest), so the chase tests can follow every reminder; tests/cases/test_digest.py
    # puts Anna back on the default.
    handler = make_user(
        "behandelaar@woonstede.nl",
        corp,
        R.HANDLER,
        full_name="Anna Bakker",
        email_delivery=User.Delivery.IMMEDIATE,
    )
    manager = make_user("pm@jansen.nl", contr, R.MANAGER, full_name="Kees Smit")
    corp_admin = make_user("beheer@woonstede.nl", corp, R.ADMINISTRATOR)
    contr_admin = make_user("beheer@jansen.nl", contr, R.ADMINISTRATOR)
    off_team = make_user("collega@jansen.nl", contr, R.SUPERVISOR)
    other_supervisor = make_user("uitvoerder@noord.nl", contr2, R.SUPERVISOR)
    other_handler = make_user(
        "behandelaar@eigenhaard.nl", corp2, R.HANDLER, email_delivery=User.Delivery.IMMEDIATE
    )
    other_admin = make_user("beheer@eigenhaard.nl", corp2, R.ADMINISTRATOR)
    staff = make_user("staff@woonrust.nl", None, R.ADMINISTRATOR, is_staff=True, is_superuser=True)
    M = ProjectMember.Role
    for user, role in [(supervisor, M.SUPERVISOR), (handler, M.HANDLER), (manager, M.MANAGER)]:
        ProjectMember.objects.create(project=project, user=user, role=role)
    for user, role in [(other_supervisor, M.SUPERVISOR), (other_handler, M.HANDLER)]:
        ProjectMember.objects.create(project=other, user=user, role=role)
    dwelling = Dwelling.objects.create(
        project=project,
        street="Rijnstraat",
        number=12,
        addition="A",
        postcode="3522 AB",
        city="Utrecht",
    )
    other_dwelling = Dwelling.objects.create(
        project=other, street="Merelstraat", number=3, postcode="8011 CD", city="Zwolle"
    )
    resident = Resident.objects.create(
        dwelling=dwelling, first_name="Truus", last_name="Jansen", phone="06 12345678"
    )
    other_resident = Resident.objects.create(
        dwelling=other_dwelling, first_name="Henk", last_name="Visser", email="henk@example.nl"
    )
    return World(
        corporation=corp,
        contractor=contr,
        other_corporation=corp2,
        other_contractor=contr2,
        project=project,
        other_project=other,
        supervisor=supervisor,
        handler=handler,
        manager=manager,
        corporation_admin=corp_admin,
        contractor_admin=contr_admin,
        colleague_off_team=off_team,
        other_supervisor=other_supervisor,
        other_handler=other_handler,
        other_admin=other_admin,
        staff=staff,
        dwelling=dwelling,
        other_dwelling=other_dwelling,
        resident=resident,
        other_resident=other_resident,
    )
