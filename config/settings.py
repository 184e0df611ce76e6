"""Woonrust settings: one module, every deployable value read from the environment.

With no environment at all, Woonrust runs on one machine with no servers: SQLite in
WAL mode and a Celery broker on the filesystem. Production sets DEBUG=false, and then
startup refuses a configuration that is not safe. `.env.example` lists every variable.
"""

from __future__ import annotations

import ipaddress
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
# Embedded default: where `make run` serves (WOONRUST_PORT, default 8000).
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_str('WOONRUST_PORT', '8000')}").rstrip("/")

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
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
    "projects",
    "residents",
    "cases",
    "ops",
    "mobile",
    "office",
    "statuslink",
    # The audit trail of edits to personal data (privacy/audit.py registers the models).
    "auditlog",
    "privacy",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (ops/request_id.py).
    "ops.request_id.request_id_middleware",
    # Requests and their duration per view, when METRICS_TOKEN is set (ops/metrics.py).
    "ops.metrics.metrics_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Control characters (400), upload size (413), Permissions-Policy, no-store.
    "ops.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The audit trail's "who": the signed-in user of the request.
    "auditlog.middleware.AuditlogMiddleware",
    # After authentication: an idle or too old session is ended before anything else,
    # then a person who must have a second factor is sent to set one up.
    "accounts.middleware.session_limits",
    "accounts.middleware.second_factor_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Speed measurement only (`make bench`, bench/http): the yardstick pages under /bench/
# and an X-Bench-Queries header on every response. Never on in production.
BENCH = env_bool("WOONRUST_BENCH", False)
if BENCH:
    INSTALLED_APPS.append("benchmarks")
    MIDDLEWARE.insert(0, "benchmarks.middleware.query_count_middleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        # Django's engine, which also neutralises bidirectional controls in what it renders.
        "BACKEND": "ops.templates_bidi.BidiSafeTemplates",
        "NAME": "django",
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
# A streaming replica for dashboards and exports (ops/replica.py), used only while it is
# at most REPLICA_MAX_LAG_SECONDS behind; checked at most every REPLICA_CHECK_SECONDS.
REPLICA_DATABASE_URL = env_str("REPLICA_DATABASE_URL")
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 30)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    # A replica that does not answer must not hold a dashboard for long.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    # Tests see the replica as the primary (Django's test databases mirror).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ops.replica.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # allauth's backend counts failed sign-ins (rate limits) and knows e-mail login.
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Sign-in (django-allauth, accounts/adapter.py). Login by e-mail only; nobody signs up
# by themselves: administrators create people. README "Sign-in" explains the choices.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# A reset asked for an unknown address sends nothing: the page says the same either way,
# and the form is no way to send our mail to strangers.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Woonrust: "
# Lockout: after SIGNIN_LOCKOUT_FAILURES wrong passwords for one account (or five times
# as many from one client address) within SIGNIN_LOCKOUT_MINUTES, sign-in is refused,
# even with the right password, until the window has passed.
SIGNIN_LOCKOUT_FAILURES = env_int("SIGNIN_LOCKOUT_FAILURES", 10)
SIGNIN_LOCKOUT_MINUTES = env_int("SIGNIN_LOCKOUT_MINUTES", 15)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": (
        f"{SIGNIN_LOCKOUT_FAILURES * 5}/{SIGNIN_LOCKOUT_MINUTES}m/ip,"
        f"{SIGNIN_LOCKOUT_FAILURES}/{SIGNIN_LOCKOUT_MINUTES}m/key"
    ),
    "reset_password": "20/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# Second factor: an authenticator app (TOTP) or a security key / passkey (WebAuthn), with
# recovery codes. Required for handlers, managers, administrators and platform staff
# (accounts/middleware.py), offered to supervisors. Passkeys are a second factor here,
# not a way to sign in without the password.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_FORMS = {"add_webauthn": "accounts.forms.AddSecurityKeyForm"}
# Browsers only offer WebAuthn on HTTPS or localhost; a local DEBUG run is plain HTTP.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "Woonrust"
MFA_TOTP_TOLERANCE = 1
# Sessions are recorded at sign-in; tracking every request would write a row each time.
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions: an idle timeout (office: hours; phone app for field staff: days) and an
# absolute lifetime after which everyone signs in again (accounts/middleware.py).
SESSION_IDLE_OFFICE_HOURS = env_int("SESSION_IDLE_OFFICE_HOURS", 8)
SESSION_IDLE_FIELD_DAYS = env_int("SESSION_IDLE_FIELD_DAYS", 14)
SESSION_MAX_AGE_DAYS = env_int("SESSION_MAX_AGE_DAYS", 30)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_DAYS * 24 * 3600

# The client's address behind reverse proxies (accounts/client_ip.py): by default no
# proxy is trusted and REMOTE_ADDR is the client. Set the number of proxies in front of
# the site, or their addresses, to read X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} is below zero.")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES has {_proxy!r}, which is not an address or network "
            "(e.g. 10.0.0.5 or 10.0.0.0/24)."
        ) from None

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
# Photos on S3-compatible object storage (django-storages) instead of MEDIA_ROOT: a
# private bucket, never a public URL. The views stream a photo after their access check
# (cases/photos.py); the object is read with the application's own credentials.
PHOTO_STORAGE = env_str("PHOTO_STORAGE", "filesystem")
if PHOTO_STORAGE not in ("filesystem", "s3"):
    raise ImproperlyConfigured(f"PHOTO_STORAGE={PHOTO_STORAGE!r}: use filesystem or s3.")
