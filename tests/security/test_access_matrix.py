"""Every URL of Woonrust, for every role of organisation A, against what is not theirs.

For each role of organisation A (see ROLES) and each "other side" — organisation B, and
a second project of organisation A whose team the user is not on — every URL pattern
of the project is requested with GET and with a POST that would change something if
the wall had a hole. After each request:

- none of the other side's secrets (names, streets, postcodes, e-mail domains, case
  numbers, canary texts) is in the response (body, exports unzipped, Location header);
- no file (photo, PDF) of the other side is served;
- no row of any domain table changed (a hash of every row of every model, compared with
  the one taken before; each request runs in a savepoint that is rolled back after).

Administrators see every project of their organisation by design, so for them the
second project's "other side" is its care needs only (entries marked `care=True`).

The table
---------
ROUTES maps every URL pattern (its route as Django prints it, prefixes joined) to an
Entry saying how to fill its arguments from a Side. `test_every_url_pattern_has_an_entry`
fails when a pattern has no entry, so a new URL cannot be added without being covered.
Adding one is one line, e.g.

    "accounts/login/": public(form={"login": "x@jansen.nl", "password": "wrong"}),
    "office/claim/<int:pk>/print/": of(lambda s: s.claim),

`public()` is a URL with no object of anyone's in it (it is still requested, and its
answer still checked); `of(obj)` fills `<pk>` (or `name=`) with the other side's object;
`each([...])` gives several argument sets. Admin views of registered models need no line
here: they are generated from `admin.site`, and ADMIN_OBJECTS says which object of the
other side each registered model's change/delete/history pages are tried with (a model
registered without one fails the coverage test too).

The size of the matrix (patterns × roles × requests) is printed by
`test_access_matrix_size` (run with -s or -rP to see it).
"""

from __future__ import annotations

import datetime
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.admin_scope import administrators_group
from accounts.models import Absence, User
from cases.models import CallTask, ChasePolicy, Letter, Notification, TimelineEvent
from cases.outbox import Changes
from cases.photos import claim_photo_add, clean_photo
from cases.recipients import of_resident
from cases.services import claim_report, complaint_record
from cases.services.promises import promise_record
from mobile.models import CareNeedAccess
from projects.models import Dwelling, Project, ProjectMember, WorkWindow
from residents.models import CareNeed, Resident
from residents.services import visit_log
from tests.conftest import make_user
from tests.mobile.conftest import jpeg_with_gps

# --- The other side ---------------------------------------------------------------


@dataclass
class Side:
    name: str
    project: Project
    dwelling: Dwelling
    resident: Resident
    care_need: CareNeed
    claim: models.Model
    complaint: models.Model
    promise: models.Model
    visit: models.Model
    photo: models.Model
    member: ProjectMember
    work_window: WorkWindow
    policy: ChasePolicy
    notification: Notification
    event: TimelineEvent
    access: CareNeedAccess
    call_task: models.Model
    letter: models.Model
    handler: User | None  # someone of theirs a form could name
    user: User | None  # a user whose admin page is theirs (None: a colleague of A's)
    organisation: models.Model | None
    secrets: list[str] = field(default_factory=list)
    care_secrets: list[str] = field(default_factory=list)


def failed(note: Notification) -> Notification:
    """A message that failed for good: it is listed for managers and administrators."""
    Notification.objects.filter(pk=note.pk).update(status=Notification.Status.FAILED)
    note.refresh_from_db()
    return note


def call_and_letter(complaint, resident: Resident):
    """A call to make and a letter to post about the complaint, as the chase writes them
    for a resident who gets no message (both due today, whatever day the suite runs)."""
    as_call, as_letter = (
        of_resident(Resident(pk=resident.pk, dwelling=resident.dwelling, contact_channel=c))
        for c in ("phone", "letter")
    )
    changes = Changes(timezone.now())
    changes.tell(
        complaint,
        ChasePolicy.for_project(complaint.project),
        purpose="resident_update",
        what="update-matrix",
        recipients=[as_call, as_letter],
        extra={"date": None},
    )
    changes.save()
    CallTask.objects.filter(complaint=complaint).update(due_at=timezone.now())
    Letter.objects.filter(complaint=complaint).update(due_on=timezone.localdate())
    return CallTask.objects.get(complaint=complaint), Letter.objects.get(complaint=complaint)


