"""Settings shared by every environment; values come from the environment."""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from secu4all.common.storage_url import storage_from_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("SECU4ALL_DATA_DIR", "var")).resolve()


def env_list(name: str) -> list[str]:
    """A comma-separated environment variable as a list, empty items dropped."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def local_secret_key(data_dir: Path) -> str:
    """A secret key for non-production use, generated once and kept in the data directory."""
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies whose X-Forwarded-Proto and X-Forwarded-For are believed (addresses or
# networks); from anyone else those headers are dropped. Production trusts the loopback
# proxy unless told otherwise.
TRUSTED_PROXIES = env_list("SECU4ALL_TRUSTED_PROXIES")
# Who may read /metrics: the monitoring host's address or network.
METRICS_ALLOWED = env_list("SECU4ALL_METRICS_ALLOWED") or ["127.0.0.1", "::1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "secu4all.site",
    "secu4all.organisations",
    "secu4all.accounts",
    "secu4all.audit",
    "secu4all.api",
    "secu4all.neighbourhoods",
    "secu4all.incidents",
    "secu4all.assessments",
    "secu4all.training",
    "secu4all.perception",
    "secu4all.partnerships",
]

MIDDLEWARE = [
    # Before anything reads the scheme or the client's address.
    "secu4all.common.proxies.TrustedProxyMiddleware",
    "secu4all.common.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "secu4all.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "secu4all.api.middleware.EmptyParameterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "secu4all.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "secu4all.organisations.middleware.OrganisationScopeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "secu4all.site.urls"
WSGI_APPLICATION = "secu4all.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "secu4all.shell.context_processors.navigation",
            ],
            # money, percent and number: one way to show a figure in the reader's language.
            "builtins": [
                "secu4all.common.templatetags.numbers",
                "secu4all.common.templatetags.labels",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A kept connection is checked before a request reuses it: after a database restart
        # each web thread reconnects instead of failing its next request with a 503.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; IMMEDIATE transactions
    # avoid "database is locked" between them; a larger page cache keeps big imports fast.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        # A page that writes (the audit log, a session) waits for an import's batch to be
        # committed instead of answering 503 after SQLite's default 5 s (seen under load).
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in and password reset back off per account and per network (accounts/throttling.py);
# django-axes only keeps the record of attempts, its username+address lockout is off because
# behind a NAT it let anyone lock anyone out and let one network spray every username.
LOGIN_FAILURE_LIMIT = int(os.environ.get("SECU4ALL_LOGIN_FAILURE_LIMIT", "5"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCK_OUT_AT_FAILURE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
SECU4ALL_BACKOFF = {
    # One account, from anywhere: a few tries, then 1 min, 2, 4 ... up to an hour.
    "sign-in-account": {
        "wait_from": LOGIN_FAILURE_LIMIT,
        "first_wait": 60,
        "longest_wait": 3600,
        "memory": 86400,
    },
    # One /24 or /64, any usernames: room for a whole office behind one address.
    "sign-in-network": {"wait_from": 30, "first_wait": 30, "longest_wait": 3600, "memory": 86400},
    # Reset mails: three per address, ten per network, then the wait doubles.
    "reset-account": {"wait_from": 3, "first_wait": 300, "longest_wait": 3600, "memory": 86400},
    "reset-network": {"wait_from": 10, "first_wait": 60, "longest_wait": 3600, "memory": 3600},
}

# A session ends after this many minutes without a request; activity renews it (at most once a
# minute: accounts.middleware.IdleSessionMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("SECU4ALL_SESSION_IDLE_MINUTES", "30")) * 60

OTP_TOTP_ISSUER = "Secu4All"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("it", _("Italian")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
USE_I18N = True
# "en" is British English: day-first dates (3 December 2026, 03/12/2026). Numbers are grouped
# only where a figure is shown (common/numbers.py and its template filters), not globally:
# a global thousand separator would also group ids, years and SVG coordinates ("2.026").
FORMAT_MODULE_PATH = ["secu4all.site.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
# Several hosts share uploads through a directory they all mount, or through S3-compatible
# storage (SECU4ALL_STORAGE_URL, common/storage_url.py).
MEDIA_ROOT = Path(os.environ.get("SECU4ALL_MEDIA_ROOT") or DATA_DIR / "media").resolve()
# Each organisation's base map (a PMTiles archive), served by the platform with range requests
# from a directory (shared between web hosts), also when uploads are kept in S3.
BASE_MAP_ROOT = Path(os.environ.get("SECU4ALL_BASE_MAP_ROOT") or DATA_DIR / "basemaps").resolve()
BASE_MAP_MAX_BYTES = int(os.environ.get("SECU4ALL_BASE_MAP_MAX_BYTES", 2 * 1024**3))
# Partnership attachments: checked by content, kept under MEDIA_ROOT (never served directly;
# only a view that applies the TLP policy hands them out).
PARTNERSHIP_UPLOAD_MAX_BYTES = int(os.environ.get("SECU4ALL_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
PARTNERSHIP_ZIP_MAX_UNCOMPRESSED = 50 * 1024 * 1024
PARTNERSHIP_ZIP_MAX_RATIO = 100
PARTNERSHIP_ZIP_MAX_MEMBERS = 1000
PARTNERSHIP_ZIP_MAX_DEPTH = 2  # a DOCX may embed a spreadsheet, not archives in archives

# A site area's outline: at most this many corners (checking it is O(n log n)).
SITE_AREA_MAX_CORNERS = int(os.environ.get("SECU4ALL_SITE_AREA_MAX_CORNERS", 2000))

STORAGES = {
    "default": storage_from_url(os.environ.get("SECU4ALL_STORAGE_URL", "")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Secu4All <noreply@localhost>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# An optional base-map tile server, e.g. https://tiles.example.org/{z}/{x}/{y}.png; none by
# default, so maps work offline and leak nothing to a third party.
TILE_URL = os.environ.get("SECU4ALL_TILE_URL", "")

# No inline scripts or styles anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([TILE_URL.split("/{")[0]] if TILE_URL else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a bad token a 401, not a 403.
        "secu4all.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Secu4All API",
    "DESCRIPTION": "Versioned REST API of the Secu4All platform. Every organisation-owned "
    "resource lives under /api/v1/organisations/{org_slug}/ and is visible only to members.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI puts each one inside the operation's button, a link nested in
    # a button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "secu4all.api.schema.document_error_responses",
    ],
}

# An API token stops working this many days after it was created.
API_TOKEN_MAX_AGE_DAYS = int(os.environ.get("SECU4ALL_API_TOKEN_MAX_AGE_DAYS", "90"))

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# One cache for every process and host of the platform, so the sign-in back-off and the
# survey rate limits count across all web processes: a table of the database by default
# (`secu4all migrate` makes it), Redis at scale.
CACHE_URL = os.environ.get("SECU4ALL_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "secu4all_cache",
            # Computed analyses live here too (common/computed.py): Django's default of 300
            # entries would cull them while they are still current.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
TASK_BACKEND = os.environ.get("SECU4ALL_TASK_BACKEND", "database")
if TASK_BACKEND == "rq":
    TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
        # Keeps what is enqueued while Redis is away, until a worker moves it (common/tasks.py).
        "parked": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}

# Incident imports: dates outside [earliest, today + months ahead] are rejected per row; rows
# are written and committed in batches; a queued or running import without a sign of life
# for the stale timeout has lost its worker and is queued again (at most a few times).
SECU4ALL_IMPORT_EARLIEST_DATE = date.fromisoformat(
    os.environ.get("SECU4ALL_IMPORT_EARLIEST_DATE", "1990-01-01")
)
SECU4ALL_IMPORT_MONTHS_AHEAD = int(os.environ.get("SECU4ALL_IMPORT_MONTHS_AHEAD", "1"))
SECU4ALL_IMPORT_BATCH_ROWS = int(os.environ.get("SECU4ALL_IMPORT_BATCH_ROWS", "20000"))
SECU4ALL_IMPORT_STALE_SECONDS = int(os.environ.get("SECU4ALL_IMPORT_STALE_SECONDS", "900"))
SECU4ALL_IMPORT_MAX_ATTEMPTS = int(os.environ.get("SECU4ALL_IMPORT_MAX_ATTEMPTS", "3"))
# police.uk files are read in blocks of this many bytes, so a file of several GB imports in
# bounded memory; the largest file a worker imports (uploads have their own limit).
SECU4ALL_IMPORT_BLOCK_BYTES = int(os.environ.get("SECU4ALL_IMPORT_BLOCK_BYTES", str(32 * 1024**2)))
SECU4ALL_IMPORT_MAX_BYTES = int(os.environ.get("SECU4ALL_IMPORT_MAX_BYTES", str(8 * 1024**3)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_one_line": {"()": "secu4all.common.logging.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A 403 or 401 is logged as one line ("Forbidden (Permission denied): /path"), never with
    # the traceback Django attaches to a PermissionDenied.
    "loggers": {"django.request": {"filters": ["refusal_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Training: the public address of the platform (xAPI actor homePage and activity IRIs), and an
# optional external Learning Record Store that receives every learning statement.
SECU4ALL_PLATFORM_URL = os.environ.get("SECU4ALL_PLATFORM_URL", "http://localhost:8000")
SECU4ALL_LRS_ENDPOINT = os.environ.get("SECU4ALL_LRS_ENDPOINT", "")
SECU4ALL_LRS_KEY = os.environ.get("SECU4ALL_LRS_KEY", "")
SECU4ALL_LRS_SECRET = os.environ.get("SECU4ALL_LRS_SECRET", "")

# Task workers (common/task_workers.py): a worker silent for this long has died, and the tasks it
# was running are ended as failed; those safe to run twice are queued again.
SECU4ALL_TASK_WORKER_STALE_SECONDS = int(
    os.environ.get("SECU4ALL_TASK_WORKER_STALE_SECONDS", "120")
)
SECU4ALL_TASKS_RETRIED_WHEN_LOST = ["secu4all.training.tasks.forward_statements"]
