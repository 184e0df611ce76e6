from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the deploy checks)
            metrics,  # noqa: F401  (connects the Celery task signals)
            request_id,  # noqa: F401  (connects the request signals)
        )
