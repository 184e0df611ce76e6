"""The back-office views, by page."""

from __future__ import annotations

from .case import case_action, case_assign_view, case_detail, case_note, letter, photo, status_link
from .contact import call_done, calls, letters, letters_pdf, letters_posted_view
from .dashboards import dashboard, dashboard_export
from .dwelling import dwelling_care, dwelling_detail
from .exports import queue_export
from .messages import failed_messages
from .mine import my_work
from .projects import project_import, project_list, project_new, project_setup
from .queue import assign_bulk, queue

__all__ = [
    "call_done",
    "calls",
    "letters",
    "letters_pdf",
    "letters_posted_view",
    "assign_bulk",
    "case_action",
    "case_assign_view",
    "case_detail",
    "case_note",
    "dashboard",
    "dashboard_export",
    "failed_messages",
    "dwelling_care",
    "dwelling_detail",
    "letter",
    "my_work",
    "photo",
    "project_import",
    "project_list",
    "project_new",
    "project_setup",
    "queue",
    "queue_export",
    "status_link",
]
