"""Organisations, the people working for them, project teams and the demo logins."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from random import Random

from django.conf import settings
from django.contrib.auth.hashers import make_password

from accounts.admin_scope import administrators_group
from accounts.models import Organisation, User
from projects.models import Project, ProjectMember

from . import data

# Printed on purpose: it opens nothing but demo data.
DEMO_PASSWORD = "woonrust-demo"
DEMO_DOMAIN = "demo.woonrust.nl"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    at_contractor: bool
    full_name: str
    # What `make run` prints beside the login: the role in words and where it lands.
    lands: str
    title: str
    # Platform staff belong to no organisation and see every one (the Django admin).
    platform_staff: bool = False


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        f"supervisor@{DEMO_DOMAIN}",
        User.Role.SUPERVISOR,
        True,
        "Sanne de Wit",
        "/m/",
        "site supervisor",
    ),
    DemoLogin(
        f"handler@{DEMO_DOMAIN}",
        User.Role.HANDLER,
        False,
        "Ruben Visser",
        "/office/",
        "back-office handler",
    ),
    DemoLogin(
        f"manager@{DEMO_DOMAIN}",
        User.Role.MANAGER,
        True,
        "Els van Dijk",
        "/office/",
        "project manager",
    ),
    DemoLogin(
        f"admin@{DEMO_DOMAIN}",
        User.Role.ADMINISTRATOR,
        False,
        "Joost Mulder",
        "/office/ and /admin/",
        "organisation administrator",
    ),
    # The corporation's privacy officer: residents' requests, the care-need access log,
    # the audit trail and retention (/office/privacy/).
    DemoLogin(
        f"privacy@{DEMO_DOMAIN}",
        User.Role.PRIVACY_OFFICER,
        False,
        "Noor Bakker",
        "/office/privacy/",
        "privacy officer",
    ),
    DemoLogin(
        f"staff@{DEMO_DOMAIN}",
        User.Role.ADMINISTRATOR,
        False,
        "Platform Beheer",
        "/admin/",
        "platform staff",
        platform_staff=True,
    ),
)


@dataclass
class DemoTeam:
    """The demo logins, and the corporation and contractor whose projects they work on."""

    corporation: Organisation
    contractor: Organisation
    supervisor: User
    handler: User
    manager: User
    admin: User


@dataclass
class Organisations:
    corporations: list[Organisation]
    contractors: list[Organisation]
    # Where each corporation owns homes.
    cities: dict[int, tuple[str, ...]]

    @property
    def demo_pair(self) -> tuple[Organisation, Organisation]:
        return self.corporations[0], self.contractors[0]


def ensure_organisations() -> Organisations:
    """The demo corporations and contractors, created once and reused by later runs."""
    corporations = [
        _organisation(name, Organisation.Kind.CORPORATION, index)
        for index, (name, _cities) in enumerate(data.CORPORATIONS)
    ]
    contractors = [
        _organisation(name, Organisation.Kind.CONTRACTOR, index)
        for index, name in enumerate(data.CONTRACTORS)
    ]
    cities = {org.pk: c for org, (_name, c) in zip(corporations, data.CORPORATIONS, strict=True)}
    return Organisations(corporations, contractors, cities)


def _organisation(name: str, kind: str, index: int) -> Organisation:
    area = 200 if kind == Organisation.Kind.CORPORATION else 300
    org, _created = Organisation.objects.get_or_create(
        name=name,
        defaults={
            "kind": kind,
            "phone": f"088 {area + index} {index + 10:02d}00",
            "email": f"info@{_domain(name)}",
        },
    )
    return org


def _domain(org_name: str) -> str:
    return f"{ascii_slug(org_name, '-')}.example"


# Letters that Unicode does not decompose into a plain one.
_UNDECOMPOSED = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss"})


def ascii_slug(text: str, separator: str = "") -> str:
    """'van 't Hof' -> 'vanthof'; 'Yılmaz' -> 'yilmaz'; for e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    folded = folded.encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in folded.lower()).split()
    return separator.join(words)


