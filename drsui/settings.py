"""drsui settings.

The embedded default (no environment set) runs on SQLite with the sandbox mounted at /sandbox/.
Production: DRSUI_ENV=production plus DJANGO_SECRET_KEY, DRSUI_SECRET_KEYS, DATABASE_URL-style
DRSUI_DB_* variables and DJANGO_ALLOWED_HOSTS.
"""

import os
from pathlib import Path

from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = os.environ.get("DRSUI_ENV") == "production"


def _env_list(name, default=""):
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


if PRODUCTION:
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    DEBUG = False
    ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "drsui-embedded-default-not-for-production")
    # Off unless asked for: the technical error page would show a failing frame's local values.
    DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

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
    "django_tasks_db",
    "drsui.wizard",
    "drsui.jobs",
]

MIDDLEWARE = [
    "drsui.metrics.middleware.RequestMetricsMiddleware",  # first: times all the others too
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if PRODUCTION:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("DRSUI_DB_NAME", "drsui"),
            "USER": os.environ.get("DRSUI_DB_USER", "drsui"),
            "PASSWORD": os.environ.get("DRSUI_DB_PASSWORD", ""),
            "HOST": os.environ.get("DRSUI_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("DRSUI_DB_PORT", "5432"),
            "CONN_MAX_AGE": 60,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "drsui.sqlite",
            "NAME": os.environ.get("DRSUI_SQLITE_PATH", BASE_DIR / "db.sqlite3"),
            # WAL with synchronous=NORMAL: a commit does not wait for fsync (a power cut may
            # lose the last commits, never corrupt the file); IMMEDIATE: writers queue for the
            # lock instead of failing with "database is locked" when a read turns into a write;
            # drsui.sqlite: they queue in the kernel, woken when the lock is free (see there).
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "CONN_MAX_AGE": 600,  # a new SQLite connection per request costs ~1 ms
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves `collectstatic`'s output; the embedded default serves from the finders.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
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
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # read by no script: the token rides in hx-headers on <body>
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Uploads: a certificate or an imported body; anything bigger is refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Secrets at rest (database passwords, certificates, cloud credentials): Fernet keys, newest
# first. Several keys let a key be rotated without losing drafts (MultiFernet).
DRSUI_SECRET_KEYS = _env_list("DRSUI_SECRET_KEYS") or (
    [] if PRODUCTION else ["ZHJzdWktZW1iZWRkZWQtZGVmYXVsdC1rZXktMDAwMDA="]
)

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DRSUI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"level": "WARNING"},
    },
}
