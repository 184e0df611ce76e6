"""The Django admin under the same need-to-know rule as the rest of Woonrust.

Platform staff (superusers) see everything except care needs of projects they are not on
the team of. Anyone else with staff status sees only what `visible` lets them see, and
cannot hand out rights or move things between organisations.

Everything the admin shows or accepts goes through `visible(model, user)`: the rows of a
changelist, change page, history, delete page and bulk action (`get_queryset`), the
choices of every foreign-key and many-to-many field, inlines and raw-id and autocomplete
widgets included (`get_field_queryset`, so a foreign id in a POST is a normal form
error), pre-filled ids in the query string (`get_changeform_initial_data`), related-object
filters and the autocomplete endpoint (it asks the target model's admin for its
queryset). Every admin derives from `ScopedModelAdmin` and every inline from
`ScopedInline`; a test checks that nothing registered escapes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User

# Apps whose models an organisation administrator may look at in the admin.
DOMAIN_APPS = ["accounts", "projects", "residents", "cases", "mobile", "statuslink"]
# What they may add or change there; everything else is view-only for them.
EDITABLE = {
    "accounts": ["user", "absence"],
    "projects": ["project", "projectmember", "dwelling", "workwindow"],
    "residents": ["resident", "careneed"],
    "cases": ["chasepolicy"],
}
ADMINISTRATORS_GROUP = "Organisation administrators"

Rule = Callable[[QuerySet, User], QuerySet]


def _projects(user: User) -> QuerySet:
    from projects.models import Project

    return Project.objects.visible_to(user)


def _partner_organisations(user: User) -> QuerySet:
    """The user's own organisation and those it works with on a project they may see."""
    projects = _projects(user)
    return Organisation.objects.filter(
        Q(pk=user.organisation_id)
        | Q(pk__in=projects.values("corporation_id"))
        | Q(pk__in=projects.values("contractor_id"))
    )


def _users(queryset: QuerySet, user: User) -> QuerySet:
    # The people one works with: colleagues of the organisations on one's projects and
    # the members of those projects' teams. Never platform staff otherwise.
    from projects.models import ProjectMember

    on_teams = ProjectMember.objects.filter(project__in=_projects(user)).values("user_id")
    return queryset.filter(
        Q(organisation__in=_partner_organisations(user), is_superuser=False) | Q(pk__in=on_teams)
    )


def care_need_projects(user: User) -> QuerySet:
    """The projects whose care needs this user may read: those they are on the team of.

    Not all of an organisation's projects for its administrators, and not every project
    for platform staff: care needs are special-category data (GDPR Art. 9), seen by the
    team that needs them, as on the phone.
    """
    from projects.models import ProjectMember

    on_team = ProjectMember.objects.filter(user=user).values("project_id")
    return _projects(user).filter(pk__in=on_team)


def _care_needs(queryset: QuerySet, user: User) -> QuerySet:
    return queryset.filter(resident__dwelling__project__in=care_need_projects(user))


def _through(path: str, model_label: str) -> Rule:
    """Rows visible because the object at `path` is visible."""

    def rule(queryset: QuerySet, user: User) -> QuerySet:
        from django.apps import apps

        related = apps.get_model(model_label)._default_manager.all()
        return queryset.filter(**{f"{path}__in": visible_rows(related, user)})

    return rule


def _notifications(queryset: QuerySet, user: User) -> QuerySet:
    from cases.models import Complaint, DamageClaim, Promise

    return queryset.filter(
        Q(claim__in=DamageClaim.objects.visible_to(user))
        | Q(complaint__in=Complaint.objects.visible_to(user))
        | Q(promise__in=Promise.objects.visible_to(user))
    )


# Models whose query set has no `visible_to` of its own. A model in neither place is
# visible to platform staff only (fail closed).
RULES: dict[str, Rule] = {
    "accounts.organisation": lambda qs, user: qs.filter(pk__in=_partner_organisations(user)),
    "accounts.user": _users,
    "accounts.absence": _through("person", "accounts.user"),
    "projects.projectmember": _through("project", "projects.project"),
    "projects.workwindow": _through("dwelling", "projects.dwelling"),
    "residents.careneed": _care_needs,
    "cases.claimphoto": _through("claim", "cases.damageclaim"),
    "cases.chasepolicy": _through("project", "projects.project"),
    "cases.notification": _notifications,
    "mobile.careneedaccess": _through("resident", "residents.resident"),
}
# Rules that hold for platform staff too.
STAFF_TOO = {"residents.careneed"}


