"""Hostile input on every form and every query parameter: never a 500.

Each target below is sent every payload in each of its fields (or parameters) in turn,
the other fields holding ordinary values. A form answers with the refusal page (400:
control characters; 413: too large), with itself re-rendered and a message beside the
field, or — for text that is merely odd — by saving it (a redirect or JSON). Wherever
HTML comes back, the `<script>` payload is escaped and no raw bidirectional control
shows. `test_the_table_sends_this_many_requests` states the total.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.forms import ChangePasswordForm, LoginForm, ResetPasswordForm
from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.forms import MessageSettingsForm
from cases.models import Complaint, DamageClaim, Promise
from cases.services import allowed_actions
from mobile.forms import ClaimForm, ComplaintForm, PhotoForm, PromiseForm, VisitForm
from office.action_forms import ACTION_FORMS
from office.forms import AssignForm, BulkAssignForm, NoteAddForm, QueueForm
from office.services import TABLES
from office.setup_forms import ImportForm, LogoForm, MemberForm, PolicyForm, ProjectForm
from ops.templates_bidi import BIDI_CONTROLS
from projects.models import WorkWindow
from statuslink import tokens
from statuslink.forms import AppointmentForm, InformationForm, ReplyForm, SatisfactionForm
from tests.office import conftest as make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The status link's rate-limit counters live in the cache: start and end clean."""
    cache.clear()
    yield
    cache.clear()


SCRIPT = "<script>alert(1)</script>"
PAYLOADS = {
    "nul": "a\x00b",
    "long": "x" * 100_000,
    "bidi": "\u202egpj.exe\u2066 1\u2069",
    "script": SCRIPT,
    "sql": "1' OR '1'='1'; DROP TABLE cases_damageclaim; --",
}
ERROR_MARKERS = (
    'class="error',
    "field-error",
    "errorlist",
    'role="alert"',
    "error-page",
    "msg-error",
)


def _appointment(world) -> WorkWindow:
    today = timezone.localdate()
    return WorkWindow.objects.create(
        dwelling=world.dwelling,
        description="Keuken",
        starts_on=today,
        ends_on=today,
        needs_access=True,
    )


def fields_of(form: type[forms.Form], prefix: str = "", skip: tuple[str, ...] = ()) -> tuple:
    return tuple(f"{prefix}{name}" for name in form.base_fields if name not in skip)


@dataclass
class Ctx:
    """What the URLs and ordinary values point at; cases are made fresh per request."""

    world: Any
    token: str = ""

    def case(self, kind: str, status: str | None = None):
        maker = {"claim": make.claim, "complaint": make.complaint, "promise": make.promise}[kind]
        return maker(self.world, **({"status": status} if status else {}))

    def status_claim(self, status: str, **fields: Any) -> str:
        claim = make.claim(self.world, status=status, settled_at=timezone.now(), **fields)
        token = tokens.assign(claim, timezone.now())
        claim.save()
        return token


@dataclass(frozen=True)
class Target:
    name: str
    user: str | None  # an attribute of the named world; None: not signed in
    url: Callable[[Ctx], str]
    fields: tuple[str, ...]
    base: Callable[[Ctx], dict[str, Any]] = lambda ctx: {}
    method: str = "POST"
    files: tuple[str, ...] = ()  # fields sent as a file holding the payload
    headers: tuple[tuple[str, str], ...] = ()


def sid(ctx: Ctx) -> dict[str, str]:
    return {"submission_id": str(uuid.uuid4())}


def dwelling_url(kind: str) -> Callable[[Ctx], str]:
    return lambda ctx: f"/m/d/{ctx.world.dwelling.pk}/{kind}/"


