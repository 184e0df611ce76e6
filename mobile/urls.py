from __future__ import annotations

from django.urls import path

from . import views

app_name = "mobile"

urlpatterns = [
    path("", views.round_today, name="round"),
    path("p/<int:pk>/", views.project_round, name="project"),
    path("d/<int:pk>/", views.dwelling_detail, name="dwelling"),
    path("d/<int:pk>/care/", views.care_needs, name="care"),
    path("d/<int:pk>/visit/", views.submit, {"kind": "visit"}, name="visit_new"),
    path("d/<int:pk>/promise/", views.submit, {"kind": "promise"}, name="promise_new"),
    path("d/<int:pk>/complaint/", views.submit, {"kind": "complaint"}, name="complaint_new"),
    path("d/<int:pk>/claim/", views.submit, {"kind": "claim"}, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/photos/", views.claim_photos, name="claim_photos"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint"),
    path("promises/", views.my_promises, name="promises"),
    path("promises/<int:pk>/", views.promise_detail, name="promise"),
    path("promises/<int:pk>/<slug:action>/", views.promise_act, name="promise_act"),
    path("calls/", views.my_calls, name="calls"),
    path("calls/<int:pk>/done/", views.call_done, name="call_done"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo_thumbnail, name="photo_thumb"),
    path("offline/", views.offline, name="offline"),
    path("forms/<slug:kind>/", views.form_shell, name="shell"),
    path("ping/", views.ping, name="ping"),
    path("logout/", views.sign_out, name="logout"),
    path("sw.js", views.service_worker, name="sw"),
]
