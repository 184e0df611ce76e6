"""Cases (damage claims, complaints, promises), their timeline, chase policy and outbox."""

from __future__ import annotations

from .claims import ClaimPhoto, DamageClaim
from .complaints import Complaint
from .contact import CallTask, Letter
from .notifications import Notification
from .policy import ChasePolicy
from .promises import Promise
from .timeline import TimelineEvent

__all__ = [
    "CallTask",
    "Letter",
    "ChasePolicy",
    "ClaimPhoto",
    "Complaint",
    "DamageClaim",
    "Notification",
    "Promise",
    "TimelineEvent",
]