class StaffPool:
    """The people of each organisation, by role, created before any project is filled.

    Person i of an organisation and role always gets the same name and e-mail address,
    so later runs (with more projects, hence bigger pools) reuse the earlier people.
    They cannot log in: only the demo logins have a password. Projects filled in
    parallel only read the pool, so no two threads ever create the same person.
    """

    def __init__(self, orgs: Organisations, size: int) -> None:
        R = User.Role
        wanted = [(org, R.SUPERVISOR, size) for org in orgs.contractors]
        wanted += [(org, R.MANAGER, 2 + size // 4) for org in orgs.contractors]
        wanted += [(org, R.HANDLER, size) for org in orgs.corporations]
        wanted += [(org, R.MANAGER, 2) for org in orgs.corporations]
        self._pools = {(org.pk, role): _ensure_people(org, role, n) for org, role, n in wanted}

    def people(self, org: Organisation, role: str) -> list[User]:
        return self._pools[(org.pk, role)]


def _ensure_people(org: Organisation, role: str, n: int) -> list[User]:
    wanted = _people_names(org, role, n)
    existing = {u.email: u for u in User.objects.filter(email__in=[email for email, _ in wanted])}
    missing = [
        User(
            email=email,
            full_name=full_name,
            organisation=org,
            role=role,
            password=make_password(None),
            phone=f"06 {Random(email).randrange(10**7, 10**8)}",
        )
        for email, full_name in wanted
        if email not in existing
    ]
    if missing:
        User.objects.bulk_create(missing)
        existing = {
            u.email: u for u in User.objects.filter(email__in=[email for email, _ in wanted])
        }
    return [existing[email] for email, _ in wanted]


def _people_names(org: Organisation, role: str, n: int) -> list[tuple[str, str]]:
    """(e-mail, full name) of the first `n` people of this organisation and role."""
    seen: set[str] = set()
    people = []
    for i in range(n):
        rng = Random(f"{org.name}/{role}/{i}")
        first = rng.choice(data.FIRST_NAMES)
        last = rng.choice(data.LAST_NAMES)
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        if local in seen:
            local = f"{local}{i}"
        seen.add(local)
        people.append((f"{local}@{_domain(org.name)}", f"{first} {last}"))
    return people


def ensure_demo_team(orgs: Organisations) -> DemoTeam:
    """The demo logins, with the password reset; safe to call on every run."""
    corporation, contractor = orgs.demo_pair
    users = {}
    for login in DEMO_LOGINS:
        if login.platform_staff and not settings.DEBUG:
            # A published password that sees every organisation: only for `make run`.
            continue
        org = contractor if login.at_contractor else corporation
        user = User.objects.filter(email__iexact=login.email).first() or User(email=login.email)
        user.full_name = login.full_name
        user.organisation = None if login.platform_staff else org
        user.role = login.role
        user.is_active = True
        # The administrator needs the Django admin, but must not become platform staff
        # who see every organisation's data; only the platform staff login is.
        user.is_staff = login.role == User.Role.ADMINISTRATOR
        user.is_superuser = login.platform_staff
        # The demo handler reads the chase's reminders in the morning digest (their
        # role's default, chosen explicitly so "My messages" shows it as a choice).
        if login.role == User.Role.HANDLER:
            user.email_delivery = User.Delivery.DIGEST
        user.set_password(DEMO_PASSWORD)
        user.save()
        if login.platform_staff:
            continue
        if user.is_staff:
            user.groups.add(administrators_group())
        users[login.role] = user
    return DemoTeam(
        corporation=corporation,
        contractor=contractor,
        supervisor=users[User.Role.SUPERVISOR],
        handler=users[User.Role.HANDLER],
        manager=users[User.Role.MANAGER],
        admin=users[User.Role.ADMINISTRATOR],
    )


def join_demo_projects(team: DemoTeam) -> None:
    """Put the demo supervisor, handler and manager on every project of the demo pair.

    Memberships they already have are left alone (the unique constraint skips them).
    """
    projects = Project.objects.filter(
        corporation=team.corporation, contractor=team.contractor
    ).values_list("pk", flat=True)
    R = ProjectMember.Role
    roles = [(team.supervisor, R.SUPERVISOR), (team.handler, R.HANDLER), (team.manager, R.MANAGER)]
    ProjectMember.objects.bulk_create(
        [
            ProjectMember(project_id=pk, user=user, role=role)
            for pk in projects
            for user, role in roles
        ],
        ignore_conflicts=True,
    )


@dataclass
class Team:
    """Ids of a project's people, which is all the row generators need."""

    supervisors: list[int]
    handlers: list[int]
    manager: int


def make_team(project: Project, rng: Random, staff: StaffPool, demo: DemoTeam | None) -> Team:
    """Create the project's team (at least two handlers, so stage 2 has someone else)."""
    R = User.Role
    supervisors = rng.sample(staff.people(project.contractor, R.SUPERVISOR), 2)
    handlers = rng.sample(staff.people(project.corporation, R.HANDLER), 2)
    manager = rng.choice(staff.people(project.contractor, R.MANAGER))
    if demo and (project.corporation_id, project.contractor_id) == (
        demo.corporation.pk,
        demo.contractor.pk,
    ):
        supervisors.append(demo.supervisor)
        handlers.append(demo.handler)
        manager = demo.manager
    M = ProjectMember.Role
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=project, user=u, role=M.SUPERVISOR) for u in supervisors]
        + [ProjectMember(project=project, user=u, role=M.HANDLER) for u in handlers]
        + [ProjectMember(project=project, user=manager, role=M.MANAGER)]
    )
    return Team(
        supervisors=[u.pk for u in supervisors],
        handlers=[u.pk for u in handlers],
        manager=manager.pk,
    )


