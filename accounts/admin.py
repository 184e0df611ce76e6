from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin_scope import ScopedModelAdmin, ScopedRelatedFilter
from .models import Absence, Organisation, User

# Only platform staff hand out rights or move people between organisations.
RIGHTS_FIELDS = ["is_superuser", "is_staff", "groups", "user_permissions", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def scope(self, queryset: QuerySet, user: User) -> QuerySet:
        # Their own organisation only, not the partners they may pick elsewhere.
        queryset = super().scope(queryset, user)
        return queryset if user.is_superuser else queryset.filter(pk=user.organisation_id)


# Rights are platform staff's business: groups are visible to them only.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ScopedModelAdmin, BaseGroupAdmin):
    pass


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

    ownership_fields = RIGHTS_FIELDS

    def scope(self, queryset: QuerySet, user: User) -> QuerySet:
        # The users they administer: their own organisation's, not the partners' they
        # may pick as team members.
        if user.is_superuser:
            return queryset
        return queryset.filter(organisation_id=user.organisation_id, is_superuser=False)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not request.user.is_superuser and not change:
            # A user an organisation administrator adds belongs to their organisation.
            obj.organisation_id = request.user.organisation_id
        super().save_model(request, obj, form, change)


class AuthenticatorAdmin(ScopedModelAdmin):
    """A person's second factors, for platform staff only (no rule in admin_scope), and
    only to remove one when its phone or key is lost: the secret itself is never shown
    and a factor is never added or edited here."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Absence)
class AbsenceAdmin(ScopedModelAdmin):
    """An administrator sets cover for a colleague who could not (ill, suddenly away)."""

    list_display = ["person", "deputy", "starts_on", "ends_on"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["person", "deputy"]

    # Cover is arranged within one's own organisation: a partner's people are seen in
    # the admin, but whose work goes to whom is theirs to decide.
    def scope(self, queryset: QuerySet, user: User) -> QuerySet:
        queryset = super().scope(queryset, user)
        if user.is_superuser:
            return queryset
        return queryset.filter(person__organisation_id=user.organisation_id)

    def get_field_queryset(self, db, db_field, request: HttpRequest) -> QuerySet:
        queryset = super().get_field_queryset(db, db_field, request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation_id=request.user.organisation_id)
