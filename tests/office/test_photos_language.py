"""Photos open full size for the team; the back-office speaks English on request."""

from __future__ import annotations

from django.core.files.base import ContentFile

from cases.models import ClaimPhoto

from .conftest import claim


def test_photo_full_size_and_thumbnail(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = claim(world)
    photo = ClaimPhoto(claim=c)
    photo.image.save("x.jpg", ContentFile(b"\xff\xd8full"), save=False)
    photo.thumbnail.save("t.jpg", ContentFile(b"\xff\xd8thumb"), save=False)
    photo.save()
    client.force_login(world.handler)
    page = client.get(f"/office/claim/{c.pk}/").content.decode()
    assert f'href="/office/photos/{photo.pk}/"' in page
    assert f'src="/office/photos/{photo.pk}/thumb/"' in page
    full = client.get(f"/office/photos/{photo.pk}/")
    assert full.status_code == 200 and b"".join(full.streaming_content).endswith(b"full")
    thumb = client.get(f"/office/photos/{photo.pk}/thumb/")
    assert b"".join(thumb.streaming_content).endswith(b"thumb")
    assert full["Cache-Control"].startswith("private")


def test_english_on_request(client, world):
    claim(world)
    client.force_login(world.handler)
    english = client.get("/office/", headers={"accept-language": "en"}).content.decode()
    assert "Work queue" in english and "Most urgent first" in english
    dutch = client.get("/office/").content.decode()
    assert "Werkvoorraad" in dutch and "Meest urgent eerst" in dutch
