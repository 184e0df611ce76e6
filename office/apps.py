from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "office"

    def ready(self) -> None:
        from . import search  # noqa: F401  (gives SQLite connections woonrust_fold)