def corporation_contact(corporation: Organisation, rng: Random, staff: StaffPool) -> User:
    """The last step of the escalation ladder: a manager at the corporation."""
    return rng.choice(staff.people(corporation, User.Role.MANAGER))


DUE_WORK_DAYS_LATE = (1, 3, 6)


def _working_days_before(now: datetime.datetime, days: int) -> datetime.datetime:
    from cases.workdays import is_working_day, local

    moment = now
    while days:
        moment -= datetime.timedelta(days=1)
        days -= is_working_day(local(moment).date())
    return moment


def give_demo_handler_due_work(team: DemoTeam, now: datetime.datetime) -> int:
    """A few open claims and a complaint of the demo pair, in a step that is the
    handler's, given to the demo handler with their deadline passed some days ago, so
    "Mijn werk" and the morning digest have something to show. Only when nothing is due
    for them yet (a second run adds nothing). Returns how many cases it gave."""
    from cases.models import Complaint, DamageClaim
    from cases.work import STAFF_STEPS, due_for

    if due_for(team.handler, now):
        return 0
    given = 0
    pair = {"project__corporation": team.corporation, "project__contractor": team.contractor}
    for model, n in ((DamageClaim, len(DUE_WORK_DAYS_LATE)), (Complaint, 1)):
        ids = list(
            model.objects.open()
            .filter(status__in=STAFF_STEPS[model], **pair)
            .order_by("pk")
            .values_list("pk", flat=True)[:n]
        )
        for pk, days in zip(ids, DUE_WORK_DAYS_LATE, strict=False):
            # The chase's columns by update (a whole-row save leaves them alone): the
            # next sweep reminds the handler, in the digest, from the first rung.
            model.objects.filter(pk=pk).update(
                handler=team.handler,
                step_due_at=_working_days_before(now, days),
                next_chase_at=now,
                reminders_sent=0,
                escalation_level=0,
                last_reminder_at=None,
            )
            given += 1
    return given