def build_side(name: str, project: Project, dwelling: Dwelling, resident: Resident, by: User):
    """A project's full set of objects, made through the real services."""
    canary = f"CANARY-{name}"
    care = CareNeed.objects.create(resident=resident, kind="mobility", note=f"{canary}-ZORG")
    claim = claim_report(
        dwelling=dwelling,
        by=by,
        resident=resident,
        damage_kind="floor",
        description=f"{canary}-SCHADE",
        amount_claimed=Decimal("120.00"),
    )
    complaint = complaint_record(
        dwelling=dwelling, by=by, resident=resident, description=f"{canary}-KLACHT"
    )
    promise = promise_record(
        dwelling=dwelling,
        by=by,
        resident=resident,
        description=f"{canary}-BELOFTE",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    visit = visit_log(by=by, dwelling=dwelling, note=f"{canary}-BEZOEK")
    photo = claim_photo_add(
        claim=claim, by=by, photo=clean_photo(io.BytesIO(jpeg_with_gps((64, 48))))
    )
    window = WorkWindow.objects.create(
        dwelling=dwelling,
        description=f"{canary}-WERK",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 6),
    )
    access = CareNeedAccess.objects.create(user=by, resident=resident, purpose="site visit")
    call_task, letter = call_and_letter(complaint, resident)
    return {
        "project": project,
        "dwelling": dwelling,
        "resident": resident,
        "care_need": care,
        "claim": claim,
        "complaint": complaint,
        "promise": promise,
        "visit": visit,
        "photo": photo,
        "member": ProjectMember.objects.filter(project=project).first(),
        "work_window": window,
        "policy": ChasePolicy.objects.create(project=project),
        "notification": failed(Notification.objects.filter(claim=claim).first()),
        "event": TimelineEvent.objects.filter(claim=claim).first(),
        "access": access,
        "call_task": call_task,
        "letter": letter,
        "secrets": [
            canary,
            claim.number,
            complaint.number,
            promise.number,
            project.name,
            dwelling.street,
            dwelling.postcode,
            resident.last_name,
            resident.email,
        ],
        "care_secrets": [care.note],
    }


def organisation_b(world) -> Side:
    objects = build_side(
        "B", world.other_project, world.other_dwelling, world.other_resident, world.other_supervisor
    )
    objects["secrets"] += ["Zwolle", "eigenhaard.nl", "noord.nl"]
    return Side(
        name="organisation B",
        handler=world.other_handler,
        user=world.other_handler,
        organisation=world.other_corporation,
        **objects,
    )


def project_off_team(world) -> Side:
    """A second project of organisation A, with a team none of the tested users is on."""
    project = Project.objects.create(
        name="Lombok",
        code="lombok",
        corporation=world.corporation,
        contractor=world.contractor,
        city="Amersfoort",
        starts_on=world.project.starts_on,
        ends_on=world.project.ends_on,
        phase="execution",
    )
    supervisor = make_user("lombok@jansen.nl", world.contractor, "supervisor", full_name="Joost")
    handler = make_user("lombok@woonstede.nl", world.corporation, "handler", full_name="Ilse")
    ProjectMember.objects.create(project=project, user=supervisor, role="supervisor")
    ProjectMember.objects.create(project=project, user=handler, role="handler")
    dwelling = Dwelling.objects.create(
        project=project, street="Kanaalstraat", number=7, postcode="3531 AB", city="Amersfoort"
    )
    resident = Resident.objects.create(
        dwelling=dwelling, first_name="Fatima", last_name="El Amrani", email="fatima@example.nl"
    )
    objects = build_side("A2", project, dwelling, resident, supervisor)
    objects["secrets"] += ["Amersfoort"]
    # Its people are colleagues of organisation A's: not the other side's.
    return Side(
        name="project off the team", handler=handler, user=None, organisation=None, **objects
    )


# --- Roles ------------------------------------------------------------------------


def with_admin_rights(user: User) -> User:
    user.is_staff = True
    user.save()
    user.groups.add(administrators_group())
    return user


# role: who in the world, and whether they get the admin (staff + the group).
ROLES = {
    "supervisor": ("supervisor", False),
    "handler": ("handler", False),
    "manager": ("manager", False),
    "corporation administrator": ("corporation_admin", True),
    "contractor administrator": ("contractor_admin", True),
    "colleague off the team": ("colleague_off_team", False),
    # Staff status handed to someone who is not an administrator: the admin must still
    # keep to their team's projects.
    "supervisor with admin rights": ("supervisor", True),
    # Reaches every resident of organisation A's projects on the privacy pages (so the
    # project off the team is theirs there, see `plan`), and nothing of organisation B.
    "privacy officer": ("privacy_officer", False),
}


def role_user(world, attribute: str) -> User:
    if attribute == "privacy_officer":
        found = User.objects.filter(email="avg@woonstede.nl").first()
        return found or make_user("avg@woonstede.nl", world.corporation, "privacy_officer")
    return getattr(world, attribute)


# --- Requests and the table -------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    data: dict | None = None
    foreign: bool = True  # the URL names an object of the other side


Kwargs = Callable[[Side], list[dict]]
Data = Callable[[Side], dict]


@dataclass(frozen=True)
class Entry:
    kwargs: Kwargs = lambda s: [{}]
    query: Data = lambda s: {}
    form: Data = lambda s: {}
    care: bool = False  # also tried by administrators on their own off-team project
    foreign: bool = True


def public(form: dict | None = None, query: dict | None = None) -> Entry:
    return Entry(form=lambda s: form or {}, query=lambda s: query or {}, foreign=False)


def each(kwargs: Kwargs, **rest) -> Entry:
    return Entry(kwargs=kwargs, **rest)


def of(obj: Callable[[Side], models.Model | None], name: str = "pk", **rest) -> Entry:
    def kwargs(s: Side) -> list[dict]:
        target = obj(s)
        return [] if target is None else [{name: target.pk}]

    return Entry(kwargs=kwargs, **rest)