PHONE_FORMS = [
    Target(
        "phone: log a visit",
        "supervisor",
        dwelling_url("visit"),
        (*fields_of(VisitForm), "submission_id"),
        lambda ctx: {**sid(ctx), "kind": "round", "outcome": "spoken"},
    ),
    Target(
        "phone: note a promise",
        "supervisor",
        dwelling_url("promise"),
        (*fields_of(PromiseForm), "submission_id"),
        lambda ctx: {**sid(ctx), "description": "Deurstopper", "due": "tomorrow"},
    ),
    Target(
        "phone: record a complaint",
        "supervisor",
        dwelling_url("complaint"),
        (*fields_of(ComplaintForm), "submission_id"),
        lambda ctx: {**sid(ctx), "description": "Geluid", "category": "noise"},
    ),
    Target(
        "phone: report damage",
        "supervisor",
        dwelling_url("claim"),
        (*fields_of(ClaimForm), "submission_id"),
        lambda ctx: {**sid(ctx), "damage_kind": "floor", "room": "kitchen"},
        files=("photos",),
    ),
    Target(
        "phone: report damage (outbox script)",
        "supervisor",
        dwelling_url("claim"),
        fields_of(ClaimForm, skip=("photos",)),
        lambda ctx: {**sid(ctx), "damage_kind": "floor", "room": "kitchen"},
        headers=(("X-Outbox", "1"),),
    ),
    Target(
        "phone: add photos to a claim",
        "supervisor",
        lambda ctx: f"/m/claims/{ctx.case('claim').pk}/photos/",
        (*fields_of(PhotoForm), "submission_id"),
        sid,
        files=("photos",),
    ),
]


def a_letter(ctx: Ctx) -> dict[str, str]:
    """A letter in today's print batch, to be marked as posted."""
    from cases.models import Letter

    complaint = ctx.case("complaint")
    letter = Letter.objects.create(
        key=f"complaint-{complaint.pk}/letter",
        project=complaint.project,
        dwelling=complaint.dwelling,
        complaint=complaint,
        purpose="resident_update",
        subject="Nieuws",
        body="Wij zijn uw klacht niet vergeten.",
    )
    return {"letters": str(letter.pk)}


OFFICE_FORMS = [
    Target(
        "office: letters posted",
        "handler",
        lambda ctx: "/office/letters/posted/",
        ("letters",),
        a_letter,
    ),
    Target(
        "office: note on a case",
        "handler",
        lambda ctx: f"/office/claim/{ctx.case('claim').pk}/note/",
        fields_of(NoteAddForm),
        lambda ctx: {"text": "Gebeld"},
    ),
    Target(
        "office: give a case to a handler",
        "handler",
        lambda ctx: f"/office/complaint/{ctx.case('complaint').pk}/assign/",
        fields_of(AssignForm),
        lambda ctx: {"handler": str(ctx.world.handler.pk)},
    ),
    Target(
        "office: give several cases to a handler",
        "handler",
        lambda ctx: "/office/assign/",
        (*fields_of(BulkAssignForm), "next"),
        lambda ctx: {
            "handler": str(ctx.world.handler.pk),
            "cases": f"claim-{ctx.case('claim').pk}",
        },
    ),
    Target(
        "office: new project",
        "corporation_admin",
        lambda ctx: "/office/projects/new/",
        fields_of(ProjectForm),
        lambda ctx: {
            "name": "Nieuwbouw",
            "code": f"nb-{uuid.uuid4().hex[:6]}",
            "city": "Utrecht",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "phase": "preparation",
        },
    ),
    Target(
        "office: project set-up, the project",
        "corporation_admin",
        lambda ctx: f"/office/projects/{ctx.world.project.pk}/setup/",
        (*fields_of(ProjectForm, "p-"), "part"),
        lambda ctx: {"part": "project", "p-name": "Rivierenbuurt", "p-city": "Utrecht"},
    ),
    Target(
        "office: project set-up, the chase policy",
        "corporation_admin",
        lambda ctx: f"/office/projects/{ctx.world.project.pk}/setup/",
        fields_of(PolicyForm, "c-"),
        lambda ctx: {"part": "policy"},
    ),
    Target(
        "office: project set-up, a team member",
        "corporation_admin",
        lambda ctx: f"/office/projects/{ctx.world.project.pk}/setup/",
        (*fields_of(MemberForm, "m-"), "member"),
        lambda ctx: {"part": "member", "m-role": "handler"},
    ),
    Target(
        "office: project set-up, the corporation's logo",
        "corporation_admin",
        lambda ctx: f"/office/projects/{ctx.world.project.pk}/setup/",
        fields_of(LogoForm, "l-"),
        lambda ctx: {"part": "logo"},
        files=("l-logo",),
    ),
    Target(
        "office: address import",
        "corporation_admin",
        lambda ctx: f"/office/projects/{ctx.world.project.pk}/import/",
        (*fields_of(ImportForm), "confirm"),
        files=("file",),
    ),
]

