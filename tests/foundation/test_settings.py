"""Production (DEBUG=false) refuses an unsafe configuration and passes `check --deploy`."""

from __future__ import annotations

import secrets

import pytest

from .helpers import manage, run_django

GOOD_KEY = secrets.token_urlsafe(64)


def production(**overrides: str) -> dict[str, str]:
    env = {
        "DEBUG": "false",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "woonrust.example.nl",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.nl",
        "SMS_BACKEND": "cases.sms.HttpSmsBackend",
        "SMS_API_URL": "https://sms.example.nl/v1/messages",
        "SMS_API_TOKEN": "a-provider-token",
    }
    env.update(overrides)
    return env


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
        (
            {"SECRET_KEY": "woonrust-insecure-development-key-do-not-use-in-production"},
            "SECRET_KEY is missing, the development default",
        ),
        ({"SECRET_KEY": "short"}, "shorter than 50 characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is empty"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"TRUSTED_PROXIES": "10.0.0.1,proxy.local"}, "TRUSTED_PROXIES has 'proxy.local'"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 is below zero"),
    ],
)
def test_unsafe_production_configuration_is_refused(overrides, message):
    result = manage("check", **production(**overrides))
    assert result.returncode != 0
    assert message in result.stderr


def test_missing_secret_key_is_refused():
    env = production()
    result = manage("check", **{k: v for k, v in env.items() if k != "SECRET_KEY"}, SECRET_KEY="")
    assert result.returncode != 0


def test_production_refuses_a_console_mailer():
    result = manage("check", "--deploy", **production(EMAIL_BACKEND=""))
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


@pytest.mark.parametrize(
    "backend",
    [
        "",
        "cases.sms.LoggingSmsBackend",
        "cases.sms.MemorySmsBackend",
        "cases.sms.FailingSmsBackend",
    ],
)
def test_production_refuses_an_sms_backend_that_sends_nothing(backend):
    result = manage("check", "--deploy", **production(SMS_BACKEND=backend))
    assert result.returncode != 0
    assert "sms.E001" in result.stderr and "sends no text message" in result.stderr


@pytest.mark.parametrize(
    "overrides",
    [{"SMS_API_URL": ""}, {"SMS_API_URL": "http://sms.example.nl/"}, {"SMS_API_TOKEN": ""}],
)
def test_production_refuses_an_incomplete_sms_provider(overrides):
    result = manage("check", "--deploy", **production(**overrides))
    assert result.returncode != 0
    assert "sms.E002" in result.stderr


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **production())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_cookies_are_host_bound_and_secure():
    result = run_django(
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)",
        **production(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "31536000",
        "True",
    ]


def test_embedded_default_needs_no_servers(tmp_path):
    # No DATABASE_URL and no broker: SQLite in WAL mode and the filesystem broker.
    result = run_django(
        "from django.conf import settings as s; from django.db import connection as c;"
        "cur = c.cursor(); cur.execute('PRAGMA journal_mode'); "
        "print(c.vendor, cur.fetchone()[0], s.CELERY_BROKER_URL)",
        DATABASE_URL="",
        CELERY_BROKER_URL="",
        WOONRUST_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite", "wal", "filesystem://"]


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        ({"SITE_URL": "", "WOONRUST_PORT": ""}, "http://127.0.0.1:8000"),
        ({"SITE_URL": "", "WOONRUST_PORT": "8123"}, "http://127.0.0.1:8123"),
        (
            {"SITE_URL": "https://woonrust.example.nl/", "WOONRUST_PORT": "8123"},
            "https://woonrust.example.nl",
        ),
    ],
)
def test_status_links_point_at_the_port_make_run_serves(env, site_url):
    result = run_django("from django.conf import settings; print(settings.SITE_URL)", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == site_url
