"""Back-office answers are compressed when the browser accepts it, as the phone app's are."""

from __future__ import annotations

import gzip

from .conftest import claim


def test_the_queue_and_its_csv_come_gzipped_to_a_browser_that_accepts_it(client, world):
    made = claim(world, due=1)
    client.force_login(world.handler)
    page = client.get("/office/", headers={"accept-encoding": "gzip, br"})
    assert page.status_code == 200 and page["Content-Encoding"] == "gzip"
    assert made.number in gzip.decompress(page.content).decode()
    export = client.get("/office/export.csv", headers={"accept-encoding": "gzip"})
    assert export["Content-Encoding"] == "gzip"
    rows = gzip.decompress(b"".join(export.streaming_content)).decode("utf-8-sig")
    assert made.number in rows
    plain = client.get("/office/")
    assert not plain.has_header("Content-Encoding") and made.number in plain.text


def test_an_excel_download_is_not_compressed_twice(client, world):
    claim(world, due=1)
    client.force_login(world.handler)
    sheet = client.get("/office/export.xlsx", headers={"accept-encoding": "gzip"})
    assert sheet.status_code == 200 and not sheet.has_header("Content-Encoding")
