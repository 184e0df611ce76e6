"""The resident's status link is put into a message only when it is sent.

The outbox row keeps `LINK_PLACEHOLDER` where the link goes: the database holds only the
token's hash and a secret (statuslink/tokens.py), so a copy of it must not contain working
links either. Delivery calls `body_for_sending`, which derives the case's current link;
every page that shows a stored body (the admin, the case page) shows the placeholder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from statuslink.tokens import case_link_url

if TYPE_CHECKING:
    from ..models import Notification

# Plain ASCII and unlike any text a person would type; `{` cannot occur in a link.
LINK_PLACEHOLDER = "{{status_link}}"


def body_for_sending(note: Notification) -> str:
    """The body as the recipient gets it: with the case's link as it is now.

    A link renewed after the message was written is the new one; a link that no longer
    works (revoked, expired case data) is left out rather than sent dead."""
    if LINK_PLACEHOLDER not in note.body:
        return note.body
    case = note.claim or note.complaint or note.promise
    link = case_link_url(case) if case is not None else ""
    return note.body.replace(LINK_PLACEHOLDER, link)
