"""drsui settings.

The embedded default (no environment set) runs on SQLite with the sandbox mounted at /sandbox/.
DATABASE_URL chooses another database (PostgreSQL). Production: DRSUI_ENV=production plus
DJANGO_SECRET_KEY, DRSUI_SECRET_KEYS, DATABASE_URL and DJANGO_ALLOWED_HOSTS (README lists all).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from drsui.production import (
    EMBEDDED_FERNET_KEY,
    EMBEDDED_SECRET_KEY,
    UnsafeProductionSettings,
    production_problems,
)

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = os.environ.get("DRSUI_ENV") == "production"


def _env_list(name, default=""):
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


if PRODUCTION:
    _problems = production_problems(os.environ)
    if _problems:
        raise UnsafeProductionSettings(_problems)
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    DEBUG = False
    ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", EMBEDDED_SECRET_KEY)
    # Off unless asked for: the technical error page would show a failing frame's local values.
    DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

# Behind a proxy that ends TLS (it must set X-Forwarded-Proto and append X-Forwarded-For; see
# README): the request's scheme and the client's address are taken from those headers.
BEHIND_TLS_PROXY = os.environ.get("DRSUI_BEHIND_TLS_PROXY", "0") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "drsui.sandbox",  # before staticfiles: its runserver answers without Nagle's delay
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "drsui.audit",
    "drsui.wizard",
    "drsui.waves",
    "drsui.jobs",
    "django_tasks_db",  # after drsui.jobs: its db_worker command is drsui.jobs' (#11)
    "drsui.notify",
    "drsui.people",
]

MIDDLEWARE = [
    "drsui.metrics.middleware.RequestMetricsMiddleware",  # first: times all the others too
    "drsui.logs.RequestIdMiddleware",  # first: every answer carries X-Request-ID
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the browser's language (or its cookie)
    "drsui.people.middleware.preferences_middleware",  # the person's language and time zone
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "drsui.htmx.htmx_redirects",  # after HtmxMiddleware: it reads request.htmx
    "axes.middleware.AxesMiddleware",  # last: it answers for a view whose log-in was refused
]

# Ordinary forms (login, import, rename, ops filters) render with crispy's Bootstrap 5 pack;
# the wizard's steps keep their own field partials.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

ROOT_URLCONF = "drsui.urls"
WSGI_APPLICATION = "drsui.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",  # LANGUAGE_CODE, LANGUAGES
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL chooses the database (postgres://user:password@host:5432/name in production);
# unset, the embedded default's SQLite file. A sqlite:// URL also gets drsui's SQLite backend.
SQLITE_OPTIONS = {
    # WAL with synchronous=NORMAL: a commit does not wait for fsync (a power cut may lose the
    # last commits, never corrupt the file); IMMEDIATE: writers queue for the lock instead of
    # failing with "database is locked" when a read turns into a write; drsui.sqlite: they
    # queue in the kernel, woken when the lock is free (see there).
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "drsui.sqlite",
            "NAME": os.environ.get("DRSUI_SQLITE_PATH", BASE_DIR / "db.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] in ("django.db.backends.sqlite3", "drsui.sqlite"):
    DATABASES["default"].update({
        "ENGINE": "drsui.sqlite",
        "OPTIONS": SQLITE_OPTIONS,
        "CONN_MAX_AGE": 600,  # a new SQLite connection per request costs ~1 ms
        "CONN_HEALTH_CHECKS": False,
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out log-in before any hashing
    "django.contrib.auth.backends.ModelBackend",
]
# Log-in throttling (django-axes): AXES_FAILURE_LIMIT failures for one username from one
# address lock that pair out for AXES_COOLOFF_TIME; a successful log-in starts the count again.
AXES_FAILURE_LIMIT = int(os.environ.get("DRSUI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DRSUI_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "drsui.access.client_ip"
AXES_LOCKOUT_CALLABLE = "drsui.access.login_locked_out"
AXES_DISABLE_ACCESS_LOG = True  # successful log-ins are not kept (failures are)
AXES_VERBOSE = False  # no banner on every manage.py command (drs_validate prints JSON lines)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# English and Simplified Chinese (`make messages` extracts, the Makefile compiles). A browser
# asking for zh-CN, zh-SG or zh gets zh-hans (Django's fallbacks).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
# Every area's catalog, listed so that drsui's words outrank those of the apps listed before
# its own (Django's admin says "Filter" as 过滤器; drsui says 筛选).
LOCALE_PATHS = [BASE_DIR / "locale"] + [
    BASE_DIR / "drsui" / area / "locale"
    for area in ("contract", "drs", "audit", "wizard", "waves", "jobs", "notify", "sandbox",
                 "people")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves `collectstatic`'s output; the embedded default serves from the finders.
STATIC_ROOT = (Path(os.environ.get("DRSUI_STATIC_ROOT", BASE_DIR / "staticfiles"))
               if PRODUCTION else None)
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
}
SESSION_ENGINE = "drsui.sessions"  # Django's database sessions, read with a plain query
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # read by no script: the token rides in hx-headers on <body>
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS")  # https://portal.example.com
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes may come over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("DRSUI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("DRSUI_HSTS_PRELOAD", "1") == "1"
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Uploads: a certificate or an imported body; anything bigger is refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000  # a wave's grid: up to 1000 rows of a few cells
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Secrets at rest (database passwords, certificates, cloud credentials): Fernet keys, newest
# first. Several keys let a key be rotated without losing drafts (MultiFernet).
DRSUI_SECRET_KEYS = _env_list("DRSUI_SECRET_KEYS") or (
    [] if PRODUCTION else [EMBEDDED_FERNET_KEY]
)

# Submissions one person may make per minute (the review page says so past it).
DRSUI_SUBMITS_PER_MINUTE = int(os.environ.get("DRSUI_SUBMITS_PER_MINUTE", "10"))
# A wave's send is one decision, whatever its rows: sends (and retries) of waves a minute.
DRSUI_WAVE_SENDS_PER_MINUTE = int(os.environ.get("DRSUI_WAVE_SENDS_PER_MINUTE", "5"))

# /readyz answers 503 when a task ready to run has waited longer than this (seconds).
DRSUI_READY_QUEUE_MAX_AGE = int(os.environ.get("DRSUI_READY_QUEUE_MAX_AGE", "300"))

# Outgoing HTTP to DRS and IAM.
DRSUI_HTTP_CONNECT_TIMEOUT = float(os.environ.get("DRSUI_HTTP_CONNECT_TIMEOUT", "5"))
DRSUI_HTTP_READ_TIMEOUT = float(os.environ.get("DRSUI_HTTP_READ_TIMEOUT", "30"))

# The sandbox: a fake DRS + IAM mounted at /sandbox/ (off in production).
DRSUI_SANDBOX_ENABLED = (
    os.environ.get("DRSUI_SANDBOX_ENABLED", "0" if PRODUCTION else "1") == "1"
)
DRSUI_SANDBOX = {
    "IAM_USER": os.environ.get("DRSUI_SANDBOX_IAM_USER", "sandbox"),
    "IAM_PASSWORD": os.environ.get("DRSUI_SANDBOX_IAM_PASSWORD", "sandbox"),
    "IAM_DOMAIN": os.environ.get("DRSUI_SANDBOX_IAM_DOMAIN", "sandbox"),
    "TOKEN_TTL_SECONDS": int(os.environ.get("DRSUI_SANDBOX_TOKEN_TTL", str(24 * 3600))),
    # The access key pairs (AK: SK) whose signed requests the sandbox accepts.
    "ACCESS_KEYS": {
        os.environ.get("DRSUI_SANDBOX_AK", "SANDBOXDEMOACCESSKEY"): os.environ.get(
            "DRSUI_SANDBOX_SK", "sandbox-demo-secret-access-key-0000000000"
        )
    },
    # CREATING -> CONFIGURATION after this many seconds.
    "CONFIGURATION_DELAY_SECONDS": float(os.environ.get("DRSUI_SANDBOX_CONFIG_DELAY", "2")),
}
# /metrics (Prometheus) answers clients on this machine, and anyone sending
# "Authorization: Bearer <DRSUI_METRICS_TOKEN>" when that is set.
DRSUI_METRICS_TOKEN = os.environ.get("DRSUI_METRICS_TOKEN", "")
# Where the portal itself is served: the demo "Sandbox" project points here.
DRSUI_PORTAL_URL = os.environ.get("DRSUI_PORTAL_URL", "http://127.0.0.1:8000")

# Notifications (drsui.notify): the hosts webhooks may post to, as host names or host:port,
# comma-separated. Unset: loopback only in the embedded default, nothing in production (a
# webhook to another host is refused when saved and when posted). Production also requires
# HTTPS to any host but loopback.
DRSUI_WEBHOOK_HOSTS = _env_list(
    "DRSUI_WEBHOOK_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
DRSUI_WEBHOOK_HTTPS_ONLY = PRODUCTION
# Seconds to connect and then to answer, per post; the waits before each retry, then give up.
DRSUI_WEBHOOK_TIMEOUT = float(os.environ.get("DRSUI_WEBHOOK_TIMEOUT", "5"))
DRSUI_WEBHOOK_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 3600]

# Sending to DRS and refreshing job statuses run as tasks. Production: the database queue
# (`manage.py db_worker`, plus `manage.py drsui_refresh_status` for the status refresh).
# Embedded default: a pool of 4 threads in the web process (inline on an in-memory database).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if PRODUCTION
        else "drsui.jobs.backends.ThreadPoolBackend"
    }
}
# The embedded default also refreshes job statuses on a thread of the web process
# (drsui.jobs.refresher, started by drsui/wsgi.py); production runs drsui_refresh_status.
DRSUI_EMBEDDED_REFRESH = os.environ.get(
    "DRSUI_EMBEDDED_REFRESH", "0" if PRODUCTION else "1") == "1"

# Logs: one JSON object per line in production (DRSUI_LOG_FORMAT=json|text), every record
# tagged with its request id and user and masked of secrets (drsui.logs).
LOG_FORMAT = os.environ.get("DRSUI_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "drsui.logs.RequestContext"},
        "mask_secrets": {"()": "drsui.logs.MaskSecrets"},
    },
    "formatters": {
        "json": {"()": "drsui.logs.JsonFormatter"},
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context", "mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DRSUI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"level": "WARNING"},
    },
}
