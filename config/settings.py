"""Woonrust settings: one module, every deployable value read from the environment.

With no environment at all, Woonrust runs on one machine with no servers: SQLite in
WAL mode and a Celery broker on the filesystem. Production sets DEBUG=false, and then
startup refuses a configuration that is not safe. `.env.example` lists every variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("WOONRUST_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

# Local development key. Production must set its own: startup refuses this one.
INSECURE_SECRET_KEY = "woonrust-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address residents reach the site under: status links in messages start with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing, the development default, or shorter than 50 characters. "
            "With DEBUG=false set a long random SECRET_KEY, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is empty. With DEBUG=false list the host names this site is "
            "served under, comma-separated, e.g. ALLOWED_HOSTS=woonrust.example.nl."
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "accounts",
    "projects",
    "residents",
    "cases",
    "ops",
    "mobile",
    "office",
    "statuslink",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: PostgreSQL in production and tests; SQLite (WAL) when nothing is set.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'woonrust.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Dutch by default, English on request; dates dd-mm-yyyy, Amsterdam time.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (claim photos) are private: there is deliberately no public MEDIA_URL route;
# views that check access stream them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND_PATH = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS: dict[str, dict] = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Woonrust <noreply@woonrust.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production (DEBUG=false) gets everything `check --deploy` asks for.
SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
if SECURE:
    # The __Host- prefix binds the cookies to this exact host over HTTPS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Cache: Redis when REDIS_URL / CACHE_URL is set (shared by every web process, needed for
# the status link's rate limits to hold across processes), else this process's memory.
CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Resident status links (/s/<token>/, statuslink/): how long a link keeps working after
# its case closed, and requests per minute per client address and per token.
STATUS_LINK_DAYS_AFTER_CLOSE = env_int("STATUS_LINK_DAYS_AFTER_CLOSE", 60)
STATUS_LINK_RATE_PER_IP = env_int("STATUS_LINK_RATE_PER_IP", 30)
STATUS_LINK_RATE_PER_TOKEN = env_int("STATUS_LINK_RATE_PER_TOKEN", 20)
# The number the "link not found" page tells residents to call (it knows no case).
STATUS_LINK_PHONE = env_str("STATUS_LINK_PHONE")

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery. The database holds every deadline; the broker only carries short tasks.
# See README "What the chase guarantees" for why each of these is set.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
# Redis redelivers an unacknowledged task after this many seconds; the time limits
# below stay under half of it so a running task is never handed to a second worker.
CELERY_VISIBILITY_TIMEOUT = 3600
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # A broker host that does not answer must not hold a web request for minutes.
        "socket_connect_timeout": 2,
    }
# Publishing (from web requests and sweeps) and /healthz talk to the broker over
# connections whose every socket operation gives up after this long
# (config.celery.quick_connection); the outbox row waits for the sweep instead.
BROKER_TIMEOUT_MS = env_int("BROKER_TIMEOUT_MS", 800)
# Redis reads the visibility timeout in three places; all must agree.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
# At-least-once: acknowledge after the task ran; a task whose worker process died is
# put back on the queue. Every task is idempotent, so running twice is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 30.0
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing happens after commit, from web requests too: fail fast when the broker is
# down (the outbox row waits for the sweep) instead of retrying for long.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Separate workers (Procfile): `chase` for the sweep, one per channel for delivery
# (cases.outbox.QUEUES sends SMS to `deliver-sms`), so a slow provider holds up
# neither the chase nor the other channel.
CELERY_TASK_ROUTES = {
    "cases.tasks.sweep": {"queue": "chase"},
    "cases.tasks.deliver_notifications": {"queue": "deliver"},
    # Not on `chase`: it must run when the chase worker is what stopped.
    "ops.tasks.watchdog": {"queue": "deliver"},
}
# An interval in UTC, not a crontab in local time (those have daylight-saving bugs).
# A sweep that waited longer than the interval is dropped: the next one does its work.
# Tests only: a shorter interval, to run two beats against each other for many sweeps.
CHASE_SWEEP_SECONDS = env_int("CHASE_SWEEP_SECONDS", 60)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "chase-sweep": {
        "task": "cases.tasks.sweep",
        "schedule": float(CHASE_SWEEP_SECONDS),
        "options": {"expires": CHASE_SWEEP_SECONDS},
    },
    "chase-watchdog": {
        "task": "ops.tasks.watchdog",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The chase (cases/sweep.py). SMS goes through SMS_BACKEND (cases/sms.py); the default
# only logs, like the console e-mail backend.
SMS_BACKEND = env_str("SMS_BACKEND") or "cases.sms.LoggingSmsBackend"
# The SMS backend gives up on a provider call after this many seconds.
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10)
CHASE_BATCH_SIZE = env_int("CHASE_BATCH_SIZE", 500)
# A sweep stops taking batches after this long, well before CELERY_TASK_SOFT_TIME_LIMIT.
CHASE_SWEEP_BUDGET_SECONDS = env_int("CHASE_SWEEP_BUDGET_SECONDS", 120)
# /healthz/ready fails, and platform staff get one e-mail, when no sweep has finished
# for this many minutes (ops/watchdog.py).
CHASE_STALE_MINUTES = env_int("CHASE_STALE_MINUTES", 10)
# Tests only: a pause per case, to kill a worker in the middle of a sweep.
CHASE_TEST_DELAY_MS = env_int("CHASE_TEST_DELAY_MS", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
