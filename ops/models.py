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
