"""The Django admin under the same need-to-know rule as the rest of Woonrust.

Platform staff (superusers) see everything. An organisation's administrator with staff
status sees only what `visible_to` lets them see, and cannot hand out rights.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import User

# Apps whose models an organisation administrator may look at in the admin.
DOMAIN_APPS = ["accounts", "projects", "residents", "cases", "mobile", "statuslink"]
# What they may add or change there; everything else is view-only for them.
EDITABLE = {
    "accounts": ["user"],
    "projects": ["project", "projectmember", "dwelling", "workwindow"],
    "residents": ["resident", "careneed"],
    "cases": ["chasepolicy"],
}
ADMINISTRATORS_GROUP = "Organisation administrators"


class ScopedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows, for anyone but platform staff, are limited by `scope`."""

    def scope(self, queryset: QuerySet, user: User) -> QuerySet:
        return queryset.visible_to(user)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope(queryset, request.user)


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A filter on a related object that offers only the objects the user may see."""

    def field_choices(self, field, request: HttpRequest, model_admin) -> list[tuple]:
        related = field.remote_field.model._default_manager.all()
        if not request.user.is_superuser:
            if hasattr(related, "visible_to"):
                related = related.visible_to(request.user)
            else:  # organisations
                related = related.filter(pk=request.user.organisation_id)
        return [(obj.pk, str(obj)) for obj in related]


def administrators_group() -> Group:
    """The group that gives organisation administrators their admin rights (idempotent)."""
    group, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
    allowed = [
        p
        for p in wanted
        if p.codename.startswith("view_")
        or (
            p.codename.split("_", 1)[0] in {"add", "change"}
            and p.content_type.model in EDITABLE.get(p.content_type.app_label, [])
        )
    ]
    group.permissions.set(allowed)
    return group
