"""Error pages with DEBUG off: the site's look, Dutch or English, a way back that fits
where the person was, no technical detail."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The status link's rate-limit counters live in the cache: start and end clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _production_errors(settings):
    settings.DEBUG = False
    settings.STATUS_LINK_PHONE = "0800 1234567"


def looks_like_the_site(html: str) -> None:
    assert '<link rel="stylesheet" href="/static/' in html
    assert "Woonrust" in html
    assert "Traceback" not in html and "Exception" not in html


@pytest.mark.parametrize(
    ("url", "dutch", "english", "back"),
    [
        ("/nowhere/", "Pagina niet gevonden", "Page not found", 'href="/"'),
        ("/m/nowhere/", "Pagina niet gevonden", "Page not found", 'href="/m/"'),
        ("/office/nowhere/", "Pagina niet gevonden", "Page not found", 'href="/office/"'),
        ("/admin/nowhere/x/", "Pagina niet gevonden", "Page not found", 'href="/admin/"'),
    ],
)
def test_404_in_both_languages_with_a_way_back(client, world, url, dutch, english, back):
    client.force_login(world.staff)
    response = client.get(url)
    assert response.status_code == 404
    assert dutch in response.text and back in response.text
    looks_like_the_site(response.text)
    response = client.get(url, headers={"Accept-Language": "en"})
    assert english in response.text and back in response.text


def test_404_on_a_status_link_is_for_residents(client):
    response = client.get("/s/some-token/no/such/page/")
    assert response.status_code == 404
    assert "We kunnen deze pagina niet laten zien" in response.text
    assert 'href="tel:08001234567"' in response.text
    assert response["Cache-Control"] == "no-store, private"
    assert "/static/statuslink/status.css" in response.text


def test_403_with_the_way_back(client, world):
    client.force_login(world.supervisor)  # the office is not the supervisor's tool
    response = client.get("/office/")
    assert response.status_code == 403
    assert "U mag deze pagina niet openen" in response.text
    assert 'href="/office/"' in response.text or 'href="/"' in response.text
    looks_like_the_site(response.text)


def test_400_for_a_request_django_refuses(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Dit kon niet worden verwerkt" in response.text
    looks_like_the_site(response.text)


@pytest.mark.urls("tests.foundation.error_urls")
@pytest.mark.parametrize(("url", "back"), [("/boom/", 'href="/"'), ("/m/boom/", 'href="/m/"')])
def test_500_from_a_view_that_raises(world, url, back):
    client = Client(raise_request_exception=False)
    client.force_login(world.handler)
    response = client.get(url)
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in response.text and back in response.text
    assert "secret detail" not in response.text and "RuntimeError" not in response.text
    looks_like_the_site(response.text)
    english = client.get(url, headers={"Accept-Language": "en"})
    assert "Something went wrong on our side" in english.text


def test_429_for_residents_and_for_sign_in(client, world, settings):
    settings.STATUS_LINK_RATE_PER_IP = 1
    client.get("/s/some-token/")
    response = client.get("/s/some-token/")
    assert response.status_code == 429
    assert "Wacht even" in response.text and "Wacht één minuut" in response.text
    assert 'href="tel:08001234567"' in response.text
    assert response["Retry-After"] == "60"
    # django-allauth renders 429.html with a context of its own.
    html = render_to_string("429.html", {})
    assert "Er waren te veel pogingen in korte tijd" in html
    assert 'href="/"' in html
    looks_like_the_site(html)


def test_error_pages_need_no_database(client, world, django_assert_num_queries):
    # The page itself makes no query (it is rendered without the request's context), so
    # the 500 page still shows when the database is down. A signed-in request would
    # read its session and second factor in the middleware first; that is not the page.
    with django_assert_num_queries(0):
        assert client.get("/office/nowhere/").status_code == 404
        assert client.get("/s/x/y/z/").status_code == 404
