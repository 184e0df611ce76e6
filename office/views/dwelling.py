"""The dwelling page: everything at one address, and its care needs on request."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ..access import OfficeRequest, office_view
from ..dwelling import build, care_needs_read, get_dwelling


@require_GET
@office_view
def dwelling_detail(request: OfficeRequest, pk: int) -> HttpResponse:
    dwelling = get_dwelling(request.user, pk)
    context = {"view": build(dwelling), "dwelling": dwelling, "now": timezone.now()}
    return render(request, "office/dwelling.html", context)


@require_POST
@office_view
def dwelling_care(request: OfficeRequest, pk: int) -> HttpResponse:
    """A POST, because every look is logged: a prefetch or a cached page never counts."""
    dwelling = get_dwelling(request.user, pk)
    if not dwelling.may_see_care:
        raise Http404
    context = {"dwelling": dwelling, "residents": care_needs_read(request.user, dwelling)}
    if request.htmx:
        return render(request, "office/dwelling_care.html#care", context)
    return render(request, "office/dwelling_care.html", context)
