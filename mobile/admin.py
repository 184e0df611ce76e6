from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_scope import ScopedModelAdmin

from .models import CareNeedAccess


@admin.register(CareNeedAccess)
class CareNeedAccessAdmin(ScopedModelAdmin):
    """Read-only: an access log that can be edited proves nothing."""

    list_display = ["at", "user", "resident", "purpose"]
    list_select_related = ["user", "resident"]
    raw_id_fields = ["user", "resident"]
    search_fields = ["user__email", "resident__last_name"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
