"""Giving a case to a handler: no change of state, but on the timeline like one."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import CallTask, Complaint, TimelineEvent
from ..models.base import Case
from ..outbox import case_link
from .base import RELATED, is_decider, may_see
from .errors import IllegalTransition, InvalidInput, NotAllowed


def case_assign[CaseT: Case](*, case: CaseT, by: User, handler: User) -> CaseT:
    """Make `handler` the handler of an open case; reminders go to them from now on."""
    with transaction.atomic():
        locked = (
            type(case)
            .objects.select_for_update(of=("self",))
            .select_related(*RELATED)
            .get(pk=case.pk)
        )
        if not may_see(by, locked.project_id):
            raise NotAllowed(_("You have no access to this case."))
        if not locked.is_open:
            raise IllegalTransition(_("A closed case cannot be given to someone else."))
        if not is_decider(by, locked.project):
            raise NotAllowed(
                _("Only the handler, the project manager or an administrator can assign cases.")
            )
        if not is_decider(handler, locked.project):
            raise InvalidInput(_("The handler must be a handler on this project."), field="handler")
        stage_two = isinstance(locked, Complaint) and locked.stage == 2
        if stage_two and handler.pk == locked.stage_one_handler_id:
            raise InvalidInput(
                _("In stage 2 someone other than the stage 1 handler handles the complaint."),
                field="handler",
            )
        locked.handler = handler
        locked.save(update_fields=["handler"])
        # The calls still to make go with the case: the new handler makes them.
        CallTask.objects.filter(**case_link(locked), done_at__isnull=True).update(
            assigned_to=handler
        )
        TimelineEvent.objects.create(
            dwelling_id=locked.dwelling_id,
            kind=TimelineEvent.Kind.ASSIGNED,
            actor=by,
            data={"handler": handler.pk},
            text=str(handler),
            **case_link(locked),
        )
    case.handler = handler
    return case
