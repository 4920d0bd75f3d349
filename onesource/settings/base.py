"""Settings shared by every environment. Environment-specific modules import from here."""

import contextlib
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from onesource.env import env_bool, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(env_str("ONESOURCE_DATA_DIR", str(PROJECT_DIR / "var")))
# The embedded default keeps its SQLite file, uploads and cache here: a fresh checkout has none yet.
# A read-only location is the deployer's to provide; Django then reports what it cannot open.
with contextlib.suppress(OSError):
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
ALLOWED_HOSTS = [h for h in env_str("ONESOURCE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("ONESOURCE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Business apps, in dependency order: core first; the others import core only.
ONESOURCE_APPS = [
    "onesource.core",
    "onesource.workforce",
    "onesource.hr",
    "onesource.costing",
    "onesource.savings",
    "onesource.strategy",
    "onesource.performance",
    "onesource.procurement",
    "onesource.reports",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "auditlog",
    "axes",
    "ninja",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "crispy_forms",
    "crispy_forms_gds",
    *ONESOURCE_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "onesource.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Scripts only from this site or inline with the per-response nonce; nothing may frame the pages.
# Styles allow 'unsafe-inline' because several pages still carry style attributes (a style attribute
# cannot take a nonce); scripts are the injection risk that matters and are held to nonces.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

ROOT_URLCONF = "onesource.urls"
WSGI_APPLICATION = "onesource.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "csp.context_processors.nonce",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onesource.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'onesource.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the job worker write while pages read; a busy timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# The precompiled GOV.UK stylesheet refers to /assets/...; serve those at the site root.
WHITENOISE_ROOT = PACKAGE_DIR / "static" / "build" / "root"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Audit trail: every change is logged with the request's id as correlation id.
AUDITLOG_CID_GETTER = "onesource.core.middleware.current_request_id"
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# Background jobs: stored in the database and run by `onesource worker` (started by `onesource serve`).
TASKS = {
    "default": {
        "BACKEND": env_str("ONESOURCE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Job progress is written outside the job's own database transaction, so it lives in a cache
# that every process shares: files by default, Redis when ONESOURCE_REDIS_URL is set. Figures cached
# under data versions (core.versions) are shared the same way.
_redis_url = env_str("ONESOURCE_REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            # Cached figures (drivers, cost shares, charts: one file each) go well past the default
            # 300 entries, beyond which Django deletes a third of them at random on every write.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    )
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 1000

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ONESOURCE_LOG_LEVEL", "WARNING")},
}

ONESOURCE_SHOW_DEMO_BANNER = env_bool("ONESOURCE_DEMO", False)
