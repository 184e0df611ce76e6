"""Helpers for the phone app's tests: photos with metadata, hostile files, busy homes."""

from __future__ import annotations

import datetime
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from cases.models import ClaimPhoto, DamageClaim, Promise, TimelineEvent
from projects.models import Dwelling, Project, WorkWindow
from residents.models import CareNeed, Resident, Visit


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps(size: tuple[int, int] = (800, 600), colour=(200, 100, 50)) -> bytes:
    """A camera-like JPEG: GPS position, camera make, owner comment, XMP, rotated 90°."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Camera"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 5.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (5.0, 7.0, 10.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"owner: Jan", xmp=b"<x:xmpmeta>Jan</x:xmpmeta>")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def png(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(out, "PNG")
    return out.getvalue()


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a pixel flood."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg_claiming_size(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims `width` x `height` pixels."""
    out = io.BytesIO()
    Image.new("L", (16, 16)).save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def no_metadata(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    kept = set(image.info) - {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
    return image.format == "JPEG" and not dict(image.getexif()) and not kept


def add_dwellings(
    project: Project, n: int, *, start: int = 100, busy: bool = True
) -> list[Dwelling]:
    """`n` dwellings, each with a resident with a care need, visits long ago, an open
    promise due yesterday, an open claim past its step, today's works and timeline events
    — so that each one is on the round and each one has a long timeline."""
    dwellings = Dwelling.objects.bulk_create(
        Dwelling(
            project=project,
            street="Maasstraat",
            number=start + i,
            postcode="3522 CD",
            city=project.city,
        )
        for i in range(n)
    )
    if not busy:
        return dwellings
    now = timezone.now()
    today = timezone.localdate()
    residents = Resident.objects.bulk_create(
        Resident(dwelling=d, first_name=f"Bewoner{d.number}", last_name="Test", phone="0611111111")
        for d in dwellings
    )
    CareNeed.objects.bulk_create(CareNeed(resident=r, kind="elderly") for r in residents)
    supervisor = project.team("supervisor").first()
    Visit.objects.bulk_create(
        Visit(dwelling=d, visited_by=supervisor, visited_at=now - datetime.timedelta(days=40 + k))
        for d in dwellings
        for k in range(3)
    )
    WorkWindow.objects.bulk_create(
        WorkWindow(dwelling=d, description="Keuken", starts_on=today, ends_on=today)
        for d in dwellings
    )
    promises = Promise.objects.bulk_create(
        Promise(
            project=project,
            dwelling=d,
            description="Deurstopper",
            due_on=today - datetime.timedelta(days=1),
        )
        for d in dwellings
    )
    claims = DamageClaim.objects.bulk_create(
        DamageClaim(project=project, dwelling=d, step_due_at=now - datetime.timedelta(hours=1))
        for d in dwellings
    )
    events = []
    for d, p, c in zip(dwellings, promises, claims, strict=True):
        events += [
            TimelineEvent(dwelling=d, promise=p, kind="created", to_status="open"),
            TimelineEvent(dwelling=d, claim=c, kind="created", to_status="reported"),
            TimelineEvent(
                dwelling=d,
                claim=c,
                kind="status_changed",
                from_status="reported",
                to_status="assessing",
            ),
        ]
        events += [TimelineEvent(dwelling=d, kind="note", text=f"Notitie {k}") for k in range(60)]
    TimelineEvent.objects.bulk_create(events)
    return dwellings


def make_photo(claim: DamageClaim, user) -> ClaimPhoto:
    from cases.photos import claim_photo_add, clean_photo

    return claim_photo_add(claim=claim, by=user, photo=clean_photo(io.BytesIO(jpeg_with_gps())))
