"""An alert to the privacy officer when one user looks at the care needs of unusually many
residents in one day (more than CARE_READ_ALERT_LIMIT).

Checked each time care needs are shown (`mobile.models.care_needs_seen`): one count on
the access log's (user, at) index. The alert is an outbox row (cases/outbox.py) to each
privacy officer of the organisations whose residents were looked at, with the key
`privacy-care-reads/user-<id>/<date>/officer-<id>/email`: the unique key makes it once
per user, per day, per officer, however many reads follow or however many web processes
count at once. The message names the user and the count, never a resident.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from cases.models import Notification
from cases.outbox import dispatch_on_commit
from cases.recipients import staff
from projects.models import Project


def _day_start(now: datetime.datetime) -> datetime.datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def care_reads_check(*, user: User, now: datetime.datetime | None = None) -> int:
    """Tell the privacy officers if `user` has now seen the care needs of more than the
    limit of residents today; returns how many alerts were written (0 almost always)."""
    from mobile.models import CareNeedAccess

    now = now or timezone.now()
    since = _day_start(now)
    today = CareNeedAccess.objects.filter(user=user, at__gte=since)
    seen = today.values("resident_id").distinct().count()
    if seen <= settings.CARE_READ_ALERT_LIMIT:
        return 0
    day = timezone.localdate(now).isoformat()
    prefix = f"privacy-care-reads/user-{user.pk}/{day}/"
    if Notification.objects.filter(key__startswith=prefix).exists():
        return 0  # told today already
    projects = Project.objects.filter(
        dwellings__residents__in=today.values("resident_id")
    ).values_list("corporation_id", "contractor_id")
    organisations = {org for pair in projects for org in pair}
    officers = User.objects.filter(
        Q(organisation_id__in=organisations) | Q(pk=user.pk, organisation_id__isnull=True),
        role=User.Role.PRIVACY_OFFICER,
        is_active=True,
    ).exclude(pk=user.pk)
    rows = []
    for officer in officers:
        # By e-mail (always the first channel): the alert links to the access log.
        recipient = next(iter(staff(officer)), None)
        if recipient is None or recipient.channel != Notification.Channel.EMAIL:
            continue
        with translation.override(recipient.language):
            subject = _("Woonrust: unusually many care needs seen by %(user)s") % {
                "user": user.get_full_name()
            }
            body = _(
                "%(user)s (%(email)s) has looked at the care needs of %(count)s residents "
                "today (%(day)s); more than %(limit)s is unusual. You are told once a day "
                "per person. Who looked at whose care needs, and when:\n%(url)s"
            ) % {
                "user": user.get_full_name(),
                "email": user.email,
                "count": seen,
                "day": timezone.localdate(now).strftime("%d-%m-%Y"),
                "limit": settings.CARE_READ_ALERT_LIMIT,
                "url": f"{settings.SITE_URL}{reverse('privacy:access_log')}?seen_by={user.email}",
            }
        rows.append(
            Notification(
                key=f"{prefix}officer-{officer.pk}/email",
                purpose="privacy_care_reads",
                recipient_user=officer,
                channel=recipient.channel,
                to=recipient.to,
                language=recipient.language,
                subject=subject[:200],
                body=body,
                created_at=now,
                send_after=now,
            )
        )
    if not rows:
        return 0
    # ON CONFLICT DO NOTHING: the alert of today exists already after the first.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(
            key__in=[r.key for r in rows], status=Notification.Status.PENDING, created_at=now
        ).values_list("pk", flat=True)
    )
    dispatch_on_commit(ids, now=now)
    return len(ids)