if PHOTO_STORAGE == "s3":
    if not env_str("S3_BUCKET"):
        raise ImproperlyConfigured("PHOTO_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL).")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            # Empty: AWS itself; otherwise the S3-compatible service's address.
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            # Objects get no ACL of their own: the bucket's (private) policy holds.
            "default_acl": None,
            # Names are generated and unique; never replace an existing object.
            "file_overwrite": False,
            # Should a URL ever be made (the admin), it is signed and short-lived.
            "querystring_auth": True,
            "querystring_expire": env_int("S3_URL_EXPIRE_SECONDS", 60),
            "object_parameters": {"CacheControl": "private, no-store"},
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
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
# Prometheus and health probes ask gunicorn's own address in plain HTTP; nginx never
# passes /metrics on, and every page a person uses is still redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^metrics$", r"^healthz$"]
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

# All files of one request together (phone photos, a resident's photos, an address
# import): more is refused with a 413 before the body is read (ops/middleware.py).
MAX_UPLOAD_BYTES_PER_REQUEST = env_int("MAX_UPLOAD_BYTES_PER_REQUEST", 40 * 1024 * 1024)
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
    "cases.tasks.morning_digest": {"queue": "chase"},
    "cases.tasks.deliver_notifications": {"queue": "deliver"},
    # Not on `chase`: it must run when the chase worker is what stopped.
    "ops.tasks.watchdog": {"queue": "deliver"},
}
RETENTION_INTERVAL_SECONDS = env_int("RETENTION_INTERVAL_SECONDS", 24 * 3600)
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
    # Today's digests from office opening; every run after the first finds them written.
    "morning-digest": {
        "task": "cases.tasks.morning_digest",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    "chase-watchdog": {
        "task": "ops.tasks.watchdog",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Daily; a run that waited longer than an hour is dropped, the next day's does its
    # work (what is due stays due in the database).
    "privacy-retention": {
        "task": "privacy.tasks.retention",
        "schedule": float(RETENTION_INTERVAL_SECONDS),
        "options": {"expires": 3600},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The chase (cases/sweep.py). SMS goes through SMS_BACKEND (cases/sms.py); the default
# only logs, like the console e-mail backend.
SMS_BACKEND = env_str("SMS_BACKEND") or "cases.sms.LoggingSmsBackend"
# For cases.sms.HttpSmsBackend: the provider's send address and its API token.
SMS_API_URL = env_str("SMS_API_URL")
SMS_API_TOKEN = env_str("SMS_API_TOKEN")
# Every SMS backend gives up on a provider call after this many seconds (a failed
# attempt is retried by the outbox; the SMS worker sends one message at a time).
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10)
CHASE_BATCH_SIZE = env_int("CHASE_BATCH_SIZE", 500)
# A sweep stops taking batches after this long, well before CELERY_TASK_SOFT_TIME_LIMIT.
CHASE_SWEEP_BUDGET_SECONDS = env_int("CHASE_SWEEP_BUDGET_SECONDS", 120)
# /healthz/ready fails, and platform staff get one e-mail, when no sweep has finished
# for this many minutes (ops/watchdog.py).
CHASE_STALE_MINUTES = env_int("CHASE_STALE_MINUTES", 10)
# Retention (privacy/retention.py): addresses or rows per transaction, and how long one
# run keeps taking batches (well inside CELERY_TASK_SOFT_TIME_LIMIT; the next run goes on).
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 200)
RETENTION_BUDGET_SECONDS = env_int("RETENTION_BUDGET_SECONDS", 200)
# The privacy officer is told (once per user per day) when one user has looked at the
# care needs of more than this many residents in a day (privacy/alerts.py).
CARE_READ_ALERT_LIMIT = env_int("CARE_READ_ALERT_LIMIT", 20)
# The audit trail keeps no client address (auditlog would read it from an unchecked
# X-Forwarded-For) and stores its changes as JSON.
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_STORE_JSON_CHANGES = True
# Tests only: a pause per case, to kill a worker in the middle of a sweep.
CHASE_TEST_DELAY_MS = env_int("CHASE_TEST_DELAY_MS", 0)

# Every handler carries ops.logs.RedactFilter: no status link token and no phone number
# reaches a log line (request paths included). Django's own handlers are replaced here
# (its console handler, and mail_admins, whose mails hold the request), so records of
# `django.*` go through the root handler; runserver's lines keep their own format.
# LOG_FORMAT=json writes one JSON object a line (time, level, logger, message,
# request_id), for a log collector; the default is plain lines for `make run`.
LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use plain or json.")
_console_format = "json" if LOG_FORMAT == "json" else "plain"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The redaction filter runs first, so the request id filter and every formatter
    # after it see the clean message.
    "filters": {
        "redact": {"()": "ops.logs.RedactFilter"},
        "request_id": {"()": "ops.logs.RequestIdFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "ops.logs.JsonFormatter"},
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": _console_format,
            "filters": ["redact", "request_id"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "server",
            "filters": ["redact", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}

# Error reporting (ops/sentry.py): only when SENTRY_DSN is set; never personal data.
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
SENTRY_TRACES_SAMPLE_RATE = float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0"))
if SENTRY_DSN:
    from ops.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces=SENTRY_TRACES_SAMPLE_RATE)

# Prometheus metrics (ops/metrics.py) at /metrics, only with `Authorization: Bearer
# <METRICS_TOKEN>`; without a token the page does not exist. nginx never passes /metrics
# on: the scraper asks gunicorn's own address. With several processes (gunicorn workers,
# Celery) PROMETHEUS_MULTIPROC_DIR names the folder where their samples meet.
METRICS_TOKEN = env_str("METRICS_TOKEN")