# Every action form of the case page, on a fresh case in a state that offers it.
ACTION_TARGETS = [
    Target(
        f"office: {kind} action {action}",
        "handler",
        lambda ctx, kind=kind, action=action: (
            f"/office/{kind}/{ctx.case_for(kind, action).pk}/do/{action}/"
        ),
        fields_of(form, f"{action}-"),
    )
    for kind, actions in ACTION_FORMS.items()
    for action, form in actions.items()
]

RESIDENT_AND_SIGN_IN_FORMS = [
    Target(
        "resident: satisfaction score",
        None,
        lambda ctx: f"/s/{ctx.status_claim('settled')}/answer/",
        (*fields_of(SatisfactionForm), "lang"),
        lambda ctx: {"score": "8"},
    ),
    Target(
        "resident: add information",
        None,
        lambda ctx: f"/s/{ctx.status_claim('waiting_resident')}/information/",
        (*fields_of(InformationForm), "lang"),
        lambda ctx: {"text": "Zie foto"},
        files=("photos",),
    ),
    Target(
        "resident: yes or no to an offer",
        None,
        lambda ctx: (
            f"/s/{ctx.status_claim('compensation_offered', resident_answer='awaited')}/reply/"
        ),
        (*fields_of(ReplyForm), "lang"),
        lambda ctx: {"answer": "no", "step": "1"},
    ),
    Target(
        "resident: an appointment at home",
        None,
        lambda ctx: f"/s/{ctx.status_claim('assessing')}/works/{_appointment(ctx.world).pk}/",
        (*fields_of(AppointmentForm), "lang"),
        lambda ctx: {"answer": "move"},
    ),
    Target(
        "resident: updates on/off",
        None,
        lambda ctx: f"/s/{ctx.status_claim('assessing')}/updates/",
        ("updates", "lang"),
    ),
    Target(
        "sign in",
        None,
        lambda ctx: "/login/",
        (*fields_of(LoginForm), "next"),
        lambda ctx: {"login": "behandelaar@woonstede.nl", "password": "wrong"},
    ),
    Target(
        "password reset",
        None,
        lambda ctx: "/account/password/reset/",
        fields_of(ResetPasswordForm),
    ),
    Target(
        "change password",
        "handler",
        lambda ctx: "/account/password/change/",
        fields_of(ChangePasswordForm),
        lambda ctx: {"oldpassword": "wrong", "password1": "x", "password2": "y"},
    ),
    Target(
        "set up an authenticator app",
        "supervisor",
        lambda ctx: "/account/2fa/totp/activate/",
        ("code",),
    ),
    Target("language switch", None, lambda ctx: "/i18n/setlang/", ("language", "next")),
    Target(
        "my message settings",
        "supervisor",
        lambda ctx: "/account/messages/",
        fields_of(MessageSettingsForm),
        lambda ctx: {"email_delivery": "digest", "sms_delivery": "off"},
    ),
]

