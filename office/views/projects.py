"""Project set-up: the list, a new project, the project with its team and chase policy,
and the address import with a preview."""

from __future__ import annotations

import contextlib
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from cases.models import ChasePolicy
from projects import imports
from projects.models import ProjectMember
from projects.services import project_create, project_member_add, project_member_remove

from ..access import (
    OfficeRequest,
    get_project_for_setup,
    may_create_projects,
    office_projects,
    office_view,
)
from ..setup_forms import ImportForm, LogoForm, MemberForm, PolicyForm, ProjectForm

IMPORT_DIR = Path(settings.VAR_DIR) / "imports"
SESSION_KEY = "office_import"
# An uploaded file waits this long for its confirmation; older ones are removed.
PREVIEW_LIFETIME = 24 * 3600


def _remove_stale_previews() -> None:
    cutoff = time.time() - PREVIEW_LIFETIME
    for path in IMPORT_DIR.glob("*.*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def import_summary(result: Any) -> str:
    """What an import did, each count with its own plural ("1 nieuw adres")."""
    n = {
        "created": result.created,
        "updated": result.updated,
        "rc": result.residents_created,
        "ru": result.residents_updated,
        "skipped": result.skipped,
    }
    parts = [
        ngettext("%(created)s new address", "%(created)s new addresses", n["created"]) % n,
        ngettext("%(updated)s address updated", "%(updated)s addresses updated", n["updated"]) % n,
        ngettext("%(rc)s resident added", "%(rc)s residents added", n["rc"]) % n,
        ngettext("%(ru)s resident updated", "%(ru)s residents updated", n["ru"]) % n,
        ngettext("%(skipped)s row skipped", "%(skipped)s rows skipped", n["skipped"]) % n,
    ]
    return _("Imported: %(parts)s.") % {"parts": ", ".join(parts)}


@require_GET
@office_view
def project_list(request: OfficeRequest) -> HttpResponse:
    projects = list(
        office_projects(request.user).select_related("corporation", "contractor").order_by("name")
    )
    managed = set(
        ProjectMember.objects.filter(
            user=request.user, role=ProjectMember.Role.MANAGER
        ).values_list("project_id", flat=True)
    )
    for p in projects:
        p.may_set_up = (
            request.user.is_superuser
            or (
                request.user.is_administrator
                and request.user.organisation_id in (p.corporation_id, p.contractor_id)
            )
            or p.pk in managed
        )
    return render(
        request,
        "office/projects.html",
        {
            "projects": projects,
            "may_create": may_create_projects(request.user),
            "section": "projects",
        },
    )


@require_http_methods(["GET", "POST"])
@office_view
def project_new(request: OfficeRequest) -> HttpResponse:
    if not may_create_projects(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        project = project_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("Project created. Now add its team and addresses."))
        return HttpResponseRedirect(reverse("office:project_setup", args=[project.pk]))
    return render(
        request,
        "office/project_new.html",
        {"form": form, "section": "projects"},
        status=400 if form.is_bound else 200,
    )


def _people(project) -> list[User]:
    return list(
        User.objects.filter(
            Q(organisation_id=project.corporation_id) | Q(organisation_id=project.contractor_id),
            is_active=True,
        ).order_by("full_name", "email")
    )


@require_http_methods(["GET", "POST"])
@office_view
def project_setup(request: OfficeRequest, pk: int) -> HttpResponse:
    project = get_project_for_setup(request.user, pk)
    policy = ChasePolicy.for_project(project)
    people = _people(project)
    part = request.POST.get("part", "")
    data = request.POST if request.method == "POST" else None
    project_form = ProjectForm(
        data if part == "project" else None, instance=project, user=request.user, prefix="p"
    )
    policy_form = PolicyForm(data if part == "policy" else None, instance=policy, prefix="c")
    member_form = MemberForm(data if part == "member" else None, people=people, prefix="m")
    # The logo is the corporation's: only its administrators (and platform staff) set it.
    may_set_logo = request.user.is_superuser or (
        request.user.is_administrator and request.user.organisation_id == project.corporation_id
    )
    logo_form = LogoForm(
        data if part == "logo" else None,
        request.FILES if part == "logo" else None,
        prefix="l",
    )
    if request.method == "POST":
        done = False
        if part == "project" and project_form.is_valid():
            project_form.save()
            done = True
        elif part == "policy" and policy_form.is_valid():
            policy_form.save()
            done = True
        elif part == "member" and member_form.is_valid():
            project_member_add(
                project=project,
                user=member_form.cleaned_data["user"],
                role=member_form.cleaned_data["role"],
            )
            done = True
        elif part == "logo" and may_set_logo and logo_form.is_valid():
            corporation = project.corporation
            corporation.logo = (
                b"" if logo_form.cleaned_data["remove"] else (logo_form.cleaned_data["logo"])
            )
            corporation.save(update_fields=["logo"])
            done = True
        elif part == "remove":
            member_id = request.POST.get("member", "")
            if member_id.isdigit():
                project_member_remove(project=project, member_id=int(member_id))
                done = True
        if done:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("office:project_setup", args=[project.pk]))
        if part == "logo" and not may_set_logo:
            raise PermissionDenied
        if part not in ("project", "policy", "member", "logo"):
            # A post that names no form of this page (tampered, or a stale page) still
            # gets a message, not a silent 400.
            messages.error(request, _("Nothing was saved. Send the form again from this page."))
    members = list(project.members.select_related("user").order_by("role", "user__full_name"))
    context = {
        "project": project,
        "project_form": project_form,
        "policy_form": policy_form,
        "member_form": member_form,
        "logo_form": logo_form if may_set_logo else None,
        "members": members,
        "section": "projects",
    }
    return render(
        request,
        "office/project_setup.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _stored(request: OfficeRequest, project_pk: int, token: str) -> Path | None:
    saved: dict[str, Any] = request.session.get(SESSION_KEY, {})
    entry = saved.get(token)
    if not entry or entry.get("project") != project_pk:
        return None
    path = IMPORT_DIR / Path(entry["file"]).name
    return path if path.exists() else None


@require_http_methods(["GET", "POST"])
@office_view
def project_import(request: OfficeRequest, pk: int) -> HttpResponse:
    """Upload → preview (nothing written) → confirm → import of the good rows."""
    project = get_project_for_setup(request.user, pk)
    context: dict[str, Any] = {"project": project, "section": "projects"}
    status = 200
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.POST["confirm"]
        path = _stored(request, project.pk, token)
        if path is None:
            messages.error(request, _("That preview has expired. Upload the file again."))
            return HttpResponseRedirect(reverse("office:project_import", args=[project.pk]))
        try:
            with path.open("rb") as handle:
                preview = imports.parse(project, handle, path.name)
        except imports.UnreadableFile as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(reverse("office:project_import", args=[project.pk]))
        result = imports.apply(project, preview)
        path.unlink(missing_ok=True)
        saved = request.session.get(SESSION_KEY, {})
        saved.pop(token, None)
        request.session[SESSION_KEY] = saved
        messages.success(request, import_summary(result))
        return HttpResponseRedirect(reverse("office:project_setup", args=[project.pk]))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                preview = imports.parse(project, upload, upload.name)
            except imports.UnreadableFile as error:
                form.add_error("file", error.message)
            else:
                status = 200
                suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
                token = uuid.uuid4().hex
                IMPORT_DIR.mkdir(parents=True, exist_ok=True)
                _remove_stale_previews()
                upload.seek(0)
                (IMPORT_DIR / f"{token}{suffix}").write_bytes(upload.read())
                saved = request.session.get(SESSION_KEY, {})
                saved[token] = {"project": project.pk, "file": f"{token}{suffix}"}
                request.session[SESSION_KEY] = saved
                context.update({"preview": preview, "token": token})
    context["form"] = form
    return render(request, "office/project_import.html", context, status=status)
