from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_scope import ScopedModelAdmin, ScopedRelatedFilter, ScopedTabularInline

from .models import Dwelling, Project, ProjectMember, WorkWindow


class ProjectMemberInline(ScopedTabularInline):
    model = ProjectMember
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(ScopedModelAdmin):
    list_display = [
        "name",
        "code",
        "corporation",
        "contractor",
        "city",
        "phase",
        "starts_on",
        "ends_on",
    ]
    list_filter = [
        "phase",
        ("corporation", ScopedRelatedFilter),
        ("contractor", ScopedRelatedFilter),
    ]
    list_select_related = ["corporation", "contractor"]
    search_fields = ["name", "code", "city"]
    autocomplete_fields = ["corporation", "contractor", "corporation_contact"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [ProjectMemberInline]
    # Which organisations a project belongs to decides who sees it: platform staff's call.
    ownership_fields = ["corporation", "contractor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # An organisation administrator starts a project in the back-office's project
        # set-up, which puts their own organisation on it; here they could name none.
        return request.user.is_superuser and super().has_add_permission(request)


@admin.register(ProjectMember)
class ProjectMemberAdmin(ScopedModelAdmin):
    list_display = ["user", "role", "project"]
    list_filter = ["role", ("project", ScopedRelatedFilter)]
    list_select_related = ["user", "project"]
    search_fields = ["user__email", "user__full_name", "project__name"]
    autocomplete_fields = ["user", "project"]


class WorkWindowInline(ScopedTabularInline):
    model = WorkWindow
    extra = 0


@admin.register(Dwelling)
class DwellingAdmin(ScopedModelAdmin):
    list_display = ["__str__", "block", "project"]
    list_filter = [("project", ScopedRelatedFilter)]
    list_select_related = ["project"]
    search_fields = ["street", "postcode", "city", "external_ref"]
    autocomplete_fields = ["project"]
    show_full_result_count = False
    inlines = [WorkWindowInline]


@admin.register(WorkWindow)
class WorkWindowAdmin(ScopedModelAdmin):
    # The resident's answer stays editable: after a new date is agreed, clearing it asks
    # the resident again on their status page.
    list_display = ["description", "dwelling", "starts_on", "ends_on", "resident_answer"]
    list_filter = ["starts_on", "needs_access", "resident_answer"]
    list_select_related = ["dwelling"]
    search_fields = ["description", "dwelling__street", "dwelling__postcode"]
    raw_id_fields = ["dwelling"]
    date_hierarchy = "starts_on"
    show_full_result_count = False
