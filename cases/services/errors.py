"""Why a transition was refused. Views show `message`; it is translated and says what to do."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class TransitionRefused(Exception):
    """Base of every refusal; nothing was changed when this is raised."""

    code = "refused"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.message = str(message)
        self.field = field
        super().__init__(self.message)


class IllegalTransition(TransitionRefused):
    """The case's current state does not allow this step."""

    code = "illegal_transition"


class NotAllowed(TransitionRefused, PermissionDenied):
    """This person may not take this step on this case (or may not see the case)."""

    code = "not_allowed"


class InvalidInput(TransitionRefused):
    """The step is allowed, but something it needs is missing or wrong (see `field`)."""

    code = "invalid"
