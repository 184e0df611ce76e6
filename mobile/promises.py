"""The supervisor's own open promises: late first, then today, this week, later.

"Mine" is whom the chase reminds (`cases.recipients.promise_owner`): the promise's
handler when it has one, otherwise whoever noted it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise as LazyText
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import Promise

from .access import promises_for_field


def mine(user: User) -> QuerySet[Promise]:
    owned = Q(handler=user) | Q(handler__isnull=True, created_by=user)
    return promises_for_field(user).open().filter(owned)


@dataclass
class Group:
    key: str
    title: LazyText
    promises: list[Promise] = field(default_factory=list)


def grouped(user: User, today: datetime.date) -> list[Group]:
    """My open promises in four groups (one query), each by due date."""
    end_of_week = today + datetime.timedelta(days=6 - today.weekday())
    groups = [
        Group("late", _("Overdue")),
        Group("today", _("Today")),
        Group("week", _("This week")),
        Group("later", _("Later")),
    ]
    found = mine(user).select_related("dwelling", "resident").order_by("due_on", "pk")
    for promise in found:
        if promise.due_on < today:
            index = 0
        elif promise.due_on == today:
            index = 1
        elif promise.due_on <= end_of_week:
            index = 2
        else:
            index = 3
        groups[index].promises.append(promise)
    return groups


def counts(user: User, today: datetime.date) -> dict[str, int]:
    """How many open promises are mine and how many of them are late (one query)."""
    return mine(user).aggregate(open=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
