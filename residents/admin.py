from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.admin_scope import ScopedModelAdmin, ScopedTabularInline, care_need_projects
from mobile.models import care_needs_seen

from .models import CareNeed, Resident, Visit

# What the access log says a read in the administration was for.
ADMIN_PURPOSE = "administration"


def may_see_care_needs(request: HttpRequest, resident: Resident) -> bool:
    """Care needs are for the resident's project team, not every administrator."""
    projects = care_need_projects(request.user)
    return projects.filter(pk=resident.dwelling.project_id).exists()


class CareNeedInline(ScopedTabularInline):
    model = CareNeed
    extra = 0


@admin.register(Resident)
class ResidentAdmin(ScopedModelAdmin):
    list_display = ["__str__", "dwelling", "phone", "email", "language", "contact_channel"]
    list_filter = ["language", "contact_channel", "non_essential_messages"]
    list_select_related = ["dwelling"]
    search_fields = ["first_name", "last_name", "phone", "email", "dwelling__postcode"]
    raw_id_fields = ["dwelling"]
    show_full_result_count = False
    inlines = [CareNeedInline]

    def get_inlines(self, request: HttpRequest, obj: Resident | None) -> list:
        # On the add page the project is not known yet: care needs come after.
        if obj is None or not may_see_care_needs(request, obj):
            return []
        return super().get_inlines(request, obj)

    def render_change_form(
        self, request: HttpRequest, context: dict, add=False, change=False, form_url="", obj=None
    ):
        # The care-need inline shows them: that is a look for the access log. Its rows are
        # the ones the page will show (the formset keeps them for the template).
        shown = any(
            isinstance(inline.opts, CareNeedInline) and inline.formset.get_queryset()
            for inline in context.get("inline_admin_formsets", [])
        )
        if obj is not None and shown:
            care_needs_seen(by=request.user, residents=[obj], purpose=ADMIN_PURPOSE)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(CareNeed)
class CareNeedAdmin(ScopedModelAdmin):
    """Only the resident's project team sees these (see `care_need_projects`), and
    every look is written to the same access log as on the phone."""

    list_display = ["resident", "kind", "note"]
    list_filter = ["kind"]
    list_select_related = ["resident"]
    search_fields = ["resident__last_name", "note"]
    raw_id_fields = ["resident"]

    def get_field_queryset(self, db, db_field, request: HttpRequest) -> QuerySet:
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name == "resident":
            queryset = queryset.filter(dwelling__project__in=care_need_projects(request.user))
        return queryset

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        # The change, history and delete pages all show the care need.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            care_needs_seen(by=request.user, residents=[obj.resident], purpose=ADMIN_PURPOSE)
        return obj

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = {need.resident for need in changelist.result_list}
            care_needs_seen(by=request.user, residents=shown, purpose=ADMIN_PURPOSE)
        return response


@admin.register(Visit)
class VisitAdmin(ScopedModelAdmin):
    list_display = ["visited_at", "dwelling", "visited_by", "kind", "outcome", "mood"]
    list_filter = ["kind", "outcome", "mood"]
    list_select_related = ["dwelling", "visited_by"]
    search_fields = ["dwelling__street", "dwelling__postcode", "note"]
    raw_id_fields = ["dwelling", "visited_by"]
    date_hierarchy = "visited_at"
    show_full_result_count = False
