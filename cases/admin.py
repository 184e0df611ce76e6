from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_scope import ScopedModelAdmin, ScopedRelatedFilter, ScopedTabularInline

from .models import (
    ChasePolicy,
    ClaimPhoto,
    Complaint,
    DamageClaim,
    Notification,
    Promise,
    TimelineEvent,
)
from .models.base import Case
from .services.errors import TransitionRefused

CASE_RAW_IDS = ["project", "dwelling", "resident", "handler", "created_by"]
# State and chase bookkeeping change only through cases.services (which checks the
# transition and records it); the admin shows them but cannot edit them.
CHASE_READONLY = list(Case.CHASE_FIELDS)


# The link's hash and secret are never shown or edited; the link changes only through the
# actions below (statuslink.services), which record it on the timeline.
STATUS_LINK_HIDDEN = ["status_token", "status_link_secret"]
STATUS_LINK_READONLY = ["status_link_issued_at", "status_link_revoked_at"]


@admin.action(description=gettext_lazy("Make a new status link and send it to the resident"))
def reissue_status_link(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> None:
    from statuslink.services import status_link_reissue
    from statuslink.tokens import link_url

    for case in queryset:
        try:
            token = status_link_reissue(case=case, by=request.user)
        except TransitionRefused as refused:
            modeladmin.message_user(request, f"{case}: {refused.message}", messages.ERROR)
            continue
        modeladmin.message_user(
            request,
            _("%(case)s: new status link %(link)s (the old one no longer works).")
            % {"case": case, "link": link_url(token)},
            messages.SUCCESS,
        )


@admin.action(description=gettext_lazy("Switch off the status link"))
def revoke_status_link(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset) -> None:
    from statuslink.services import status_link_revoke

    for case in queryset:
        try:
            status_link_revoke(case=case, by=request.user)
        except TransitionRefused as refused:
            modeladmin.message_user(request, f"{case}: {refused.message}", messages.ERROR)
            continue
        modeladmin.message_user(
            request, _("%(case)s: status link switched off.") % {"case": case}, messages.SUCCESS
        )


class CaseAdmin(ScopedModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        # A case starts its lifecycle (first deadline, resident told, chase scheduled)
        # only through claim_report / complaint_record / promise_record.
        return False


class ClaimPhotoInline(ScopedTabularInline):
    model = ClaimPhoto
    extra = 0
    fields = ["image", "thumbnail", "width", "height", "caption", "uploaded_by", "uploaded_at"]
    readonly_fields = ["width", "height", "uploaded_by", "uploaded_at"]


@admin.register(DamageClaim)
class DamageClaimAdmin(CaseAdmin):
    list_display = [
        "number",
        "status",
        "dwelling",
        "project",
        "damage_kind",
        "amount_claimed",
        "handler",
        "step_due_at",
        "next_chase_at",
    ]
    list_filter = ["status", "damage_kind", "responsible_party", ("project", ScopedRelatedFilter)]
    list_select_related = ["dwelling", "project", "handler"]
    search_fields = ["id", "description", "dwelling__street", "dwelling__postcode"]
    raw_id_fields = CASE_RAW_IDS
    readonly_fields = [
        *CHASE_READONLY,
        "objection_used",
        "objection_deadline",
        "closed_at",
        "settle_due_at",
        "paused_due_at",
        "decided_at",
        "settled_at",
        "expert_requested_at",
        "expert_reported_at",
        # The resident's yes or no is a lifecycle step (claim_answers.py), not an edit.
        "resident_answer",
        "resident_answer_at",
        "resident_answer_reason",
    ]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [ClaimPhotoInline]
    exclude = STATUS_LINK_HIDDEN
    actions = [reissue_status_link, revoke_status_link]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), *STATUS_LINK_READONLY]


@admin.register(Complaint)
class ComplaintAdmin(CaseAdmin):
    list_display = [
        "number",
        "status",
        "stage",
        "category",
        "dwelling",
        "project",
        "handler",
        "step_due_at",
    ]
    list_filter = ["status", "stage", "category", ("project", ScopedRelatedFilter)]
    list_select_related = ["dwelling", "project", "handler"]
    search_fields = ["id", "description", "dwelling__street", "dwelling__postcode"]
    raw_id_fields = [*CASE_RAW_IDS, "stage_one_handler"]
    readonly_fields = [
        *CHASE_READONLY,
        "stage",
        "stage_one_handler",
        "acknowledged_at",
        "answered_at",
        "extended",
        "closed_at",
    ]
    date_hierarchy = "created_at"
    show_full_result_count = False
    exclude = STATUS_LINK_HIDDEN
    actions = [reissue_status_link, revoke_status_link]

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), *STATUS_LINK_READONLY]


@admin.register(Promise)
class PromiseAdmin(CaseAdmin):
    list_display = ["number", "status", "description", "due_on", "dwelling", "created_by"]
    list_filter = ["status", ("project", ScopedRelatedFilter)]
    list_select_related = ["dwelling", "created_by"]
    search_fields = ["id", "description", "dwelling__street", "dwelling__postcode"]
    raw_id_fields = CASE_RAW_IDS
    # The chase and the resident's answer set these, never a person.
    readonly_fields = [*CHASE_READONLY, "done_at", "work_window", "appointment"]
    date_hierarchy = "due_on"
    show_full_result_count = False


@admin.register(ClaimPhoto)
class ClaimPhotoAdmin(ScopedModelAdmin):
    list_display = ["id", "claim", "width", "height", "uploaded_by", "uploaded_at"]
    list_select_related = ["claim", "uploaded_by"]
    search_fields = ["claim__id", "caption"]
    raw_id_fields = ["claim", "uploaded_by"]
    show_full_result_count = False


@admin.register(TimelineEvent)
class TimelineEventAdmin(ScopedModelAdmin):
    """Read-only: the timeline is append-only."""

    list_display = ["at", "kind", "dwelling", "claim", "complaint", "promise", "actor", "to_status"]
    list_filter = ["kind"]
    list_select_related = ["dwelling", "claim", "complaint", "promise", "actor"]
    search_fields = ["text", "dwelling__postcode"]
    raw_id_fields = ["dwelling", "claim", "complaint", "promise", "visit", "actor"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChasePolicy)
class ChasePolicyAdmin(ScopedModelAdmin):
    list_display = [
        "project",
        "claim_contact_days",
        "claim_decision_days",
        "claim_settle_days",
        "reminder_every_days",
        "escalate_to_manager_after",
        "escalate_to_corporation_after",
    ]
    list_select_related = ["project"]
    search_fields = ["project__name"]
    autocomplete_fields = ["project"]


@admin.register(Notification)
class NotificationAdmin(ScopedModelAdmin):
    list_display = ["created_at", "purpose", "channel", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "purpose"]
    search_fields = ["key", "to", "subject"]
    raw_id_fields = ["claim", "complaint", "promise", "recipient_user", "recipient_resident"]

    readonly_fields = [
        "key",
        "status",
        "provider_answer",
        "attempts",
        "send_after",
        "sent_at",
        "dispatched_at",
    ]
    date_hierarchy = "created_at"
    show_full_result_count = False
