from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"

    def ready(self) -> None:
        from django.contrib import admin

        from . import audit

        audit.register()
        # The audit trail is read on the privacy officer's page, scoped to their
        # organisation (privacy/audit.py); auditlog's own admin would show every entry.
        from auditlog.models import LogEntry

        if admin.site.is_registered(LogEntry):
            admin.site.unregister(LogEntry)
