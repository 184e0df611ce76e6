"""Claim photos: decode and check an upload, re-encode it without metadata, thumbnail it,
store it, and serve it only after the caller has checked access.

An upload is never trusted by its name or content type: it must decode as a JPEG, PNG
or WebP image within the size and pixel limits. What is stored is a fresh JPEG made from
the decoded pixels (EXIF orientation applied first), so no metadata of the original
survives — no GPS location, camera serial, owner name, XMP, comment or ICC profile —
and a polyglot file (an image header followed by HTML) cannot come out the other side.
"""

from __future__ import annotations

import io
import math
import uuid
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.models import User
from projects.models import Project

from .models import ClaimPhoto, DamageClaim, TimelineEvent

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# A JPEG is decoded at a fraction of its size (draft mode); PNG and WebP are decoded whole,
# 4 bytes a pixel, so they get a lower limit to bound a worker's memory.
MAX_PIXELS_FULL_DECODE = 20_000_000
MAX_EDGE = 1600
THUMB_EDGE = 320
MAX_PHOTOS_PER_CLAIM = 30
# The formats a phone camera or gallery produces and the browser resize emits. Pillow's
# other parsers (FITS, PDF, EPS, ...) have had decompression-bomb bugs and are never tried.
FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 82
THUMB_QUALITY = 75

# Pillow's own guard, process-wide: it warns above this and refuses above twice this.
# clean_photo() turns the warning into a refusal too.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class PhotoRejected(Exception):
    """The upload is not a photo we accept; `message` is translated and says why."""

    def __init__(self, message: str, *, code: str) -> None:
        self.message = str(message)
        self.code = code
        super().__init__(self.message)


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded photo and its thumbnail, both JPEG without metadata."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _size_of(upload: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    upload.seek(0)
    return int(size)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels only; transparent parts become white (a JPEG has no alpha)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = image.convert("L")
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    # A new image holds pixels and nothing else: no `info` for a plugin to carry over.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _kept_size(size: tuple[int, int]) -> tuple[int, int]:
    """The size a photo is kept at: at most MAX_EDGE on its long side.

    JPEG's draft mode keeps a reduced scale only when both sides stay at least the size
    asked for, so it is asked for this size, not a MAX_EDGE square: for a 4:3 camera photo
    the square's short side ruled out every reduction and 12 MP were decoded whole (four
    times the work of 2016 x 1512, the half scale that still covers 1600 x 1200)."""
    width, height = size
    scale = min(1.0, MAX_EDGE / max(width, height, 1))
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def clean_photo(upload: IO[bytes]) -> CleanPhoto:
    """Decode `upload` and return it re-encoded, or raise PhotoRejected."""
    size = _size_of(upload)
    if size == 0:
        raise PhotoRejected(_("The file is empty."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise PhotoRejected(
            _("The photo is larger than %(mb)d MB. Take it again at a lower resolution.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    not_a_photo = PhotoRejected(
        _("This file is not a photo we can read. Use a JPEG, PNG or WebP photo."),
        code="not_an_image",
    )

    def too_many_pixels(limit: int = MAX_PIXELS) -> PhotoRejected:
        return PhotoRejected(
            _("The photo has more than %(mp)d megapixels. Take it again at a lower resolution.")
            % {"mp": limit // 1_000_000},
            code="too_many_pixels",
        )

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload, formats=FORMATS) as opened:
                # The header alone tells the size: refuse a pixel flood before decoding it.
                limit = MAX_PIXELS if opened.format == "JPEG" else MAX_PIXELS_FULL_DECODE
                if opened.width * opened.height > limit:
                    raise too_many_pixels(limit)
                # JPEG can decode at a fraction of its size: less memory and time, and
                # never smaller than what we keep.
                opened.draft("RGB", _kept_size(opened.size))
                opened.load()
                upright = ImageOps.exif_transpose(opened)
                pixels = _flatten(upright)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_a_photo from None
    pixels.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    thumb = pixels.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return CleanPhoto(
        image=_jpeg(pixels, JPEG_QUALITY),
        thumbnail=_jpeg(thumb, THUMB_QUALITY),
        width=pixels.width,
        height=pixels.height,
    )


def claim_photo_add(
    *,
    claim: DamageClaim,
    by: User,
    photo: CleanPhoto,
    submission_id: uuid.UUID | None = None,
) -> ClaimPhoto:
    """Store a cleaned photo with the claim and put it on the timeline.

    A second call with the same `submission_id` returns the first photo and stores
    nothing. Raises PermissionDenied when `by` may not see the claim, and PhotoRejected
    when the claim already has the most photos allowed.
    """
    if not Project.objects.visible_to(by).filter(pk=claim.project_id).exists():
        raise PermissionDenied("This claim is not in one of your projects.")
    if submission_id is not None:
        existing = ClaimPhoto.objects.filter(submission_id=submission_id).first()
        if existing is not None:
            return existing
    if ClaimPhoto.objects.filter(claim=claim).count() >= MAX_PHOTOS_PER_CLAIM:
        raise PhotoRejected(
            _("A claim can have at most %(n)d photos.") % {"n": MAX_PHOTOS_PER_CLAIM},
            code="too_many_photos",
        )
    record = ClaimPhoto(
        claim=claim,
        uploaded_by=by,
        width=photo.width,
        height=photo.height,
        submission_id=submission_id,
    )
    # The names are generated by the model's upload_to; the uploaded name is never used.
    record.image.save("photo.jpg", ContentFile(photo.image), save=False)
    record.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    try:
        with transaction.atomic():
            record.save(force_insert=True)
            TimelineEvent.objects.create(
                dwelling_id=claim.dwelling_id,
                claim=claim,
                kind=TimelineEvent.Kind.PHOTO_ADDED,
                actor=by,
                at=record.uploaded_at,
                data={"photo": record.pk},
            )
    except BaseException as error:
        # Deleting a row never deletes its files, and here there is no row: clean up.
        record.image.delete(save=False)
        record.thumbnail.delete(save=False)
        if isinstance(error, IntegrityError) and submission_id is not None:
            # Another request with the same submission id got there first.
            existing = ClaimPhoto.objects.filter(submission_id=submission_id).first()
            if existing is not None:
                return existing
        raise
    return record


def photo_response(photo: ClaimPhoto, *, thumbnail: bool = False) -> FileResponse:
    """Stream a stored photo. The caller must have checked that the user may see it."""
    field = photo.thumbnail if thumbnail and photo.thumbnail else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    name = f"{photo.claim.number}-{photo.pk}{'-thumb' if thumbnail else ''}.jpg"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    # Personal data: never in a shared cache, and not in the browser's cache either, so
    # nothing of it outlives signing out.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
