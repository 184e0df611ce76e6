"""The morning digest's text: everything waiting for one person, by project, each case
with its link. E-mail lists it all; a text message says how much and where to look."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from ..workdays import local_date_text


def overview_url(user: User) -> str:
    """Where someone sees the whole list: "Mijn werk" in the back-office, or for a site
    supervisor (who has no back-office) their promises on the phone."""
    name = "mobile:promises" if user.role == User.Role.SUPERVISOR else "office:mine"
    return f"{settings.SITE_URL}{reverse(name)}"


def settings_url() -> str:
    return f"{settings.SITE_URL}{reverse('message_settings')}"


def _lateness(item) -> str:
    if item.days_late:
        return ngettext(
            "%(days)s working day late (due %(due)s)",
            "%(days)s working days late (due %(due)s)",
            item.days_late,
        ) % {"days": item.days_late, "due": local_date_text(item.due_at)}
    return _("due today")


def _line(item) -> str:
    return "\n".join(
        [
            f"- {item.number}, {item.address}: {item.step}",
            f"  {_lateness(item)}",
            f"  {item.link}",
        ]
    )


def email(user: User, due: list, escalated: list) -> tuple[str, str]:
    """Subject and body; `due` grouped as [(project, items)], `escalated` a flat list."""
    count = sum(len(items) for _project, items in due)
    late = sum(1 for _project, items in due for i in items if i.days_late)
    subject = ngettext(
        "Your work today: %(count)s case", "Your work today: %(count)s cases", count
    ) % {"count": count}
    parts = [_("Good morning %(name)s,") % {"name": user.first_name}]
    if count:
        parts.append(
            ngettext(
                "This case is waiting for you today (%(late)s overdue):",
                "These %(count)s cases are waiting for you today (%(late)s overdue):",
                count,
            )
            % {"count": count, "late": late}
        )
    for project, items in due:
        parts.append("\n".join([project.name, *(_line(i) for i in items)]))
    if escalated:
        subject = _("%(subject)s, %(escalated)s escalated") % {
            "subject": subject,
            "escalated": len(escalated),
        }
        parts.append("\n".join([_("Escalated to you:"), *(_line(i) for i in escalated)]))
    parts.append(_("Everything in one place: %(url)s") % {"url": overview_url(user)})
    parts.append(
        _(
            "You get one digest each working morning instead of separate reminders. "
            "Change it: %(url)s"
        )
        % {"url": settings_url()}
    )
    return subject, "\n\n".join(parts)


def sms(user: User, due: list, escalated: list) -> tuple[str, str]:
    items = [i for _project, group in due for i in group]
    count = len(items)
    text = ngettext(
        "Woonrust: %(count)s case waits for you today",
        "Woonrust: %(count)s cases wait for you today",
        count,
    ) % {"count": count}
    if items and items[0].days_late:
        text += ", " + _("the oldest %(number)s") % {"number": items[0].number}
    if escalated:
        text += ", " + _("%(n)s escalated") % {"n": len(escalated)}
    text += ". " + _("See them: %(url)s") % {"url": overview_url(user)}
    return _("Your work today"), text
