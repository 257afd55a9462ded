"""Django settings for chengxin, read from the environment (see `.env.example`).

The demo needs no environment at all: SQLite in WAL mode under `var/`, keys generated into
`var/secrets/`. Outside demo mode the keys are required (docs/keys.md): production sets
`CHENGXIN_DATABASE_URL=postgresql://…`, `CHENGXIN_SECRET_KEY`, `CHENGXIN_DATA_KEY`,
`CHENGXIN_AUDIT_KEY` and `CHENGXIN_ALLOWED_HOSTS`.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from chengxin.config import (
    REPO_ROOT,
    env_bool,
    env_int,
    env_list,
    env_str,
    exchange_channels,
    home,
    required_secrets,
)

BASE_DIR = Path(__file__).resolve().parent
# Every file this platform writes is for its service account alone (0600, folders 0700): the
# embedded database and its -wal/-shm, uploads, the cache, outbox messages hold personal data.
# Set before home() creates the first folder; `chengxin serve` tightens older files (ADR 0016).
os.umask(0o077)
HOME = home()

# Demo mode: plain HTTP on 127.0.0.1, demo accounts. Never set in production.
DEMO_MODE = env_bool("CHENGXIN_DEMO")
DEBUG = env_bool("CHENGXIN_DEBUG")
# The one rule that tells a demo or test run from a real one: generate missing keys into
# $CHENGXIN_HOME/secrets/, or refuse to start without them (docs/keys.md).
GENERATE_SECRETS = env_bool("CHENGXIN_GENERATE_SECRETS", DEMO_MODE)
_secrets = required_secrets(
    {
        "CHENGXIN_SECRET_KEY": ("django-secret-key", 50),
        # Personal data at rest (AES-256-GCM) and its blind index (HMAC): core/personal_data.py.
        "CHENGXIN_DATA_KEY": ("data-key", 32),
        # The keyed audit chain and its anchors (audit/chain.py, ADR 0002).
        "CHENGXIN_AUDIT_KEY": ("audit-key", 32),
    },
    generate=GENERATE_SECRETS,
)
SECRET_KEY = _secrets["CHENGXIN_SECRET_KEY"]
# Earlier secret keys still accepted for sessions and signed values while they expire.
SECRET_KEY_FALLBACKS = [k for k in env_str("CHENGXIN_SECRET_KEY_FALLBACKS", "").split(",") if k]
DATA_KEY = _secrets["CHENGXIN_DATA_KEY"]
AUDIT_KEY = _secrets["CHENGXIN_AUDIT_KEY"]
ALLOWED_HOSTS = env_str("CHENGXIN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "chengxin.core",
    "chengxin.audit",
    "chengxin.accounts",
    "chengxin.subjects",
    "chengxin.publicity",
    "chengxin.imports",
    "chengxin.portal",
    "chengxin.screening",
    "chengxin.repair",
    "chengxin.outbox",
    "chengxin.exchange",
    "chengxin.agencies",
    "chengxin.powers",
    "chengxin.cases",
    "chengxin.documents",
    "chengxin.decisions",
    "chengxin.disputes",
    "chengxin.reports",
    "chengxin.operations",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

# Background jobs: persisted in the database, run by `chengxin db_worker` (started by
# `chengxin serve` next to the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chengxin.core.security.ContentSecurityPolicyMiddleware",  # django-csp, header built once
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chengxin.core.middleware.LanguageMiddleware",
    # A NUL byte in a path, query or form field is a 400, not a PostgreSQL DataError (500).
    "chengxin.core.middleware.RefuseNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The idle timeout, writing the session at most every few minutes (accounts.middleware).
    "chengxin.accounts.middleware.SessionRefreshMiddleware",
    "chengxin.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chengxin.urls"
WSGI_APPLICATION = "chengxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chengxin.core.context_processors.site",
            ],
        },
    },
]


PG_SESSION_OPTIONS = "-c jit=off -c random_page_cost=1.1"


def database_config(url: str | None) -> dict[str, Any]:
    """PostgreSQL from a URL; otherwise the embedded SQLite file in WAL mode."""
    if url:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
        # The application's sessions plan for data in memory or on SSD (a page read at random
        # costs little more than one in sequence: PostgreSQL's default of 4 made a lookup of
        # 10,000 credit codes scan a million list entries) and without JIT compilation (it took
        # 120 ms of that 280 ms lookup; the application's queries are short). `?options=` in
        # the URL replaces both.
        options: dict[str, Any] = {"options": PG_SESSION_OPTIONS, **config.get("OPTIONS", {})}
        config["OPTIONS"] = options
        return config
    return {
        # Django's SQLite backend; web workers queue for the write lock (core.sqlite.base).
        "ENGINE": "chengxin.core.sqlite",
        "NAME": HOME / "chengxin.sqlite3",
        "OPTIONS": {
            # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN so two writers queue (busy timeout) instead of failing mid-transaction.
            # A 64 MB page cache and memory-mapped reads: indexes of a million rows are probed
            # at random by searches and credit checks (SQLite's default cache is 2 MB).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # As for PostgreSQL: a connection per worker kept for a minute, not one per request
        # (opening one runs the PRAGMAs above and reads the schema: ~9 ms of every API call).
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": database_config(env_str("CHENGXIN_DATABASE_URL", "") or None)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses any login from an address sending too many failures (accounts.login_throttle).
    "chengxin.accounts.login_throttle.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# GB/T 22239-2019 level 3: strong hashing, complex passwords, lockout, idle timeout.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "chengxin.accounts.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "chengxin.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("CHENGXIN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("CHENGXIN_LOCKOUT_MINUTES", 15) / 60  # hours
# Account lockout (登录失败处理) counts per account *and* address: failures from one address
# cannot lock an administrator out everywhere, and a department's staff sharing one NAT address
# are not locked out together. Spraying one address's tries over many accounts is throttled per
# address (accounts.login_throttle, local settings accounts.address_failure_limit/login_allowlist).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client's address behind the trusted proxies below, the same for every use (core.client_address).
AXES_CLIENT_IP_CALLABLE = "chengxin.core.client_address.client_ip"

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated):
# only a request from one of them gives its client's address in the header. Empty: none.
TRUSTED_PROXIES = env_list("CHENGXIN_TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"CHENGXIN_TRUSTED_PROXIES: {_proxy!r} is not an address or a network."
        ) from _exc

# The idle timeout (GB/T 22239: 超时自动退出): a session without a request for this long ends.
# It is written at most every SESSION_REFRESH_SECONDS, not on every request
# (accounts.middleware.SessionRefreshMiddleware, which states the exact window: 28–30 minutes
# with the defaults); the stored session outlives the timeout by one refresh interval.
SESSION_IDLE_TIMEOUT_SECONDS = env_int("CHENGXIN_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_REFRESH_SECONDS = env_int("CHENGXIN_SESSION_REFRESH_MINUTES", 2) * 60
if not 0 < SESSION_REFRESH_SECONDS < SESSION_IDLE_TIMEOUT_SECONDS:
    raise ImproperlyConfigured(
        "CHENGXIN_SESSION_REFRESH_MINUTES must be at least 1 and less than"
        " CHENGXIN_IDLE_TIMEOUT_MINUTES."
    )
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_SECONDS + SESSION_REFRESH_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# API tokens (accounts.actions.create_api_token): the term a new token gets unless another
# date is chosen, and the longest allowed, in days.
API_TOKEN_DEFAULT_DAYS = env_int("CHENGXIN_API_TOKEN_DEFAULT_DAYS", 180)
API_TOKEN_MAX_DAYS = env_int("CHENGXIN_API_TOKEN_MAX_DAYS", 365)
if not 0 < API_TOKEN_DEFAULT_DAYS <= API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured(
        "CHENGXIN_API_TOKEN_DEFAULT_DAYS must be at least 1 and at most CHENGXIN_API_TOKEN_MAX_DAYS."
    )
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A refused form in Chinese in the site's layout, JSON under /api/ (handler400-500: urls.py).
CSRF_FAILURE_VIEW = "chengxin.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEMO_MODE and not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("CHENGXIN_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("CHENGXIN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts or styles, nothing from another origin (government intranets are closed).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = HOME / "media"

# Shared between the web and worker processes (import progress, rate limits): files under
# var/cache in the embedded default, Redis in production when CHENGXIN_REDIS_URL is set.
REDIS_URL = env_str("CHENGXIN_REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": HOME / "cache",
        }
    )
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600  # uploads hold ID numbers (ADR 0016)
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# An upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE waits in a file for the length of its request,
# in plain text: in a private folder of the home, not the system's /tmp, and what a killed web
# worker left there is deleted by the recovery before each job worker starts (core/tasks.py).
FILE_UPLOAD_TEMP_DIR = str(HOME / "upload-tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, exist_ok=True)
IMPORT_MAX_UPLOAD_MB = env_int("CHENGXIN_IMPORT_MAX_UPLOAD_MB", 200)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CHENGXIN_LOG_LEVEL", "INFO")},
    # Logins and lockouts are in the audit chain already; axes repeats each at INFO.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Public portal: requests per address per window, (count, seconds); set per district.
PORTAL_RATE_LIMITS = {
    "search": (env_int("CHENGXIN_SEARCH_PER_MINUTE", 60), 60),
    "report": (env_int("CHENGXIN_REPORTS_PER_HOUR", 20), 3600),
    "repair": (env_int("CHENGXIN_REPAIR_PER_HOUR", 10), 3600),
    # Public comments on draft documents and major decisions (公众参与).
    "comment": (env_int("CHENGXIN_COMMENTS_PER_HOUR", 10), 3600),
}
# Public pages kept in the cache (subject, home, statistics), in seconds; a change to what is
# public makes them stale at once (chengxin/portal/cache.py), this bounds anything else.
PORTAL_PAGE_CACHE_SECONDS = env_int("CHENGXIN_PORTAL_PAGE_CACHE_SECONDS", 300)

# The CJK font the credit report PDF embeds (installed by `python3 dev.py`, see ensure_fonts).
REPORT_FONT_DIR = Path(env_str("CHENGXIN_REPORT_FONT_DIR", str(REPO_ROOT / "var" / "fonts")))

# The names shown before `chengxin setup` has stored the district (core.regions): neutral, so
# that an installation not yet set up never shows another district's name.
SITE_NAME = _("公共信用信息平台")
DISTRICT_NAME = _("本区")
CREDIT_OFFICE = _("社会信用体系建设领导小组办公室")

# Synchronisation with the upper platform (chengxin/outbox): POST to SYNC_URL, or, when it is
# empty (the embedded default), write each message as a JSON file into SYNC_OUTBOX_DIR.
SYNC_URL = env_str("CHENGXIN_SYNC_URL", "")
SYNC_TOKEN = env_str("CHENGXIN_SYNC_TOKEN", "")
SYNC_OUTBOX_DIR = Path(env_str("CHENGXIN_SYNC_OUTBOX_DIR", str(HOME / "outbox")))
SYNC_TIMEOUT_SECONDS = env_int("CHENGXIN_SYNC_TIMEOUT_SECONDS", 10)
SYNC_MAX_ATTEMPTS = env_int("CHENGXIN_SYNC_MAX_ATTEMPTS", 8)
SYNC_RETRY_BASE_SECONDS = env_int("CHENGXIN_SYNC_RETRY_BASE_SECONDS", 30)
SYNC_RETRY_MAX_SECONDS = 6 * 3600
SYNC_STALLED_SECONDS = 15 * 60

# Upward reporting (chengxin/exchange, docs/exchange.md): the channels to the city platform, the
# provincial platform and 国家企业信用信息公示系统, each with its address, credential, payload
# format, schedule and routing (CHENGXIN_EXCHANGE_CHANNELS, CHENGXIN_EXCHANGE_<NAME>_*). Batches
# are delivered by the outbox (its retries, backoff and dead letters).
EXCHANGE_CHANNELS = exchange_channels(HOME)

# Credit repair evidence files (chengxin/repair): kept outside MEDIA_ROOT, served to staff only.
REPAIR_EVIDENCE_DIR = Path(env_str("CHENGXIN_REPAIR_EVIDENCE_DIR", str(HOME / "repair-evidence")))
REPAIR_EVIDENCE_MAX_MB = env_int("CHENGXIN_REPAIR_EVIDENCE_MAX_MB", 10)
REPAIR_EVIDENCE_MAX_FILES = 5

# Signed checkpoints of the audit chain outside the database (audit/anchors.py, ADR 0002):
# written by the job worker at start and then every interval (0: never; use cron and
# `chengxin audit anchor`), checked by `chengxin audit verify`.
AUDIT_ANCHOR_DIR = Path(env_str("CHENGXIN_AUDIT_ANCHOR_DIR", str(HOME / "audit-anchors")))
AUDIT_ANCHOR_INTERVAL_SECONDS = env_int("CHENGXIN_AUDIT_ANCHOR_INTERVAL_SECONDS", 3600)