def phone(form: Data, photo: bool = False) -> Data:
    """A phone form as the app sends it: with its submission id, and a photo if asked."""

    def data(s: Side) -> dict:
        extra = {"submission_id": str(uuid.uuid4())}
        if photo:
            extra["photos"] = SimpleUploadedFile("p.jpg", jpeg_with_gps((64, 48)), "image/jpeg")
        return {**form(s), **extra}

    return data


def project_query(s: Side) -> dict:
    return {"project": s.project.pk, "q": s.dwelling.street}


def case_keys(s: Side) -> list[dict]:
    return [
        {"kind": "claim", "pk": s.claim.pk},
        {"kind": "complaint", "pk": s.complaint.pk},
        {"kind": "promise", "pk": s.promise.pk},
    ]


def case_actions(s: Side) -> list[dict]:
    from office.action_forms import ACTION_FORMS

    return [
        {**key, "action": action} for key in case_keys(s) for action in ACTION_FORMS[key["kind"]]
    ]


def absence_of(s: Side) -> Absence | None:
    """An absence of one of the other side's people, covered by a colleague of theirs."""
    if s.handler is None:
        return None
    deputy = (
        User.objects.filter(organisation_id=s.handler.organisation_id, is_active=True)
        .exclude(pk=s.handler.pk)
        .order_by("pk")
        .first()
    )
    if deputy is None:
        return None
    absence, _ = Absence.objects.get_or_create(
        person=s.handler,
        deputy=deputy,
        starts_on=datetime.date(2026, 12, 21),
        ends_on=datetime.date(2026, 12, 24),
    )
    return absence


def authenticator_of(s: Side) -> Authenticator | None:
    """A second factor of one of the other side's people (made by tests.conftest)."""
    return Authenticator.objects.filter(user=s.handler).first() if s.handler else None


ACTION_FORM = {
    "note": "Gebeld, komt goed.",
    "reason": "Teruggetrokken",
    "amount": "100.00",
    "amount_awarded": "100.00",
    "decision": "Toegekend",
    "answer": "Opgelost",
    "days": "5",
    "due_on": "01-06-2026",
    "question": "Heeft u een foto?",
}

