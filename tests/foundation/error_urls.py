"""The site's URLs and error handlers, plus one view that fails (for a real 500)."""

from __future__ import annotations

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("secret detail: /s/abc/ 0612345678")


urlpatterns = [path("m/boom/", boom), path("boom/", boom), *site]
