"""Settings for isms-csirt, read from environment variables only.

Every variable is listed with its default in README.md ("Configuration"). The defaults give the
embedded quick-start: SQLite and a Celery broker that needs no server, both under ``var/``.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


VAR_DIR = Path(env_str("ISMS_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    # A development key, generated once and kept out of git (var/ is ignored).
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _dev_key_file(name: str, make: str) -> str:
    """A development secret generated once under var/ (kept out of git), shared by every process."""
    path = VAR_DIR / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(make)
    return make


def _timeline_hmac_keys() -> dict[str, bytes]:
    """TIMELINE_HMAC_KEYS: ``id:base64key,…``; every key that ever signed an entry stays listed."""
    raw = env_str("TIMELINE_HMAC_KEYS")
    if not raw:
        if not DEBUG:
            raise ImproperlyConfigured("TIMELINE_HMAC_KEYS is required when DJANGO_DEBUG is off.")
        fresh = base64.b64encode(secrets.token_bytes(32)).decode()
        raw = _dev_key_file("timeline-hmac-keys", f"dev:{fresh}")
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key_id, _sep, encoded = item.partition(":")
        if not re.fullmatch(r"[A-Za-z0-9_.-]{1,16}", key_id) or key_id in keys:
            raise ImproperlyConfigured(f"TIMELINE_HMAC_KEYS: bad or repeated key id {key_id!r}")
        try:
            secret = base64.b64decode(encoded.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"TIMELINE_HMAC_KEYS: key {key_id!r} is not base64") from exc
        if len(secret) < 32:
            raise ImproperlyConfigured(f"TIMELINE_HMAC_KEYS: key {key_id!r} is under 32 bytes")
        keys[key_id] = secret
    if not keys:
        raise ImproperlyConfigured("TIMELINE_HMAC_KEYS names no key")
    return keys


# The timeline's HMAC keys live outside the database (docs/operations.md, "Timeline keys"):
# new entries are signed with TIMELINE_HMAC_KEY_ID (default: the first listed), older ones
# verify with the key id they recorded.
TIMELINE_HMAC_KEYS = _timeline_hmac_keys()
TIMELINE_HMAC_KEY_ID = env_str("TIMELINE_HMAC_KEY_ID") or next(iter(TIMELINE_HMAC_KEYS))
if TIMELINE_HMAC_KEY_ID not in TIMELINE_HMAC_KEYS:
    raise ImproperlyConfigured(f"TIMELINE_HMAC_KEY_ID {TIMELINE_HMAC_KEY_ID!r} is not listed")
# Signed checkpoints of every chain head, written by beat under this directory (one folder per
# organisation) and, when TIMELINE_ANCHOR_EMAIL is on, mailed to the ISMS office.
TIMELINE_ANCHOR_DIR = Path(env_str("TIMELINE_ANCHOR_DIR") or VAR_DIR / "anchors")
TIMELINE_ANCHOR_SECONDS = env_int("TIMELINE_ANCHOR_SECONDS", 3600)
TIMELINE_ANCHOR_EMAIL = env_bool("TIMELINE_ANCHOR_EMAIL", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "common",
    "accounts",
    "incidents",
    "risklevels",
    "bcp",
    "isms",
    "comms",
    "sharing",
    "privacy",
    "notifications",
    "training",
    "dashboard",
    "records",
    "guide",
    "demo",
    # Last: its catalogue translates common words ("New", "Fixed") in its own sense, and an
    # app listed earlier wins for the same text.
    "vulns",
]

MIDDLEWARE = [
    # First and last: request latency and counts for /metrics (django-prometheus).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.ContentSecurityPolicyMiddleware",
    # Before anything reads the body (sessions, CSRF, the views): refuse it by Content-Length.
    "common.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.OrganisationTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # After the second factor: an outside responder stays inside the incident of the invitation.
    "comms.middleware.GuestScopeMiddleware",
    # After the user is known: a request on an exercise object runs on that exercise's clock.
    "common.middleware.ObjectClockMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# GET /metrics (Prometheus) answers a scraper sending "Authorization: Bearer <token>" and staff;
# anyone else gets a 404. Empty: staff only (docs/operations.md).
METRICS_TOKEN = env_str("METRICS_TOKEN")

ROOT_URLCONF = "isms_csirt.urls"
WSGI_APPLICATION = "isms_csirt.wsgi.application"
ASGI_APPLICATION = "isms_csirt.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'isms_csirt.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE avoids
    # "database is locked" on write upgrades. SQLite is for the quick start only.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Covering indexes (INCLUDE) are PostgreSQL's; SQLite keeps them as plain indexes, which is
    # all the quick start needs, so its "non-key columns ignored" warning says nothing to act on.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No parallel plans for the app's statements: on a few cores busy with requests, starting
    # the workers cost more than they saved (the dashboard's statement 130 → 86 ms, the search's
    # first read 20–30 → 2–4 ms on the bench data; bench/README). Behind pgbouncer, which refuses
    # startup options, set DATABASE_OPTIONS="" and the same on the role (docs/operations.md).
    _options = env_str("DATABASE_OPTIONS", "-c max_parallel_workers_per_gather=0")
    if _options:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = _options

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache (login throttling, rate limits) ----------------------------------------------------
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared between the web workers of the quick start without a server process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Auth -------------------------------------------------------------------------------------
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
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOL_OFF_SECONDS = env_int("LOGIN_COOL_OFF_SECONDS", 15 * 60)
# Axes first: it refuses a locked-out username + address before any password is checked, on
# every path that calls authenticate() (the site's login, the admin's, re-authentication).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend whose per-request user read also brings the organisation and the
    # role assignments in the same query (issue 20; accounts/backends.py).
    "accounts.backends.RequestUserBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_COOL_OFF_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.axes_client_address"
AXES_USERNAME_CALLABLE = "accounts.throttle.attempted_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# The audit: every success (AccessLog) and every failure (AccessFailureLog), with address,
# user agent and path; AccessAttempt holds the live counters. All three are in the admin.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
PASSWORD_RESET_LIMIT_PER_HOUR = env_int("PASSWORD_RESET_LIMIT_PER_HOUR", 3)
# Two-factor authentication (django-allauth's MFA): TOTP, WebAuthn security keys and passkeys,
# recovery codes. Who must use it (accounts.two_factor): holders of these roles and, if on,
# staff users; after the grace period an un-enrolled user is sent to enrolment on every page.
# Deciding a decision in the browser always needs the second factor in the session.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", "DECISION_MAKER,ISMS_OFFICE,CSIRT_LEAD"
)
TWO_FACTOR_REQUIRED_FOR_STAFF = env_bool("TWO_FACTOR_REQUIRED_FOR_STAFF", True)
TWO_FACTOR_GRACE_DAYS = env_int("TWO_FACTOR_GRACE_DAYS", 7)
# An outside responder (comms guest) enrols a factor right after setting the password on the
# one-time link, before seeing the incident (no grace period): on unless turned off.
TWO_FACTOR_REQUIRED_FOR_GUESTS = env_bool("TWO_FACTOR_REQUIRED_FOR_GUESTS", True)
ACCOUNT_ADAPTER = "accounts.allauth.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_DISPLAY = str  # the display name, as everywhere on the site
MFA_ADAPTER = "accounts.allauth.MFAAdapter"
# Single sign-on (OpenID Connect, accounts.sso): one provider per organisation, configured in the
# admin (accounts.IdentityProvider); people are matched by email within that organisation only,
# never created. The provider's login still passes the two-factor policy above.
SOCIALACCOUNT_ADAPTER = "accounts.sso.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_OPENID_CONNECT_URL_PREFIX = "oidc"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "isms-csirt"
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs HTTPS; with debug on (the quick start, the tests) http://localhost is allowed.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Browser sessions end after this long without activity, and this long after sign-in whatever
# the activity (accounts.middleware.SessionLifetimeMiddleware); the cookie lasts no longer.
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 8 * 3600)
SESSION_MAX_AGE_SECONDS = env_int("SESSION_MAX_AGE_SECONDS", 12 * 3600)
# How often a request marks the session as active (one session write per period at most).
SESSION_SEEN_RESOLUTION_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
# How many reverse proxies in front of the app append to X-Forwarded-For (0 = none; the
# compose file's TLS proxy is 1). Login throttling and rate limits key on the client address.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "ja")
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format, YYYY/MM/DD HH:mm, in both languages (docs/glossary.md).
FORMAT_MODULE_PATH = ["isms_csirt.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Evidence and uploads live outside the static root and are never served directly.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 25 * 1024 * 1024)
# A body that is not a multipart upload may be at most this large; a multipart upload at most
# EVIDENCE_MAX_BYTES + 1 MiB. Both are refused by Content-Length before reading
# (common.middleware.RequestBodyLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "isms-csirt@localhost")

# --- Security -------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else None
)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# The probes are called over plain HTTP by the orchestrator from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # API keys first: the first class answers 401 with its WWW-Authenticate challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.authentication.ApiKeyScopePermission",
    ],
    # JSON with a bound on nesting (a 400, not a RecursionError), forms, files.
    "DEFAULT_PARSER_CLASSES": [
        "common.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "common.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "common.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "isms-csirt API",
    "DESCRIPTION": "Intake, incidents, decisions and alerts of the ISMS + α CSIRT.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation also documents the errors the framework answers (common/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.openapi.document_errors",
    ],
    # One schema enum per choice set, named after it (fields such as "status" or "kind" exist
    # with different choices on several resources).
    "ENUM_NAME_OVERRIDES": {
        **{
            f"{name}Enum": f"incidents.models.enums.{name}"
            for name in (
                "AssetKind",
                "AttackVector",
                "BlockPoint",
                "Category",
                "Channel",
                "ContainmentState",
                "Criticality",
                "CustodyAction",
                "Determination",
                "Disposition",
                "EventStatus",
                "EvidenceKind",
                "Impact",
                "IncidentStatus",
                "IndicatorKind",
                "InfectionState",
                "InfectionVia",
                "InformationImpact",
                "IsolationMethod",
                "MalwareCapability",
                "Priority",
                "Recoverability",
                "RemediationState",
                "Suspicion",
                "TaskStatus",
                "Tlp",
                "WhatHappened",
            )
        },
        "RoleEnum": "accounts.roles.Role",
        "RelationKindEnum": "incidents.models.relations.RelationKind",
        "ChannelKindEnum": "notifications.enums.ChannelKind",
        "DeliveryStateEnum": "notifications.enums.DeliveryState",
        "AttemptOutcomeEnum": "notifications.enums.AttemptOutcome",
        "AckViaEnum": "notifications.enums.AckVia",
        "EscalationTriggerEnum": "risklevels.models.SUSPICION",
        "DecisionTypeEnum": "accounts.roles.DecisionType",
        **{
            f"{name}Enum": f"bcp.enums.{name}"
            for name in (
                "AssignmentReason",
                "BcpActionKind",
                "BcpState",
                "DecisionStatus",
                "Outcome",
                "Recommendation",
                "Scope",
            )
        },
        "EventClosingStatusEnum": "incidents.api.serializers.intake.CLOSING_EVENT_STATUSES",
        "TaskFinishedStatusEnum": "incidents.api.serializers.record.FINISHED_TASK_STATUSES",
        "InjectKindEnum": "training.enums.InjectKind",
        "CorrectiveActionStatusEnum": "isms.enums.ActionStatus",
        "ExerciseStatusEnum": "training.enums.ExerciseStatus",
        "FactInputKindEnum": "risklevels.api.serializers.FACT_KINDS",
        "FactStatusEnum": "training.api.exercise_serializers.FACT_STATUS",
        "ClockModeEnum": "training.enums.ClockMode",
        "DeliveryModeEnum": "training.enums.DeliveryMode",
        "PopulationEnum": "training.enums.Population",
        **{
            f"{name}Enum": f"privacy.enums.{name}"
            for name in (
                "AppiStatus",
                "Cause",
                "Confidentiality",
                "Exemption",
                "LeakKind",
                "ObligationKind",
                "ProcessingRole",
                "ReportForm",
                "ReportVersion",
                "Screening",
            )
        },
        "AudienceEnum": "comms.enums.Audience",
        "CommunicationChannelEnum": "comms.enums.Channel",
        "CommunicationStatusEnum": "comms.enums.Status",
        "TemplateKindEnum": "comms.enums.TemplateKind",
        "ContactKindEnum": "comms.enums.ContactKind",
        "GuestRoleEnum": "comms.enums.GuestRole",
        "AlertFormatEnum": "incidents.models.channels.AlertFormat",
        "IntelFormatEnum": "sharing.models.IntelFormat",
    },
}

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control", "results"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", f"file://{_broker_dir / 'results'}")
else:
    # max_retries 0: a publish that cannot connect fails at once; kombu's default would sleep
    # 2 s before giving up, past the 1 s a request may wait (the outbox sweep delivers later).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
        "max_retries": 0,
    }
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
# Enqueueing inside a request must never hang when the broker is down: the outbox row is the
# record of work, the sweep re-queues it (see docs/architecture.md).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection before and after each task unless this
# is set: each task then opened a new PostgreSQL connection (a backend forked, authenticated and
# set up per alert batch). Set, the fixup leaves them open and isms_csirt/celery.py closes them
# the way a request does (close_old_connections: CONN_MAX_AGE, a broken one, health checks).
CELERY_DB_REUSE_MAX = 10**9
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"notifications.*": {"queue": "alerts"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
WORKER_HEARTBEAT_SECONDS = 30
WORKER_HEARTBEAT_STALE_SECONDS = 120
DECISION_SWEEP_SECONDS = env_int("DECISION_SWEEP_SECONDS", 15)
# Every 5 s: with the 15 s lease below, a delivery whose worker died mid-request reaches its
# receiver again within 30 s of the deadline (sweep 5 + lease 15 + sweep 5, docs/operations.md).
ALERT_SWEEP_SECONDS = env_int("ALERT_SWEEP_SECONDS", 5)
REPORT_MAILBOX_POLL_SECONDS = env_int("REPORT_MAILBOX_POLL_SECONDS", 60)
# A forwarded message larger than this is quarantined, not read (the forwarder is told).
REPORT_MAILBOX_MAX_BYTES = env_int("REPORT_MAILBOX_MAX_BYTES", 10 * 1024 * 1024)
VULNS_FEED_POLL_SECONDS = env_int("VULNS_FEED_POLL_SECONDS", 3600)
# How long before a vulnerability finding's due date its asset owner is reminded (vulns).
VULN_DUE_REMIND_HOURS = env_int("VULN_DUE_REMIND_HOURS", 24)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "common.tasks.worker_heartbeat",
        "schedule": WORKER_HEARTBEAT_SECONDS,
    },
    # The reporting mailbox (phishing@): forwarded mail becomes reports (issue 21).
    "report-mailbox-poll": {
        "task": "incidents.tasks.poll_report_mailboxes",
        "schedule": REPORT_MAILBOX_POLL_SECONDS,
    },
    "idempotency-records-purge": {
        "task": "incidents.tasks.purge_idempotency_records",
        "schedule": 3600,
    },
    "decision-deadline-sweep": {
        "task": "bcp.tasks.sweep_decisions",
        "schedule": DECISION_SWEEP_SECONDS,
    },
    "alerts-redelivery-sweep": {
        "task": "notifications.tasks.sweep_pending",
        "schedule": ALERT_SWEEP_SECONDS,
    },
    "alerts-acknowledgement-sweep": {
        "task": "notifications.tasks.sweep_acknowledgements",
        "schedule": ALERT_SWEEP_SECONDS,
    },
    "alerts-task-overdue-sweep": {
        "task": "notifications.tasks.sweep_tasks_overdue",
        "schedule": ALERT_SWEEP_SECONDS,
    },
    "exercise-clock": {"task": "training.tasks.exercises_tick", "schedule": DECISION_SWEEP_SECONDS},
    "training-reminders": {"task": "training.tasks.remind_due_training", "schedule": 24 * 3600},
    "emergency-kit-sweep": {"task": "records.tasks.sweep_kits", "schedule": 24 * 3600},
    "timeline-anchor": {
        "task": "incidents.tasks.anchor_timelines",
        "schedule": TIMELINE_ANCHOR_SECONDS,
    },
    # Hourly, so a reminder goes out the morning it falls due; each is sent once per due date.
    "corrective-action-reminders": {
        "task": "isms.tasks.remind_corrective_actions",
        "schedule": 3600,
    },
    # Hourly: the advisory feeds each organisation polls from a URL (vulns, issue 23).
    "vulns-feed-poll": {"task": "vulns.tasks.poll_feeds", "schedule": VULNS_FEED_POLL_SECONDS},
    # Asset owners' tasks for vulnerability findings: alerts before and at the due date (vulns).
    "vulnerability-task-sweep": {
        "task": "vulns.tasks.sweep_finding_tasks",
        "schedule": 300,
    },
    # Each minute: an obligation's soft due and due (PPC 速報 …) alert its owner, once each.
    "obligation-alerts": {
        "task": "privacy.tasks.alert_obligations",
        "schedule": 60,
    },
}

# --- Alerts (notifications) -------------------------------------------------------------------
# Acknowledgement deadline of alerts that need one, unless a subscription sets its own.
ALERT_ACK_SECONDS = env_int("ALERT_ACK_SECONDS", 10 * 60)
ALERT_ACK_LINK_MAX_AGE_SECONDS = 7 * 24 * 3600
# The link to the alert's decision, task or incident (the page still asks to sign in).
ALERT_OPEN_LINK_MAX_AGE_SECONDS = 90 * 24 * 3600
# Links in alerts (acknowledge, open the app) start with this: the app's public address.
ALERT_LINK_BASE_URL = env_str("ALERT_LINK_BASE_URL", f"http://127.0.0.1:{env_int('PORT', 8000)}")
# Webhook targets on private or loopback networks (and plain http to them); never link-local.
ALERT_WEBHOOK_ALLOW_PRIVATE = env_bool("ALERT_WEBHOOK_ALLOW_PRIVATE", False)
ALERT_CAMPAIGN_EVERY = env_int("ALERT_CAMPAIGN_EVERY", 10)
# A claim lasts this long; a delivery task's hard time limit (14 s, above the 10 s SMTP and 5 s
# HTTP timeouts) stays below it, so a claim never lapses while its worker still sends.
ALERT_LEASE_SECONDS = env_int("ALERT_LEASE_SECONDS", 15)
# Rows per deliver message: a burst's rows go out in messages of this many, each sent in turn by
# one worker task (each row still claimed, with its own lease, just before its send).
ALERT_DELIVERY_BATCH = env_int("ALERT_DELIVERY_BATCH", 10)
# A pending row not taken this long after it was queued is queued again by the sweep.
ALERT_PENDING_GRACE_SECONDS = env_int("ALERT_PENDING_GRACE_SECONDS", 10)
# Threat intelligence in (issue 22): the largest STIX bundle / MISP event read, and how many days
# back the retro-hunt looks in reports, deliveries and indicators (docs/operations.md).
INTEL_IMPORT_MAX_BYTES = env_int("INTEL_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
INTEL_RETROHUNT_DAYS = env_int("INTEL_RETROHUNT_DAYS", 90)
ALERT_RETRY_BASE_SECONDS = 2.0
ALERT_RETRY_MAX_SECONDS = 300.0
ALERT_MAX_ATTEMPTS = 8
ALERT_HTTP_TIMEOUT_SECONDS = 5.0
ALERT_SMTP_TIMEOUT_SECONDS = 10.0
# After the broker refused a message, requests skip publishing this long (the sweep delivers).
ALERT_BROKER_BACKOFF_SECONDS = 5.0

# --- Logging --------------------------------------------------------------------------------------
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Axes' start-up banner on every command; its attempt log (axes.handlers) stays.
        "axes.apps": {"level": "WARNING"},
    },
}

PORT = env_int("PORT", 8000)

# A web process moves what it holds after this many requests out of the garbage collector's
# way (common.gcfreeze: a full collection ~190 ms → ~3 ms); 0 leaves the collector alone.
GC_FREEZE_AFTER_REQUESTS = env_int("GC_FREEZE_AFTER_REQUESTS", 50)