ROUTES: dict[str, Entry] = {
    "": public(),
    "login/": public(form={"login": "nobody@jansen.nl", "password": "wrong"}),
    "logout/": public(),
    # Sign-in, password and sessions (django-allauth under /account/): all about the
    # person signed in, none names another's object but a security key's id.
    "account/login/": public(form={"login": "nobody@jansen.nl", "password": "wrong"}),
    "account/logout/": public(),
    "account/inactive/": public(),
    "account/signup/": public(form={"email": "nieuw@jansen.nl", "password1": "x"}),
    "account/reauthenticate/": public(form={"password": "wrong"}),
    "account/reauthenticate/code/": public(),
    "account/reauthenticate/code/confirm/": public(form={"code": "000000"}),
    "account/email/": public(form={"email": "ander@jansen.nl", "action_add": "1"}),
    "account/confirm-email/": public(),
    "account/^confirm-email/(?P<key>[-:\\w]+)/$": each(lambda s: [{"key": "nonsense"}]),
    "account/password/change/": public(
        form={"oldpassword": "wrong", "password1": "Nieuw-w8w00rd!", "password2": "x"}
    ),
    "account/password/set/": public(form={"password1": "Nieuw-w8w00rd!", "password2": "x"}),
    "account/password/reset/": public(form={"email": "henk@example.nl"}),
    "account/password/reset/done/": public(),
    "account/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": each(
        lambda s: [{"uidb36": "1", "key": "set-password"}]
    ),
    "account/password/reset/key/done/": public(),
    "account/login/code/confirm/": public(form={"code": "000000"}),
    "account/sessions/": public(form={"action": "end"}),
    "account/sessions/end-all/": public(),
    # One's own absence: someone of another organisation is not a choice of deputy (a
    # colleague off the team is: they work for the same organisation).
    "account/absence/": Entry(
        form=lambda s: {
            "starts_on": "2026-12-21",
            "ends_on": "2026-12-24",
            "deputy": s.handler.pk if s.handler and s.organisation else "",
        },
        foreign=False,
    ),
    "account/absence/<int:pk>/delete/": of(absence_of),
    # One's own message settings; a form naming someone else's account changes nothing
    # (and "off" for e-mail is refused, so nobody's row changes here).
    "account/messages/": Entry(
        form=lambda s: {"user": s.handler.pk, "email_delivery": "off", "sms_delivery": "off"},
        foreign=False,
    ),
    "account/2fa/": public(),
    "account/2fa/authenticate/": public(form={"code": "000000"}),
    "account/2fa/reauthenticate/": public(form={"code": "000000"}),
    "account/2fa/totp/activate/": public(form={"code": "000000"}),
    "account/2fa/totp/deactivate/": public(),
    "account/2fa/recovery-codes/": public(),
    "account/2fa/recovery-codes/generate/": public(),
    "account/2fa/recovery-codes/download/": public(),
    "account/2fa/webauthn/": public(),
    "account/2fa/webauthn/add/": public(form={"name": "sleutel"}),
    "account/2fa/webauthn/reauthenticate/": public(),
    "account/2fa/webauthn/keys/<int:pk>/remove/": of(authenticator_of),
    "account/2fa/webauthn/keys/<int:pk>/edit/": of(
        authenticator_of, form=lambda s: {"name": "overgenomen"}
    ),
    "i18n/setlang/": public(form={"language": "en", "next": "/office/"}),
    "healthz": public(),
    "healthz/ready": public(),
    "healthz/live": public(),
    "metrics": public(),  # a 404 without METRICS_TOKEN's bearer header
    "favicon.ico": public(),
    # The phone app
    "m/": public(),
    "m/p/<int:pk>/": of(lambda s: s.project, query=lambda s: {"q": s.dwelling.street}),
    "m/d/<int:pk>/": of(lambda s: s.dwelling, care=True),
    "m/d/<int:pk>/care/": of(lambda s: s.dwelling, care=True),
    "m/d/<int:pk>/visit/": of(
        lambda s: s.dwelling,
        form=phone(lambda s: {"kind": "round", "outcome": "spoken", "resident": s.resident.pk}),
    ),
    "m/d/<int:pk>/promise/": of(
        lambda s: s.dwelling,
        form=phone(
            lambda s: {
                "description": "Kit langs het raam",
                "due": "today",
                "resident": s.resident.pk,
            }
        ),
    ),
    "m/d/<int:pk>/complaint/": of(
        lambda s: s.dwelling,
        form=phone(
            lambda s: {"category": "dust", "description": "Stof", "resident": s.resident.pk}
        ),
    ),
    "m/d/<int:pk>/claim/": of(
        lambda s: s.dwelling,
        form=phone(
            lambda s: {
                "damage_kind": "floor",
                "room": "other",
                "description": "Kras",
                "amount_claimed": "50",
                "resident": s.resident.pk,
            },
            photo=True,
        ),
    ),
    "m/claims/<int:pk>/": of(lambda s: s.claim),
    "m/claims/<int:pk>/photos/": of(lambda s: s.claim, form=phone(lambda s: {}, photo=True)),
    "m/photos/<int:pk>/": of(lambda s: s.photo),
    "m/photos/<int:pk>/thumb/": of(lambda s: s.photo),
    "m/complaints/<int:pk>/": of(lambda s: s.complaint),
    "m/promises/": public(),
    "m/promises/<int:pk>/": of(lambda s: s.promise),
    "m/promises/<int:pk>/<slug:action>/": each(
        lambda s: [{"pk": s.promise.pk, "action": a} for a in ("done", "move", "cancel")],
        form=phone(
            lambda s: {
                "note": "Klaar",
                "reason": "Regen",
                "due_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            }
        ),
    ),
    "m/calls/": public(),
    "m/calls/<int:pk>/done/": of(
        lambda s: s.call_task, form=lambda s: {f"call-{s.call_task.pk}-outcome": "reached"}
    ),
    "m/offline/": public(),
    "m/forms/<slug:kind>/": each(
        lambda s: [{"kind": k} for k in ("visit", "promise", "complaint", "claim")],
        foreign=False,
    ),
    "m/ping/": public(),
    "m/logout/": public(),
    "m/sw.js": public(),
    # The back-office
    "office/": Entry(query=project_query, foreign=False),
    # My work and the escalations of my projects: the other side's if the scope were wrong.
    "office/mine/": public(),
    # Lists the failed messages of the other side too if the scope were wrong.
    "office/messages/failed/": public(),
    # "Te bellen" and the print batch: lists of the user's own projects only.
    "office/calls/": public(),
    "office/calls/<int:pk>/done/": of(
        lambda s: s.call_task,
        form=lambda s: {f"call-{s.call_task.pk}-outcome": "reached", "from": "case"},
    ),
    "office/letters/": public(),
    "office/letters/batch.pdf": public(),
    "office/letters/posted/": Entry(form=lambda s: {"letters": [s.letter.pk]}, foreign=False),
    "office/addresses/<int:pk>/": of(lambda s: s.dwelling, care=True),
    "office/addresses/<int:pk>/care/": of(lambda s: s.dwelling, care=True),
    "office/assign/": Entry(
        form=lambda s: {"cases": [f"claim:{s.claim.pk}"], "handler": s.handler.pk, "next": "/"},
        foreign=False,
    ),
    "office/export.<slug:fmt>": each(
        lambda s: [{"fmt": "csv"}, {"fmt": "xlsx"}], query=project_query, foreign=False
    ),
    "office/<kind:kind>/<int:pk>/": each(case_keys),
    "office/<kind:kind>/<int:pk>/do/<slug:action>/": each(case_actions, form=lambda s: ACTION_FORM),
    "office/<kind:kind>/<int:pk>/note/": each(case_keys, form=lambda s: {"note-text": "Notitie"}),
    "office/<kind:kind>/<int:pk>/assign/": each(
        case_keys, form=lambda s: {"assign-handler": s.handler.pk}
    ),
    "office/<kind:kind>/<int:pk>/letter.pdf": each(case_keys),
    "office/<kind:kind>/<int:pk>/link/<slug:what>/": each(
        lambda s: [{**k, "what": w} for k in case_keys(s) for w in ("reissue", "revoke")]
    ),
    "office/photos/<int:pk>/": of(lambda s: s.photo),
    "office/photos/<int:pk>/thumb/": of(lambda s: s.photo),
    "office/dashboard/": Entry(query=lambda s: {"project": s.project.pk}, foreign=False),
    "office/dashboard/export.<slug:fmt>": each(
        lambda s: [{"fmt": "csv"}, {"fmt": "xlsx"}],
        query=lambda s: {"project": s.project.pk},
        foreign=False,
    ),
    "office/projects/": public(),
    "office/projects/new/": Entry(
        form=lambda s: {
            "name": "Nieuw",
            "code": "nieuw",
            "corporation": s.project.corporation_id,
            "contractor": s.project.contractor_id,
            "city": "Zwolle",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "phase": "preparation",
        },
        foreign=False,
    ),
    "office/projects/<int:pk>/setup/": of(
        lambda s: s.project,
        form=lambda s: {"part": "member", "m-user": s.handler.pk, "m-role": "manager"},
    ),
    "office/projects/<int:pk>/import/": of(lambda s: s.project, form=lambda s: {"confirm": "x"}),
    "office/projects/<int:pk>/dashboard/": of(lambda s: s.project),
    "office/projects/<int:pk>/dashboard/export.<slug:fmt>": each(
        lambda s: [{"pk": s.project.pk, "fmt": f} for f in ("csv", "xlsx")]
    ),
    # The privacy officer's pages: no role of the matrix may use them.
    "office/privacy/": public(query={"q": "Visser"}),
    "office/privacy/residents/<int:pk>/": of(lambda s: s.resident, care=True),
    "office/privacy/residents/<int:pk>/export/": of(
        lambda s: s.resident, form=lambda s: {"export-requested_by": "resident"}, care=True
    ),
    "office/privacy/residents/<int:pk>/erase/": of(
        lambda s: s.resident,
        form=lambda s: {
            "erase-requested_by": "resident",
            "erase-reason": "request",
            "erase-confirm": "on",
        },
        care=True,
    ),
    "office/privacy/access/": public(query={"resident": "1"}),
    "office/privacy/access.csv": public(),
    "office/privacy/audit/": Entry(
        query=lambda s: {"number": s.resident.pk}, form=lambda s: {}, foreign=False
    ),
    # Platform staff choose the corporation; for everyone else the parameter is ignored.
    "office/privacy/retention/": Entry(
        query=lambda s: {"corporation": s.project.corporation_id}, foreign=False
    ),
    "office/privacy/retention/periods/": public(
        form={"personal_data_months": "1", "photo_months": "1", "message_months": "1"}
    ),
    "office/privacy/retention/start/": public(form={"confirm": "on"}),
    # The resident's status link: the token is the key, so a made-up one is tried.
    "s/<str:token>/": each(lambda s: [{"token": "A" * 43}], foreign=False),
    "s/<str:token>/answer/": each(
        lambda s: [{"token": "A" * 43}], form=lambda s: {"score": "9"}, foreign=False
    ),
    "s/<str:token>/information/": each(
        lambda s: [{"token": "A" * 43}], form=lambda s: {"text": "Hallo"}, foreign=False
    ),
    "s/<str:token>/updates/": each(
        lambda s: [{"token": "A" * 43}], form=lambda s: {"on": "0"}, foreign=False
    ),
    "s/<str:token>/reply/": each(
        lambda s: [{"token": "A" * 43}],
        form=lambda s: {"answer": "yes", "step": "1"},
        foreign=False,
    ),
    "s/<str:token>/works/<int:pk>/": each(
        lambda s: [{"token": "A" * 43, "pk": s.work_window.pk}],
        form=lambda s: {"answer": "confirm"},
        foreign=False,
    ),
    # The admin's own views (the views of registered models are generated below).
    "admin/": public(),
    "admin/login/": public(form={"username": "nobody@jansen.nl", "password": "wrong"}),
    "admin/logout/": public(),
    "admin/password_change/": public(
        form={"old_password": "wrong", "new_password1": "Nieuw-w8w00rd!", "new_password2": "x"}
    ),
    "admin/password_change/done/": public(),
    "admin/jsi18n/": public(),
    "admin/autocomplete/": public(),  # every related field is searched: autocomplete_calls
    "admin/r/<path:content_type_id>/<path:object_id>/": each(
        lambda s: [
            {"content_type_id": ContentType.objects.get_for_model(obj).pk, "object_id": obj.pk}
            for obj in admin_objects(s)
        ]
    ),
    "admin/<app_label>/": each(
        lambda s: [{"app_label": a} for a in ("accounts", "projects", "residents", "cases")],
        foreign=False,
    ),
    "admin/(?P<url>.*)$": each(
        lambda s: [{"url": f"projects/dwelling/{s.dwelling.pk}"}, {"url": "projects/nothing/"}]
    ),
    "admin/accounts/user/<id>/password/": of(
        lambda s: s.user,
        name="id",
        form=lambda s: {"password1": "Nieuw-w8w00rd!", "password2": "Nieuw-w8w00rd!"},
    ),
}

# Which object of the other side each registered model's admin pages are tried with.
ADMIN_OBJECTS: dict[str, Callable[[Side], models.Model | None]] = {
    "mfa.authenticator": lambda s: authenticator_of(s),
    "auth.group": lambda s: None,  # rights: platform staff only, tried as a changelist
    "accounts.organisation": lambda s: s.organisation,
    "accounts.user": lambda s: s.user,
    "accounts.absence": absence_of,
    "projects.project": lambda s: s.project,
    "projects.projectmember": lambda s: s.member,
    "projects.dwelling": lambda s: s.dwelling,
    "projects.workwindow": lambda s: s.work_window,
    "residents.resident": lambda s: s.resident,
    "residents.careneed": lambda s: s.care_need,
    "residents.visit": lambda s: s.visit,
    "cases.damageclaim": lambda s: s.claim,
    "cases.complaint": lambda s: s.complaint,
    "cases.promise": lambda s: s.promise,
    "cases.claimphoto": lambda s: s.photo,
    "cases.timelineevent": lambda s: s.event,
    "cases.chasepolicy": lambda s: s.policy,
    "cases.notification": lambda s: s.notification,
    "mobile.careneedaccess": lambda s: s.access,
}
# Admin pages that show care needs: administrators try them on their off-team project.
ADMIN_CARE = {"residents.careneed", "residents.resident"}


def admin_objects(s: Side) -> list[models.Model]:
    return [obj for get in ADMIN_OBJECTS.values() if (obj := get(s)) is not None]


# --- Walking the URL patterns -----------------------------------------------------


# Patterns whose printed route changes with unrelated code are keyed by their name: the
# admin's app index lists the apps that have registered models.
ROUTE_KEYS_BY_NAME = {"app_list": "admin/<app_label>/"}


@dataclass(frozen=True)
class Route:
    route: str
    pattern: URLPattern

    @property
    def key(self) -> str:
        return ROUTE_KEYS_BY_NAME.get(self.pattern.name or "", self.route)

    @property
    def model_admin(self) -> admin.ModelAdmin | None:
        return getattr(self.pattern.callback, "model_admin", None)


def all_routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                walk(item, prefix + str(item.pattern))
            else:
                found.append(Route(prefix + str(item.pattern), item))

    walk(get_resolver(), "")
    return found


def fill(route: str, kwargs: dict) -> str:
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")


def altered_field(model: type[models.Model]) -> str | None:
    """The one free-text field a POST changes (not unique, not checked for a format)."""
    for f in model._meta.concrete_fields:
        plain = isinstance(f, (models.CharField, models.TextField))
        checked = isinstance(f, (models.EmailField, models.SlugField)) or f.name == "postcode"
        if plain and f.editable and not f.choices and not f.unique and not checked:
            return f.name
    return None


def form_data(obj: models.Model, model_admin: admin.ModelAdmin) -> dict:
    """The object's current values as the admin form posts them, one text altered."""
    data: dict = {}
    altered = altered_field(type(obj))
    for f in obj._meta.concrete_fields:
        if f.primary_key or not f.editable or isinstance(f, models.FileField):
            continue
        value = getattr(obj, f.attname)
        if f.name == altered:
            value = f"{value or ''}x"
        if value is None:
            continue
        if isinstance(f, models.DateTimeField):
            moment = timezone.localtime(value)
            data[f"{f.name}_0"], data[f"{f.name}_1"] = f"{moment:%d-%m-%Y}", f"{moment:%H:%M}"
        elif isinstance(f, models.DateField):
            data[f.name] = f"{value:%d-%m-%Y}"
        elif isinstance(f, models.BooleanField):
            if value:
                data[f.name] = "on"
        else:
            data[f.name] = str(value)
    for f in obj._meta.many_to_many:
        data[f.name] = [str(pk) for pk in getattr(obj, f.name).values_list("pk", flat=True)]
    for inline in model_admin.inlines:
        from django.forms.models import _get_foreign_key

        fk = _get_foreign_key(type(obj), inline.model, fk_name=inline.fk_name)
        prefix = fk.remote_field.get_accessor_name(model=inline.model).replace("+", "")
        for key, value in {"TOTAL": "0", "INITIAL": "0", "MIN_NUM": "0"}.items():
            data[f"{prefix}-{key}_FORMS"] = value
    return data


def admin_calls(route: Route, side: Side) -> list[Call]:
    model_admin = route.model_admin
    label = model_admin.model._meta.label_lower
    obj = ADMIN_OBJECTS[label](side)
    kind = (route.pattern.name or "").rsplit("_", 1)[-1] or "redirect"
    if kind == "changelist":
        path = fill(route.route, {})
        calls = [Call("get", path, {"q": side.dwelling.street}, foreign=False)]
        if obj is not None:
            for action in ["delete_selected", *(a.__name__ for a in model_admin.actions)]:
                form = {"action": action, "_selected_action": [obj.pk], "post": "yes"}
                calls.append(Call("post", path, form, foreign=False))
        return calls
    if kind == "add":
        path = fill(route.route, {})
        prefill = {
            f.name: getattr(obj, f.attname)
            for f in model_admin.model._meta.concrete_fields
            if obj is not None and f.many_to_one and getattr(obj, f.attname) is not None
        }
        calls = [Call("get", path, prefill, foreign=False)]
        if obj is not None:
            calls.append(Call("post", path, form_data(obj, model_admin), foreign=False))
        return calls
    if obj is None:
        return []
    path = fill(route.route, {"object_id": obj.pk})
    form = form_data(obj, model_admin) if kind == "change" else {"post": "yes"}
    return [Call("get", path), Call("post", path, form)]


def autocomplete_calls(side: Side) -> list[Call]:
    """Every related field whose target has search fields, searched for the other side."""
    calls = []
    for model in admin.site._registry:
        for f in model._meta.get_fields():
            if not (f.many_to_one or f.many_to_many) or not f.concrete:
                continue
            target = admin.site._registry.get(f.related_model)
            if target is None or not target.search_fields:
                continue
            for term in ("", side.dwelling.street[:5], side.resident.last_name):
                query = {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": f.name,
                    "term": term,
                }
                calls.append(Call("get", "/admin/autocomplete/", query, foreign=False))
    return calls


def calls_for(route: Route, side: Side) -> list[Call]:
    if route.model_admin is not None:
        return admin_calls(route, side)
    if route.key == "admin/autocomplete/":
        return autocomplete_calls(side)
    entry = ROUTES[route.key]
    calls = []
    for kwargs in entry.kwargs(side):
        path = fill(route.route, kwargs)
        calls.append(Call("get", path, entry.query(side), entry.foreign))
        calls.append(Call("post", path, entry.form(side), entry.foreign))
    return calls


def care_route(route: Route) -> bool:
    if route.model_admin is not None:
        return route.model_admin.model._meta.label_lower in ADMIN_CARE
    return route.key in ROUTES and ROUTES[route.key].care


# --- Watching the database --------------------------------------------------------

WATCHED_APPS = {
    "account",
    "mfa",
    "accounts",
    "auth",
    "admin",
    "projects",
    "residents",
    "cases",
    "mobile",
    "office",
    "ops",
    "statuslink",
}
# Changes on every sign-in, whoever signs in.
IGNORED_COLUMNS = {"last_login"}
CARE_TABLES = {CareNeed._meta.db_table, CareNeedAccess._meta.db_table}


def watched_tables(only: set[str] | None = None) -> dict[str, list[str]]:
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in WATCHED_APPS or model._meta.proxy:
            continue
        table = model._meta.db_table
        if only is None or table in only:
            columns = [f.column for f in model._meta.concrete_fields]
            tables[table] = [c for c in columns if c not in IGNORED_COLUMNS]
    return tables


def snapshot_sql(tables: dict[str, list[str]]) -> str:
    q = connection.ops.quote_name
    parts = []
    for table, columns in sorted(tables.items()):
        row = ", ".join(q(c) for c in columns)
        parts.append(
            f"SELECT '{table}', count(*), md5(coalesce(string_agg(ROW({row})::text, '|' "
            f"ORDER BY ROW({row})::text), '')) FROM {q(table)}"
        )
    return " UNION ALL ".join(parts)


def snapshot(sql: str) -> dict[str, tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


# --- Reading answers --------------------------------------------------------------


def body_of(response) -> tuple[str, bool]:
    """The answer as text (exports unzipped), and whether it was a file."""
    raw = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    kind = response.get("Content-Type", "")
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            raw = b"".join(book.read(name) for name in book.namelist())
    is_file = kind.startswith(("image/", "application/pdf")) or raw[:4] == b"%PDF"
    text = raw.decode("utf-8", "replace") + " " + response.get("Location", "")
    return text, is_file


def leaks(text: str, secrets: Iterable[str], call: Call) -> list[str]:
    """The secrets in the answer, but for what the request itself typed (a search box or
    a form that repeats its input tells nobody anything)."""
    typed = " ".join(
        " ".join(map(str, v)) if isinstance(v, list) else str(v) for v in (call.data or {}).values()
    )
    return [s for s in secrets if s and s in text and s not in typed]


# --- The matrix -------------------------------------------------------------------


def plan(
    role: str, user: User, sides: list[Side], only: str = ""
) -> list[tuple[Side, Call, list[str], str]]:
    """(side, request, secrets, watched) for every request of this role (whose route
    starts with `only`)."""
    routes = [r for r in all_routes() if r.key.startswith(only)]
    administrator = user.role == User.Role.ADMINISTRATOR
    officer = user.role == User.Role.PRIVACY_OFFICER
    planned = []
    for index, side in enumerate(sides):
        off_team_care_only = administrator and index == 1
        secrets = side.care_secrets if off_team_care_only else side.secrets + side.care_secrets
        watched = "care" if off_team_care_only else "all"
        for route in routes:
            if off_team_care_only and not care_route(route):
                continue
            # The privacy officer's own pages reach every project of their organisation
            # by design (tests/privacy/); elsewhere the project is as foreign as B.
            if officer and index == 1 and route.key.startswith("office/privacy/"):
                continue
            for call in calls_for(route, side):
                planned.append((side, call, secrets, watched))
    return planned


@pytest.fixture
def sides(world, settings, tmp_path) -> list[Side]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SMS_BACKEND = "cases.sms.MemorySmsBackend"
    cache.clear()
    made = [organisation_b(world), project_off_team(world)]
    for side in made:
        absence_of(side)  # made before the requests, so none of them seems to change it
    yield made
    cache.clear()  # the status link's rate limits


@dataclass(frozen=True)
class Problem:
    call: Call
    what: str  # "raised", "error", "shows", "file", "changed"
    message: str


def run_matrix(world, sides: list[Side], role: str, only: str = "") -> tuple[int, list[Problem]]:
    attribute, admin_rights = ROLES[role]
    user = role_user(world, attribute)
    if admin_rights:
        with_admin_rights(user)
    sql = {
        "all": snapshot_sql(watched_tables()),
        "care": snapshot_sql(watched_tables(CARE_TABLES)),
    }
    # Signed in once, outside the requests' savepoints: each rollback restores the session
    # row as it was, and the cookie is put back before each request (a request may have
    # signed out or cycled the key).
    client = Client(raise_request_exception=True)
    client.force_login(user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    before = {name: snapshot(query) for name, query in sql.items()}
    problems: list[Problem] = []
    planned = plan(role, user, sides, only)
    for side, call, secrets, watched in planned:
        where = f"{role} → {side.name}: {call.method.upper()} {call.path} {call.data or ''}"
        client.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: session_cookie})
        try:
            with transaction.atomic():
                response = getattr(client, call.method)(call.path, call.data or {})
                after = snapshot(sql[watched])
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001  (a 500 is a finding too)
            problems.append(Problem(call, "raised", f"{where}: raised {error!r}"))
            continue
        if response.status_code >= 500:
            problems.append(Problem(call, "error", f"{where}: {response.status_code}"))
        text, is_file = body_of(response)
        if found := leaks(text, secrets, call):
            problems.append(Problem(call, "shows", f"{where}: shows {found}"))
        if is_file and call.foreign and response.status_code == 200:
            problems.append(Problem(call, "file", f"{where}: served a file"))
        changed = [t for t, state in after.items() if before[watched][t] != state]
        if changed:
            problems.append(Problem(call, "changed", f"{where}: changed {changed}"))
    return len(planned), problems


@pytest.mark.parametrize("role", list(ROLES))
def test_nothing_of_the_other_side_is_shown_or_changed(world, sides, role):
    count, problems = run_matrix(world, sides, role)
    assert count > 500  # the matrix did not silently shrink
    report = "\n".join(p.message for p in problems[:60])
    assert not problems, f"{len(problems)} problems in {count} requests:\n{report}"


def test_every_url_pattern_has_an_entry():
    routes = all_routes()
    admin_models = {r.model_admin.model._meta.label_lower for r in routes if r.model_admin}
    missing = [r.key for r in routes if r.model_admin is None and r.key not in ROUTES]
    assert not missing, "URL patterns without an entry in ROUTES:\n" + "\n".join(missing)
    without_object = admin_models - set(ADMIN_OBJECTS)
    assert not without_object, f"registered in the admin, not in ADMIN_OBJECTS: {without_object}"
    stale = set(ROUTES) - {r.key for r in routes}
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"


def test_access_matrix_size(world, sides, capsys, record_property):
    patterns = len(all_routes())
    requests = {role: len(plan(role, role_user(world, ROLES[role][0]), sides)) for role in ROLES}
    total = sum(requests.values())
    record_property("access_matrix_requests", total)
    with capsys.disabled():
        print(
            f"\naccess matrix: {patterns} URL patterns × {len(ROLES)} roles × "
            f"{len(sides)} other sides × GET/POST = {total} requests ({requests})"
        )
    assert patterns > 100 and total > 3000


def own_side(world) -> Side:
    objects = build_side("A", world.project, world.dwelling, world.resident, world.supervisor)
    return Side(
        name="their own project",
        handler=world.handler,
        user=world.handler,
        organisation=world.contractor,
        **objects,
    )


@pytest.mark.parametrize(
    ("role", "only"), [("supervisor with admin rights", ""), ("handler", "office/")]
)
def test_the_matrix_sees_a_hole_where_there_is_one(world, sides, role, only):
    """Against the user's own project the same requests show its data and change rows:
    the checks and the POSTs of the matrix are real."""
    count, problems = run_matrix(world, [own_side(world)], role, only)
    changed = {p.call.path for p in problems if p.what == "changed"}
    assert any(p.what == "shows" for p in problems)
    assert not [p.message for p in problems if p.what in ("raised", "error")]
    if only == "office/":
        assert {
            "/office/assign/",
            f"/office/claim/{world.project.damageclaims.get().pk}/note/",
        } <= (changed)
    else:
        pk = world.dwelling.pk
        assert {
            f"/m/d/{pk}/{kind}/" for kind in ("visit", "promise", "complaint", "claim")
        } <= changed
        assert f"/m/claims/{world.project.damageclaims.get().pk}/photos/" in changed
        admin_changes = {
            f"/admin/projects/dwelling/{pk}/change/",
            f"/admin/projects/project/{world.project.pk}/change/",
            f"/admin/residents/resident/{world.resident.pk}/change/",
        }
        assert admin_changes <= changed
