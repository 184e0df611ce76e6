"""The privacy officer's pages: find a resident, export or erase her data, and read the
care-need access log."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .access import OfficerRequest as Request
from .access import get_resident, privacy_residents, privacy_view
from .erase import is_erased, resident_erase
from .export import resident_export
from .forms import ErasureForm, ExportForm
from .models import PrivacyRequest

SHOWN = 50


@require_GET
@privacy_view
def residents(request: Request) -> HttpResponse:
    """Residents by name, postcode or street; nothing is listed before a search."""
    q = request.GET.get("q", "").strip()[:100]
    found = []
    if q:
        words = q.split()
        match = Q()
        for word in words:
            match &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(dwelling__street__icontains=word)
                | Q(dwelling__postcode__icontains=word.replace(" ", ""))
            )
        found = list(
            privacy_residents(request.user)
            .filter(match)
            .select_related("dwelling__project")
            .order_by("last_name", "first_name", "pk")[:SHOWN]
        )
    return render(
        request,
        "privacy/residents.html",
        {"q": q, "found": found, "shown": SHOWN, "section": "privacy"},
    )


def _page(request: Request, resident, export_form=None, erase_form=None, status=200):
    history = PrivacyRequest.objects.filter(resident_number=resident.pk).select_related("done_by")
    return render(
        request,
        "privacy/resident.html",
        {
            "resident": resident,
            "erased": is_erased(resident),
            "history": list(history),
            "export_form": export_form or ExportForm(prefix="export"),
            "erase_form": erase_form or ErasureForm(prefix="erase"),
            "section": "privacy",
        },
        status=status,
    )


@require_GET
@privacy_view
def resident(request: Request, pk: int) -> HttpResponse:
    return _page(request, get_resident(request.user, pk))


@require_POST
@privacy_view
def export(request: Request, pk: int) -> HttpResponse:
    found = get_resident(request.user, pk)
    form = ExportForm(request.POST, prefix="export")
    if not form.is_valid():
        return _page(request, found, export_form=form, status=400)
    data = resident_export(
        resident=found, by=request.user, requested_by=form.cleaned_data["requested_by"]
    )
    response = HttpResponse(data, content_type="application/zip")
    # The file name holds the resident number only: downloads folders get synced.
    response["Content-Disposition"] = f'attachment; filename="woonrust-resident-{found.pk}.zip"'
    return response


@require_POST
@privacy_view
def erase(request: Request, pk: int) -> HttpResponse:
    found = get_resident(request.user, pk)
    if is_erased(found):
        messages.info(request, _("This resident's data was erased already."))
        return redirect("privacy:resident", pk=found.pk)
    form = ErasureForm(request.POST, prefix="erase")
    if not form.is_valid():
        return _page(request, found, erase_form=form, status=400)
    resident_erase(
        resident=found,
        by=request.user,
        requested_by=form.cleaned_data["requested_by"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("The resident's data was erased."))
    return redirect("privacy:resident", pk=found.pk)
