from django.apps import AppConfig


class StatuslinkConfig(AppConfig):
    name = "statuslink"
