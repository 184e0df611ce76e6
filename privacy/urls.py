from __future__ import annotations

from django.urls import path

from . import access_log, audit_views, retention_views, views

app_name = "privacy"

urlpatterns = [
    path("", views.residents, name="residents"),
    path("residents/<int:pk>/", views.resident, name="resident"),
    path("residents/<int:pk>/export/", views.export, name="export"),
    path("residents/<int:pk>/erase/", views.erase, name="erase"),
    path("access/", access_log.access_log, name="access_log"),
    path("access.csv", access_log.access_log_csv, name="access_log_csv"),
    path("audit/", audit_views.audit, name="audit"),
    path("retention/", retention_views.retention, name="retention"),
    path("retention/periods/", retention_views.retention_save, name="retention_save"),
    path("retention/start/", retention_views.retention_start, name="retention_start"),
]