def visible_rows(queryset: QuerySet, user: User) -> QuerySet:
    """The rows of `queryset` this user may see in the admin: the one rule it obeys."""
    label = queryset.model._meta.label_lower
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser and label not in STAFF_TOO:
        return queryset
    if label in RULES:
        return RULES[label](queryset, user)
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset.none()


def visible(model: type[Model], user: User) -> QuerySet:
    return visible_rows(model._default_manager.all(), user)


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that names the chosen object only when the user may see it.

    Django's widget looks the id up in all rows, so a foreign id typed into the box or
    pre-filled in the address would print that object's name beside it.
    """

    def __init__(self, *args, visible_queryset: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.visible_queryset = visible_queryset

    def label_and_url_for_value(self, value) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            obj = self.visible_queryset.using(self.db).get(**{key: value})
        except (ValueError, ValidationError, self.rel.model.DoesNotExist):
            return "", ""
        opts = obj._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=(obj.pk,),
            )
        except NoReverseMatch:
            url = ""  # the related model has no admin
        return Truncator(obj).words(14), url


class ScopedFields:
    """Choices of related fields, raw ids and pre-filled ids limited to visible rows.

    Shared by `ScopedModelAdmin` and `ScopedInline`.
    """

    # Fields that say who owns a row (a project's organisations, a user's organisation):
    # read-only for anyone but platform staff.
    ownership_fields: list[str] = []

    def get_field_queryset(self, db, db_field, request: HttpRequest) -> QuerySet:
        queryset = super().get_field_queryset(db, db_field, request)  # type: ignore[misc]
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return visible_rows(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        # In the user's language, like the office forms, instead of Django's "---------".
        kwargs.setdefault("empty_label", _("- Choose an option -"))
        if "widget" not in kwargs and db_field.name in self.raw_id_fields:  # type: ignore[attr-defined]
            kwargs["queryset"] = self.get_field_queryset(kwargs.get("using"), db_field, request)
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
                visible_queryset=kwargs["queryset"],
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if request.user.is_superuser:
            return readonly
        return [*readonly, *(f for f in self.ownership_fields if f not in readonly)]


class ScopedModelAdmin(ScopedFields, admin.ModelAdmin):
    """A ModelAdmin whose rows, choices and pre-filled values obey `visible`."""

    def scope(self, queryset: QuerySet, user: User) -> QuerySet:
        """The rows this admin lists; narrower than `visible` for some (own users)."""
        return visible_rows(queryset, user)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope(super().get_queryset(request), request.user)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """Pre-filled values from the address, without ids the user may not see."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not (field.many_to_one or field.many_to_many or field.one_to_one):
                continue
            ids = value if isinstance(value, list) else [value]
            key = field.target_field.name if field.many_to_one else "pk"
            try:
                seen = visible(field.related_model, request.user).filter(**{f"{key}__in": ids})
                allowed = seen.count() == len(set(ids))
            except (ValueError, ValidationError):
                allowed = False
            if not allowed:
                del initial[name]
        return initial

    def get_list_filter(self, request: HttpRequest) -> list:
        # A plain related-field filter lists every row of the related table.
        wrapped = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and "__" not in item:
                field = self.model._meta.get_field(item)
                if field.is_relation:
                    item = (item, ScopedRelatedFilter)
            wrapped.append(item)
        return wrapped


class ScopedInline(ScopedFields, admin.options.InlineModelAdmin):
    """An inline whose rows and choices obey `visible`."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return visible_rows(super().get_queryset(request), request.user)


class ScopedTabularInline(ScopedInline, admin.TabularInline):
    pass


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A filter on a related object that offers only the objects the user may see."""

    def field_choices(self, field, request: HttpRequest, model_admin) -> list[tuple]:
        related = visible(field.remote_field.model, request.user)
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
