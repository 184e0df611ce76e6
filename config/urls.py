from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import home
from ops.views import favicon, healthz, live

admin.site.site_header = _("Woonrust administration")
admin.site.site_title = "Woonrust"
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("m/", include("mobile.urls", namespace="mobile")),
    path("office/", include("office.urls", namespace="office")),
    path("s/", include("statuslink.urls")),
    path("healthz", healthz, name="healthz"),
    path("healthz/ready", healthz, name="healthz_ready"),
    path("healthz/live", live, name="healthz_live"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
]
