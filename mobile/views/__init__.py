"""The supervisor's phone app at /m/."""

from __future__ import annotations

from .app import form_shell, offline, ping, service_worker, sign_out
from .calls import call_done, my_calls
from .cases import complaint_detail
from .claims import claim_detail, photo, photo_thumbnail
from .pages import care_needs, dwelling_detail, project_round, round_today
from .promises import my_promises, promise_act, promise_detail
from .record import claim_photos, submit

__all__ = [
    "call_done",
    "my_calls",
    "care_needs",
    "claim_detail",
    "claim_photos",
    "complaint_detail",
    "dwelling_detail",
    "form_shell",
    "my_promises",
    "offline",
    "photo",
    "photo_thumbnail",
    "ping",
    "project_round",
    "promise_act",
    "promise_detail",
    "round_today",
    "service_worker",
    "sign_out",
    "submit",
]