QUEUE_PARAMS = (*fields_of(QueueForm), "after")
GET_VIEWS = [
    Target("office: work queue", "handler", lambda ctx: "/office/", QUEUE_PARAMS, method="GET"),
    Target(
        "office: queue (htmx rows)",
        "handler",
        lambda ctx: "/office/",
        QUEUE_PARAMS,
        method="GET",
        headers=(("HX-Request", "true"),),
    ),
    *[
        Target(
            f"office: export {fmt}",
            "handler",
            lambda ctx, fmt=fmt: f"/office/export.{fmt}",
            QUEUE_PARAMS,
            method="GET",
        )
        for fmt in ("csv", "xlsx")
    ],
    Target(
        "office: dashboard export",
        "manager",
        lambda ctx: "/office/dashboard/export.csv",
        ("table",),
        method="GET",
    ),
    Target(
        "office: project dashboard export",
        "manager",
        lambda ctx: f"/office/projects/{ctx.world.project.pk}/dashboard/export.xlsx",
        ("table",),
        method="GET",
    ),
    Target(
        "phone: project round and search",
        "supervisor",
        lambda ctx: f"/m/p/{ctx.world.project.pk}/",
        ("q", "page"),
        method="GET",
    ),
    Target(
        "phone: search (htmx)",
        "supervisor",
        lambda ctx: f"/m/p/{ctx.world.project.pk}/",
        ("q", "page"),
        method="GET",
        headers=(("HX-Request", "true"),),
    ),
    Target(
        "phone: dwelling timeline",
        "supervisor",
        lambda ctx: f"/m/d/{ctx.world.dwelling.pk}/",
        ("before",),
        method="GET",
    ),
    Target(
        "resident: status page",
        None,
        lambda ctx: f"/s/{ctx.status_claim('assessing')}/",
        ("lang", "done"),
        method="GET",
    ),
    Target("sign-in page", None, lambda ctx: "/login/", ("next",), method="GET"),
    Target(
        "admin: claim list",
        "staff",
        lambda ctx: "/admin/cases/damageclaim/",
        ("q", "o", "p", "status__exact"),
        method="GET",
    ),
]

TARGETS = [*PHONE_FORMS, *OFFICE_FORMS, *ACTION_TARGETS, *RESIDENT_AND_SIGN_IN_FORMS, *GET_VIEWS]


def _case_for(ctx: Ctx, kind: str, action: str):
    """A fresh case in which the handler is offered `action` (the first state found; for
    a claim also with the resident's answer awaited or given)."""
    model = {"claim": DamageClaim, "complaint": Complaint, "promise": Promise}[kind]
    answers = [None, *DamageClaim.Answer.values] if kind == "claim" else [None]
    for status in model.Status.values:
        for answer in answers:
            case = ctx.case(kind, status)
            if answer:
                case.resident_answer = answer
                case.save(update_fields=["resident_answer"])
            if action in allowed_actions(case, ctx.world.handler, TABLES[kind]):
                return case
            case.delete()
    raise AssertionError(f"no status offers {kind} {action}")


Ctx.case_for = _case_for  # type: ignore[attr-defined]


def _value(field: str, payload: str, target: Target) -> Any:
    if field in target.files:
        return SimpleUploadedFile("foto.jpg", payload.encode(), content_type="image/jpeg")
    return payload


def _check(target: Target, field: str, what: str, response) -> None:
    where = f"{target.name} / {field} / {what}: {response.status_code}"
    assert response.status_code < 500, where
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    assert SCRIPT not in html, where
    assert not any(chr(code) in html for code in BIDI_CONTROLS), where
    refused = response.status_code in (200, 400, 409, 413, 422)
    if target.method == "POST" and refused:
        assert any(marker in html for marker in ERROR_MARKERS), where


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
def test_hostile_input_never_breaks_a_page(world, settings, monkeypatch, tmp_path, target):
    settings.STATUS_LINK_RATE_PER_IP = settings.STATUS_LINK_RATE_PER_TOKEN = 100_000
    settings.SMS_BACKEND = "cases.sms.MemorySmsBackend"
    monkeypatch.setattr("office.views.projects.IMPORT_DIR", tmp_path / "imports")
    client = Client(raise_request_exception=True)
    if target.user:
        client.force_login(getattr(world, target.user))
    ctx = Ctx(world)
    sent = 0
    for field in target.fields:
        for what, payload in PAYLOADS.items():
            data = {**target.base(ctx), field: _value(field, payload, target)}
            url = target.url(ctx)
            headers = dict(target.headers)
            if target.method == "GET":
                response = client.get(url, data, headers=headers)
            else:
                response = client.post(url, data, headers=headers)
            _check(target, field, what, response)
            sent += 1
    assert sent == len(target.fields) * len(PAYLOADS)


def test_the_table_sends_this_many_requests():
    total = sum(len(t.fields) for t in TARGETS) * len(PAYLOADS)
    print(f"fuzz: {len(TARGETS)} targets, {total} requests")
    assert total > 500
