from __future__ import annotations

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import (
    absence,
    absence_delete,
    admin_login,
    e_mail_managed_by_administrators,
    home,
    message_settings,
    sign_out_everywhere,
)
from ops.metrics import metrics_view
from ops.views import favicon, healthz, live

# Error pages in the site's look and language (ops/errors.py).
handler400 = "ops.errors.bad_request"
handler403 = "ops.errors.permission_denied"
handler404 = "ops.errors.page_not_found"
handler500 = "ops.errors.server_error"

admin.site.site_header = _("Woonrust administration")
admin.site.site_title = "Woonrust"
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    # Sign-in is allauth's (throttling, lockout, second factor) under our own names.
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    # Administrators manage e-mail addresses; allauth's own page would let people add some.
    path("account/email/", e_mail_managed_by_administrators),
    path("account/sessions/end-all/", sign_out_everywhere, name="sign_out_everywhere"),
    path("account/absence/", absence, name="absence"),
    path("account/absence/<int:pk>/delete/", absence_delete, name="absence_delete"),
    path("account/messages/", message_settings, name="message_settings"),
    path("account/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("m/", include("mobile.urls", namespace="mobile")),
    path("office/privacy/", include("privacy.urls", namespace="privacy")),
    path("office/", include("office.urls", namespace="office")),
    path("s/", include("statuslink.urls")),
    path("healthz", healthz, name="healthz"),
    path("healthz/ready", healthz, name="healthz_ready"),
    path("healthz/live", live, name="healthz_live"),
    # Prometheus, with METRICS_TOKEN only (a 404 otherwise); nginx never passes it on.
    path("metrics", metrics_view, name="metrics"),
    path("favicon.ico", favicon),
    # The admin's own login form would skip the lockout and the second factor.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]
if settings.BENCH:
    # The yardsticks of `make bench` (benchmarks/): absent, so a 404, without the setting.
    urlpatterns.append(path("bench/", include("benchmarks.urls")))
