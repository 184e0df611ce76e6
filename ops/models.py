"""What the operations checks read: when each periodic job last finished."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """One row per periodic job (e.g. "chase-sweep"), written each time it finishes.

    /healthz/ready reports not ready when the chase's is too old, and the watchdog
    (ops.watchdog, on the delivery queue, independent of the sweep) tells platform staff
    once per stop: `alerted_at` records that it did, for the heartbeat it saw.
    """

    name = models.CharField(_("job"), max_length=50, unique=True)
    beat_at = models.DateTimeField(_("last finished at"))
    detail = models.TextField(_("what it did"), blank=True)
    alerted_at = models.DateTimeField(_("administrators told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"


class TaskStart(models.Model):
    """How often one task message has been started. A task whose process dies (killed,
    out of memory) is handed out again by the broker (acks_late with
    reject_on_worker_lost); one that kills its process every time would be handed out for
    ever, so the task gives up after a few starts (ops.watchdog.started)."""

    task_id = models.CharField(_("task id"), max_length=64, unique=True)
    starts = models.PositiveSmallIntegerField(_("starts"), default=1)
    first_at = models.DateTimeField(_("first started at"))

    class Meta:
        verbose_name = _("task start")
        verbose_name_plural = _("task starts")

    def __str__(self) -> str:
        return f"{self.task_id} × {self.starts}"
