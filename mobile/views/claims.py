"""A claim seen from the phone (its photos, adding more) and the photos themselves."""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.photos import photo_response

from ..access import get_claim_for_field, get_photo_for_field
from ..forms import PhotoForm
from ..http import MobileRequest, mobile_view


@require_GET
@mobile_view
def claim_detail(request: MobileRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_field(request.user, pk)
    context = {
        "claim": claim,
        "photos": list(claim.photos.all()),
        "form": PhotoForm(),
        "sid": uuid.uuid4(),
    }
    return render(request, "mobile/claim.html", context)


@require_GET
@mobile_view
def photo(request: MobileRequest, pk: int) -> FileResponse:
    return photo_response(get_photo_for_field(request.user, pk))


@require_GET
@mobile_view
def photo_thumbnail(request: MobileRequest, pk: int) -> FileResponse:
    return photo_response(get_photo_for_field(request.user, pk), thumbnail=True)
