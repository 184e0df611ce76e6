from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from mobile.views import round_today
from office.views import queue
from ops.views import favicon, healthz
from statuslink.views import status_page

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="mobile:round"), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("m/", include(([path("", round_today, name="round")], "mobile"))),
    path("office/", include(([path("", queue, name="queue")], "office"))),
    path("s/<str:token>/", status_page, name="status"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
]
