from __future__ import annotations

from django.urls import path

from . import views

# No namespace: `status` is the name the rest of the project reverses.
urlpatterns = [
    path("<str:token>/", views.status_page, name="status"),
    path("<str:token>/answer/", views.answer_satisfaction, name="status_answer"),
    path("<str:token>/information/", views.add_information, name="status_information"),
    path("<str:token>/updates/", views.set_updates, name="status_updates"),
    path("<str:token>/reply/", views.reply, name="status_reply"),
    path("<str:token>/works/<int:pk>/", views.appointment, name="status_appointment"),
]
