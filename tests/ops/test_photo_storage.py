"""Photos on S3-compatible object storage: stored privately in the bucket, served only
through the views' access check, never by a public or lasting URL. A real S3 server
(moto's) runs on loopback for the test."""

from __future__ import annotations

import io
import subprocess
import urllib.error
import urllib.request

import boto3
import pytest
from botocore.config import Config
from PIL import Image

from cases.models import ClaimPhoto
from cases.photos import claim_photo_add, clean_photo
from tests.office.conftest import claim

from .servers import ROOT, free_port, wait_for_port

pytestmark = pytest.mark.slow

BUCKET = "woonrust-photos"
KEYS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, 30)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-1",
        config=Config(s3={"addressing_style": "path"}),
        **KEYS,
    )
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-west-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": True,
                "querystring_expire": 60,
                "object_parameters": {"CacheControl": "private, no-store"},
                "addressing_style": "path",
                "signature_version": "s3v4",
            },
        },
    }
    yield s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(out, "JPEG")
    out.seek(0)
    return out


@pytest.mark.django_db
def test_photos_live_in_the_bucket_and_are_served_after_the_access_check(
    bucket, world, client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path  # anything written to disk would show up here
    c = claim(world)
    photo = claim_photo_add(claim=c, by=world.supervisor, photo=clean_photo(jpeg()))
    photo = ClaimPhoto.objects.get(pk=photo.pk)

    keys = {o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {photo.image.name, photo.thumbnail.name}
    assert not any(tmp_path.iterdir()), "a photo was written to the filesystem"
    stored = bucket.get_object(Bucket=BUCKET, Key=photo.image.name)
    assert stored["CacheControl"] == "private, no-store"
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=photo.image.name)
    assert not [g for g in acl["Grants"] if g["Grantee"].get("URI", "").endswith("AllUsers")]

    client.force_login(world.handler)
    answer = client.get(f"/office/photos/{photo.pk}/")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == stored["Body"].read()
    assert answer["Cache-Control"] == "private, no-store"

    # Someone of the other organisation: not found, whatever the bucket holds.
    client.force_login(world.other_handler)
    assert client.get(f"/office/photos/{photo.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/office/photos/{photo.pk}/").status_code in (302, 404)


@pytest.mark.django_db
def test_a_url_of_the_storage_is_signed_and_expires(bucket, world):
    c = claim(world)
    photo = claim_photo_add(claim=c, by=world.supervisor, photo=clean_photo(jpeg()))
    url = photo.image.url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.status == 200
    unsigned = url.split("?")[0]
    assert unsigned != url


def test_filesystem_is_the_default():
    from django.conf import settings

    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def test_s3_without_a_bucket_stops_startup():
    from tests.foundation.helpers import manage

    result = manage("check", PHOTO_STORAGE="s3")
    assert result.returncode != 0
    assert "S3_BUCKET" in result.stderr
