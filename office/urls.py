from __future__ import annotations

from django.urls import path, register_converter

from . import views


class KindConverter:
    regex = "claim|complaint|promise"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "kind")

app_name = "office"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("assign/", views.assign_bulk, name="assign_bulk"),
    path("export.<slug:fmt>", views.queue_export, name="export"),
    path("<kind:kind>/<int:pk>/", views.case_detail, name="case"),
    path("<kind:kind>/<int:pk>/do/<slug:action>/", views.case_action, name="case_action"),
    path("<kind:kind>/<int:pk>/note/", views.case_note, name="case_note"),
    path("<kind:kind>/<int:pk>/assign/", views.case_assign_view, name="case_assign"),
    path("<kind:kind>/<int:pk>/letter.pdf", views.letter, name="letter"),
    path("<kind:kind>/<int:pk>/link/<slug:what>/", views.status_link, name="status_link"),
    path("addresses/<int:pk>/", views.dwelling_detail, name="dwelling"),
    path("addresses/<int:pk>/care/", views.dwelling_care, name="dwelling_care"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"size": "thumb"}, name="photo_thumb"),
    path("mine/", views.my_work, name="mine"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.<slug:fmt>", views.dashboard_export, name="dashboard_export"),
    path("messages/failed/", views.failed_messages, name="failed_messages"),
    path("calls/", views.calls, name="calls"),
    path("calls/<int:pk>/done/", views.call_done, name="call_done"),
    path("letters/", views.letters, name="letters"),
    path("letters/batch.pdf", views.letters_pdf, name="letters_pdf"),
    path("letters/posted/", views.letters_posted_view, name="letters_posted"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/setup/", views.project_setup, name="project_setup"),
    path("projects/<int:pk>/import/", views.project_import, name="project_import"),
    path("projects/<int:pk>/dashboard/", views.dashboard, name="project_dashboard"),
    path(
        "projects/<int:pk>/dashboard/export.<slug:fmt>",
        views.dashboard_export,
        name="project_dashboard_export",
    ),
]
