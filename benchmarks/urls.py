from __future__ import annotations

from django.urls import path

from . import views

app_name = "benchmarks"

urlpatterns = [
    path("hello/", views.bare_hello, name="bare_hello"),
    path("rows/", views.bare_rows, name="bare_rows"),
]
