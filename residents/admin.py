from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from accounts.admin_scope import ScopedModelAdmin
from accounts.models import User

from .models import CareNeed, Resident, Visit


class CareNeedInline(admin.TabularInline):
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


@admin.register(CareNeed)
class CareNeedAdmin(ScopedModelAdmin):
    list_display = ["resident", "kind", "note"]
    list_filter = ["kind"]
    list_select_related = ["resident"]
    search_fields = ["resident__last_name", "note"]
    raw_id_fields = ["resident"]

    def scope(self, queryset: QuerySet, user: User) -> QuerySet:
        return queryset.filter(resident__in=Resident.objects.visible_to(user))


@admin.register(Visit)
class VisitAdmin(ScopedModelAdmin):
    list_display = ["visited_at", "dwelling", "visited_by", "kind", "outcome", "mood"]
    list_filter = ["kind", "outcome", "mood"]
    list_select_related = ["dwelling", "visited_by"]
    search_fields = ["dwelling__street", "dwelling__postcode", "note"]
    raw_id_fields = ["dwelling", "visited_by"]
    date_hierarchy = "visited_at"
    show_full_result_count = False
