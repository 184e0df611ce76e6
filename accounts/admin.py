from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin_scope import ScopedModelAdmin, ScopedRelatedFilter
from .models import Organisation, User

# Only platform staff hand out rights or move people between organisations.
RIGHTS_FIELDS = ["is_superuser", "is_staff", "groups", "user_permissions", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def scope(self, queryset: QuerySet, user: User) -> QuerySet:
        return queryset.filter(pk=user.organisation_id)


@admin.register(User)
class UserAdmin(ScopedModelAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "organisation", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff", ("organisation", ScopedRelatedFilter)]
    list_select_related = ["organisation"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "phone", "language"]}),
        (_("Work"), {"fields": ["organisation", "role"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "organisation", "role", "password1", "password2"],
            },
        ),
    ]

    def scope(self, queryset: QuerySet, user: User) -> QuerySet:
        return queryset.filter(organisation_id=user.organisation_id, is_superuser=False)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, *RIGHTS_FIELDS]

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not request.user.is_superuser and not change:
            # A user an organisation administrator adds belongs to their organisation.
            obj.organisation_id = request.user.organisation_id
        super().save_model(request, obj, form, change)
