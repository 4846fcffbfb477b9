"""All configuration for congso, in one place, driven by environment variables.

Every setting has a safe default for the embedded mode (SQLite in ./var, local files,
database task queue). Production and scale-out switch on through the environment:

    CONGSO_ENV=production  DJANGO_SECRET_KEY=...  CONGSO_ALLOWED_HOSTS=dvc.example.gov.vn
    DATABASE_URL=postgres://...  REDIS_URL=redis://...  CONGSO_STORAGE=s3  ...

See docs/configuration.md for the full list.
"""

from pathlib import Path

import environ
import xstatic.pkg.leaflet

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

CONGSO_ENV = env.str("CONGSO_ENV", default="development")  # development | test | production
PRODUCTION = CONGSO_ENV == "production"
VAR_DIR = Path(env.str("CONGSO_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="" if PRODUCTION else "congso-insecure-development-key-change-me-0123456789abcdef",
)
if PRODUCTION and not SECRET_KEY:
    raise environ.ImproperlyConfigured("DJANGO_SECRET_KEY must be set when CONGSO_ENV=production")

ALLOWED_HOSTS = env.list(
    "CONGSO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CONGSO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("CONGSO_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # congso apps first so their templates and static files win
    "congso.core",
    "congso.directory",
    "congso.accounts",
    "congso.calendar",
    "congso.catalog",
    "congso.signing",
    "congso.counters",
    "congso.dossiers",
    "congso.datastore",
    "congso.notifications",
    "congso.payments",
    "congso.portal",
    "congso.tracking",
    "congso.ratings",
    "congso.scorecard",
    "congso.evaluations",
    "congso.exchange",
    "congso.sharing",
    "congso.workcalendars",
    "congso.voting",
    "congso.inforequests",
    "congso.documents",
    "congso.feedback",
    "congso.integration",
    "congso.meetings",
    "congso.sites",
    # Wagtail: the information portals (congso.sites, ADR 0166)
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",  # "Dịch trang": a page's copy in another language (ADR 0181)
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the portals' sitemap.xml template (wagtail.contrib.sitemaps)
    # third party
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "oauth2_provider",
]

MIDDLEWARE = [
    # Counts and times every request for Prometheus (/metrics, congso.integration.metrics; ADR 0154).
    "congso.integration.metrics.RequestMetricsMiddleware",
    # Answers the anonymous public dossier lookup (JSON) through a subset of the middleware below and
    # passes every other request on (ADR 0077).
    "congso.tracking.middleware.PublicLookupMiddleware",
    # Answers an anonymous reader's cached portal page (congso.sites.cache) through a subset of the
    # middleware below, before URL resolution and Wagtail's routing (issue 21, ADR 0166).
    "congso.sites.middleware.PageCacheMiddleware",
    "congso.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Refuses NUL bytes and unreadable bodies with 400 before any view (issue 15).
    "congso.core.middleware.BadInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "congso.accounts.middleware.OfficialOTPMiddleware",
    # Officials' portal groups set from the directory before Wagtail's /cms/ answers (ADR 0166).
    "congso.sites.middleware.CMSAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "congso.core.middleware.SecurityHeadersMiddleware",
    # axes must be last
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congso.urls"
WSGI_APPLICATION = "congso.wsgi.application"
ASGI_APPLICATION = "congso.asgi.application"

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
                "congso.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite in ./var. Scale-out: DATABASE_URL=postgres://user@host:5432/congso
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'congso.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL + IMMEDIATE transactions: concurrent readers, writers queue instead of failing.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONGSO_DB_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Parameters bound by the server, and a statement run 5 times on a connection prepared there: the
    # parsing and planning of the same few INSERTs and reads was a third of PostgreSQL's CPU per
    # dossier, and planning the public lookup's joins four times its execution (ADR 0079). Queries
    # whose best plan depends on their values ask for a plan per call (catalog.search). Turn off
    # behind a pooler that does not keep prepared statements.
    if env.bool("CONGSO_DB_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {
                "server_side_binding": True,
                "prepare_threshold": env.int("CONGSO_DB_PREPARE_THRESHOLD", default=5),
            }
        )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Django's engines, with the files written in a transaction that rolls back removed (ADR 0141).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "congso.core.db.postgresql",
    "django.db.backends.sqlite3": "congso.core.db.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])
if DATABASES["default"]["ENGINE"] == "congso.core.db.sqlite3":
    # Tests: an in-memory database, as Django does for its own SQLite engine (pytest-django recognises
    # that engine by its name only, and would otherwise derive a file name from NAME for each worker).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
DB_VENDOR = "sqlite" if "sqlite" in DATABASES["default"]["ENGINE"] else "postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs --------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # One redis-py client per process thread, shared by the cache, the rate limits and the job queue
    # (congso/core/cache.py: django-rq would otherwise open a new connection for every job).
    CACHES = {"default": {"BACKEND": "congso.core.cache.RedisCache", "LOCATION": REDIS_URL}}
    RQ_QUEUES = {"default": {"USE_REDIS_CACHE": "default", "DEFAULT_TIMEOUT": 300}}
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "congso_cache",
        }
    }
    TASKS = {
        "default": {
            "BACKEND": env.str("CONGSO_TASK_BACKEND", default="congso.core.task_backends.DatabaseBackend")
        }
    }

# --- Storage --------------------------------------------------------------------------------
MEDIA_ROOT = Path(env.str("CONGSO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env.str("CONGSO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_URL = "/static/"
# Leaflet for the feedback map, from its XStatic Python package (no CDN), served as /static/xstatic/leaflet/
STATICFILES_DIRS = [("xstatic/leaflet", xstatic.pkg.leaflet.BASE_DIR)]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
CONGSO_STORAGE = env.str("CONGSO_STORAGE", default="local")  # local | s3
if CONGSO_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "congso.core.s3storage.S3Storage",  # removes files of rolled-back transactions
        "OPTIONS": {
            "bucket_name": env.str("CONGSO_S3_BUCKET"),
            "endpoint_url": env.str("CONGSO_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("CONGSO_S3_REGION", default=None),
            "access_key": env.str("CONGSO_S3_ACCESS_KEY", default=None),
            "secret_key": env.str("CONGSO_S3_SECRET_KEY", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "congso.core.storage.DurableFileSystemStorage",  # fsync before acknowledging
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
CONGSO_MAX_UPLOAD_BYTES = env.int("CONGSO_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
# Citizen feedback (docs/configuration.md): map tiles (empty: no map, the place is shown by commune and
# address), photo size, rate limits per IP and per account in a window.
CONGSO_FEEDBACK_TILE_URL = env.str("CONGSO_FEEDBACK_TILE_URL", default="")
# One short video per report instead of photos (ADR 0170): MP4, content-checked, metadata blanked.
CONGSO_FEEDBACK_MAX_VIDEO_BYTES = env.int("CONGSO_FEEDBACK_MAX_VIDEO_BYTES", default=30 * 1024 * 1024)
CONGSO_FEEDBACK_MAX_VIDEO_SECONDS = env.int("CONGSO_FEEDBACK_MAX_VIDEO_SECONDS", default=60)
CONGSO_FEEDBACK_TILE_ATTRIBUTION = env.str("CONGSO_FEEDBACK_TILE_ATTRIBUTION", default="")
CONGSO_FEEDBACK_MAX_PHOTO_BYTES = env.int("CONGSO_FEEDBACK_MAX_PHOTO_BYTES", default=5 * 1024 * 1024)
# Voting (ADR 0165): how often open ballot pages check for a change; reminders before a poll's deadline.
CONGSO_VOTING_LIVE_MS = env.int("CONGSO_VOTING_LIVE_MS", default=500)
CONGSO_VOTING_REMIND_HOURS = env.int("CONGSO_VOTING_REMIND_HOURS", default=24)
CONGSO_FEEDBACK_PER_IP = env.int("CONGSO_FEEDBACK_PER_IP", default=20)
CONGSO_FEEDBACK_PER_ACCOUNT = env.int("CONGSO_FEEDBACK_PER_ACCOUNT", default=10)
CONGSO_FEEDBACK_WINDOW = env.int("CONGSO_FEEDBACK_WINDOW", default=3600)
# Meetings (docs/configuration.md): the Jitsi Meet server video rooms link to (empty: no online meetings;
# each meeting's room name is random and unguessable), and how often participants' pages refresh (seconds).
CONGSO_JITSI_URL = env.str("CONGSO_JITSI_URL", default="")
CONGSO_MEETINGS_POLL_SECONDS = env.int("CONGSO_MEETINGS_POLL_SECONDS", default=2)
# Dossier codes: <agency code>-<yyMMdd>-<4-digit sequence of the agency that day>; checked at startup
# (congso/dossiers/checks.py): it must use {agency}, {date} (day, month and year) and {seq}.
CONGSO_DOSSIER_CODE_PATTERN = env.str(
    "CONGSO_DOSSIER_CODE_PATTERN", default="{agency}-{date:%y%m%d}-{seq:04d}"
)
# Online-filing drafts are kept this many days after their last save.
CONGSO_PORTAL_DRAFT_DAYS = env.int("CONGSO_PORTAL_DRAFT_DAYS", default=30)

# --- Personal data store and registries (datastore app, ADR 0072) -----------------------------------
CONGSO_DATASTORE_QUOTA_BYTES = env.int("CONGSO_DATASTORE_QUOTA_BYTES", default=200 * 1024 * 1024)
# Registry providers (dotted paths); "none" (or empty) = not connected, and look-ups say so.
CONGSO_REGISTRIES = {
    "population": env.str(
        "CONGSO_REGISTRY_POPULATION", default="congso.datastore.registries.PlatformPopulationRegistry"
    ),
    "business": env.str(
        "CONGSO_REGISTRY_BUSINESS", default="congso.datastore.registries.PlatformBusinessRegistry"
    ),
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
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
    "congso.accounts.oidc.CitizenOIDCBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

AXES_FAILURE_LIMIT = env.int("CONGSO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("CONGSO_LOGIN_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("CONGSO_AXES_ENABLED", default=True)
AXES_LOCKOUT_CALLABLE = "congso.accounts.views.locked_out"
OTP_TOTP_ISSUER = env.str("CONGSO_OTP_ISSUER", default="congso")
# Wrong second-factor codes in a row before the second factor is locked, and for how long (accounts/otp.py).
CONGSO_OTP_FAILURE_LIMIT = env.int("CONGSO_OTP_FAILURE_LIMIT", default=5)
CONGSO_OTP_LOCKOUT_MINUTES = env.int("CONGSO_OTP_LOCKOUT_MINUTES", default=30)

# Citizen login through OpenID Connect (VNeID-style identity provider); off unless configured.
OIDC_RP_CLIENT_ID = env.str("CONGSO_OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("CONGSO_OIDC_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("CONGSO_OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("CONGSO_OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("CONGSO_OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("CONGSO_OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("CONGSO_OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("CONGSO_OIDC_SCOPES", default="openid profile email")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_CREATE_USER = True
CONGSO_OIDC_ISSUER = env.str("CONGSO_OIDC_ISSUER", default="")
CONGSO_OIDC_PROVIDER_NAME = env.str("CONGSO_OIDC_PROVIDER_NAME", default="VNeID")
CONGSO_OIDC_CCCD_CLAIM = env.str("CONGSO_OIDC_CCCD_CLAIM", default="cccd")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("CONGSO_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag instead
CSRF_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = env.int("CONGSO_PASSWORD_RESET_SECONDS", default=3600)

# --- Security (production) ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("CONGSO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("CONGSO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("CONGSO_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "CONGSO_EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = env.str("CONGSO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("CONGSO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("CONGSO_EMAIL_USER", default="")
EMAIL_HOST_PASSWORD = env.str("CONGSO_EMAIL_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("CONGSO_EMAIL_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("CONGSO_EMAIL_FROM", default="congso <no-reply@localhost>")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "congso" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Site identity (the header a province or commune configures) ----------------------------
CONGSO_SITE = {
    "name": env.str("CONGSO_SITE_NAME", default="Cổng Dịch vụ công tỉnh Gia Lai"),
    "short_name": env.str("CONGSO_SITE_SHORT_NAME", default="DVC Gia Lai"),
    "authority": env.str("CONGSO_SITE_AUTHORITY", default="Ủy ban nhân dân tỉnh Gia Lai"),
    "emblem": env.str("CONGSO_SITE_EMBLEM", default="core/emblem.svg"),
    "primary_colour": env.str("CONGSO_SITE_PRIMARY", default="#a3141d"),
    "accent_colour": env.str("CONGSO_SITE_ACCENT", default="#8a5a00"),
    "hotline": env.str("CONGSO_SITE_HOTLINE", default="1900 1234"),
    "email": env.str("CONGSO_SITE_EMAIL", default="hotro.dvc@gialai.gov.vn"),
    "address": env.str("CONGSO_SITE_ADDRESS", default="Số 01 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai"),
}

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100

# --- Logging: structured JSON with the request id -------------------------------------------
LOG_LEVEL = env.str("CONGSO_LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("CONGSO_LOG_FORMAT", default="json")  # json | text
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "congso.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR", "propagate": True},
        "django.server": {"level": "WARNING", "propagate": True},
        "axes": {"level": "WARNING", "propagate": True},
        # WeasyPrint warns about every font feature and CSS property it skips, once per PDF (slips,
        # receipts): a flood in the demo's log that says nothing to an operator. Errors still show.
        "weasyprint": {"level": "ERROR", "propagate": True},
        "weasyprint.progress": {"level": "ERROR", "propagate": True},
        "fontTools": {"level": "ERROR", "propagate": True},
    },
}

# --- Audit trail ----------------------------------------------------------------------------
CONGSO_AUDIT_SHARDS = env.int("CONGSO_AUDIT_SHARDS", default=16)
CONGSO_TRUSTED_PROXIES = env.int("CONGSO_TRUSTED_PROXIES", default=0)

# --- OAuth 2.0 for API clients (django-oauth-toolkit), hardened per RFC 9700 ----------------
OAUTH2_PROVIDER = {
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": PRODUCTION,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["https", "http"],
    "SCOPES": {"read": "Đọc dữ liệu", "write": "Ghi dữ liệu"},
    # the toolkit's validator with its token lookup compiled once (ADR 0078)
    "OAUTH2_VALIDATOR_CLASS": "congso.accounts.oauth.Validator",
}
# The toolkit's own application model, named so that a foreign key to it (sharing.Agreement) can be
# migrated: Django resolves a swappable model's migration dependency through this setting.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

# --- Working-day calendar (congso/core/calendar.py, ADR 0040) --------------------------------
# receive_next_day: a dossier received after the cut-off counts as received at the next opening;
# count_next_day: that next working day is itself day 1.
CONGSO_CALENDAR_AFTER_HOURS_RULE = env.str("CONGSO_CALENDAR_AFTER_HOURS_RULE", default="receive_next_day")
CONGSO_CALENDAR_DUE_SOON_DAYS = env.int("CONGSO_CALENDAR_DUE_SOON_DAYS", default=1)
CONGSO_CALENDAR_REFRESH_SECONDS = env.float("CONGSO_CALENDAR_REFRESH_SECONDS", default=5.0)

# --- Digital signatures (congso.signing; docs/adr/0030-signing-keys-and-trust.md) -------------
# Secret the key store's at-rest encryption key is derived from (defaults to SECRET_KEY).
CONGSO_SIGNING_SECRET = env.str("CONGSO_SIGNING_SECRET", default="")
# RFC 3161 timestamp authority: when set, signatures are PAdES-B-T instead of B-B.
CONGSO_SIGNING_TSA_URL = env.str("CONGSO_SIGNING_TSA_URL", default="")
CONGSO_SIGNING_TSA_TIMEOUT = env.int("CONGSO_SIGNING_TSA_TIMEOUT", default=10)
# Extra trust anchors (PEM files, e.g. the national root CA), besides those stored in the database.
CONGSO_SIGNING_TRUST_ANCHOR_FILES = env.list("CONGSO_SIGNING_TRUST_ANCHOR_FILES", default=[])

# --- Notifications to applicants (congso.notifications; docs/adr/0074-notification-outbox.md) -----
# SMS provider: congso.notifications.sms.FileBackend (demo default, JSON lines under var/sms/),
# .ConsoleBackend (log), .HttpBackend (generic JSON POST gateway), or your own dotted path.
CONGSO_SMS_BACKEND = env.str("CONGSO_SMS_BACKEND", default="congso.notifications.sms.FileBackend")
CONGSO_SMS_FILE_PATH = env.str("CONGSO_SMS_FILE_PATH", default=str(VAR_DIR / "sms" / "sms.jsonl"))
CONGSO_SMS_HTTP_URL = env.str("CONGSO_SMS_HTTP_URL", default="")
CONGSO_SMS_HTTP_API_KEY = env.str("CONGSO_SMS_HTTP_API_KEY", default="")
CONGSO_SMS_HTTP_KEY_HEADER = env.str("CONGSO_SMS_HTTP_KEY_HEADER", default="X-API-Key")
CONGSO_SMS_HTTP_TIMEOUT = env.float("CONGSO_SMS_HTTP_TIMEOUT", default=5.0)
CONGSO_SMS_HTTP_RETRIES = env.int("CONGSO_SMS_HTTP_RETRIES", default=2)  # extra tries on 5xx/timeout
CONGSO_SMS_HTTP_BACKOFF = env.float("CONGSO_SMS_HTTP_BACKOFF", default=0.5)  # seconds, doubled each try
CONGSO_SMS_SENDER = env.str("CONGSO_SMS_SENDER", default="DVC GIALAI")  # registered brand name
CONGSO_SMS_ASCII = env.bool("CONGSO_SMS_ASCII", default=True)  # send SMS without diacritics
# A failed send is retried by the job (when the task backend supports delays) or by
# `congso notifications retry`, after CONGSO_NOTIFY_RETRY_SECONDS × 2^(n-1), up to this many attempts.
CONGSO_NOTIFY_MAX_ATTEMPTS = env.int("CONGSO_NOTIFY_MAX_ATTEMPTS", default=5)
CONGSO_NOTIFY_RETRY_SECONDS = env.int("CONGSO_NOTIFY_RETRY_SECONDS", default=60)
# --- Inter-agency exchange in edXML (congso.exchange; docs/adr/0153-edxml-exchange.md) -----------
# The exchange hub agencies send packets to and fetch them from; `congso exchange_hub` runs a local one.
CONGSO_EXCHANGE_HUB_PORT = env.int("CONGSO_EXCHANGE_HUB_PORT", default=8002)
CONGSO_EXCHANGE_HUB_URL = env.str(
    "CONGSO_EXCHANGE_HUB_URL", default=f"http://127.0.0.1:{CONGSO_EXCHANGE_HUB_PORT}"
)
CONGSO_EXCHANGE_TIMEOUT = env.float("CONGSO_EXCHANGE_TIMEOUT", default=10.0)  # seconds per hub call
# A packet the hub did not take is retried after CONGSO_EXCHANGE_RETRY_SECONDS × 2^(n-1), n times at most.
CONGSO_EXCHANGE_MAX_ATTEMPTS = env.int("CONGSO_EXCHANGE_MAX_ATTEMPTS", default=8)
CONGSO_EXCHANGE_RETRY_SECONDS = env.int("CONGSO_EXCHANGE_RETRY_SECONDS", default=30)
CONGSO_EXCHANGE_MAX_PACKET_BYTES = env.int("CONGSO_EXCHANGE_MAX_PACKET_BYTES", default=50 * 1024 * 1024)
# A poll holds what the hub hands it for this many seconds (its visibility timeout), so several receiving
# processes (`congso exchange poll --workers N`) get different deliveries; unacknowledged, they come again.
CONGSO_EXCHANGE_LEASE_SECONDS = env.int("CONGSO_EXCHANGE_LEASE_SECONDS", default=300)
# OCR of scanned incoming documents (Tesseract, ADR 0169): languages ("vie", "vie+eng"), render resolution
# of a scanned PDF's pages, the pages read at most, the time limit of each program run
CONGSO_OCR_LANGUAGES = env.str("CONGSO_OCR_LANGUAGES", default="vie")
CONGSO_OCR_DPI = env.int("CONGSO_OCR_DPI", default=300)
CONGSO_OCR_MAX_PAGES = env.int("CONGSO_OCR_MAX_PAGES", default=50)
CONGSO_OCR_TIMEOUT_SECONDS = env.int("CONGSO_OCR_TIMEOUT_SECONDS", default=120)
# --- Public dossier lookup (congso.tracking; docs/adr/0071-citizen-tracking-and-lookup.md) ------
# Fixed windows in the cache: lookups per address, wrong check values per dossier code.
CONGSO_LOOKUP_PER_IP = env.int("CONGSO_LOOKUP_PER_IP", default=30)
CONGSO_LOOKUP_FAILS_PER_CODE = env.int("CONGSO_LOOKUP_FAILS_PER_CODE", default=10)
CONGSO_LOOKUP_WINDOW = env.int("CONGSO_LOOKUP_WINDOW", default=600)
CONGSO_LOOKUP_EXEMPT_IPS = env.list("CONGSO_LOOKUP_EXEMPT_IPS", default=[])
# PostgreSQL plans the lookup's query once per connection (a prepared statement); turn off behind a
# transaction-mode pooler without protocol-level prepared statements (PgBouncer < 1.21). ADR 0077.
CONGSO_LOOKUP_PREPARED = env.bool("CONGSO_LOOKUP_PREPARED", default=True)
# --- Online payments (congso.payments; docs/adr/0073-online-payments.md) ---------------------
# Gateways by name; each is a congso.payments.providers.PaymentProvider. The defaults point at the
# local sandbox gateway (`congso payments sandbox`, port 8001); production sets the real gateway's
# URL, terminal code and hash secret.
# Queue tickets are issued only in the centre's office hours on its province's working days.
CONGSO_QUEUE_OFFICE_HOURS_ONLY = env.bool("CONGSO_QUEUE_OFFICE_HOURS_ONLY", default=True)
CONGSO_PAYMENT_SANDBOX_PORT = env.int("CONGSO_PAYMENT_SANDBOX_PORT", default=8001)
CONGSO_PAYMENT_PROVIDERS = {
    "vnpay": {
        "BACKEND": "congso.payments.providers.vnpay.VnpayProvider",
        "OPTIONS": {
            "payment_url": env.str(
                "CONGSO_VNPAY_URL",
                default=f"http://127.0.0.1:{CONGSO_PAYMENT_SANDBOX_PORT}/paymentv2/vpcpay.html",
            ),
            "tmn_code": env.str("CONGSO_VNPAY_TMN_CODE", default="" if PRODUCTION else "CONGSO01"),
            "hash_secret": env.str(
                "CONGSO_VNPAY_HASH_SECRET",
                default="" if PRODUCTION else "congso-sandbox-secret-not-for-production",
            ),
        },
    },
}
CONGSO_PAYMENT_DEFAULT_PROVIDER = env.str("CONGSO_PAYMENT_DEFAULT_PROVIDER", default="vnpay")
# Minutes a citizen has at the gateway before the order expires (vnp_ExpireDate).
CONGSO_PAYMENT_TIMEOUT_MINUTES = env.int("CONGSO_PAYMENT_TIMEOUT_MINUTES", default=15)
# The API's interactive documentation (Swagger UI) at /api/v1/docs; off by default in production.
# The OpenAPI schema (/api/v1/openapi.json) is always published.
CONGSO_API_DOCS = env.bool("CONGSO_API_DOCS", default=not PRODUCTION)
# Start the sandbox gateway next to the demo server (`congso demo`); off in production.
CONGSO_PAYMENT_SANDBOX_WITH_DEMO = env.bool("CONGSO_PAYMENT_SANDBOX_WITH_DEMO", default=not PRODUCTION)

# --- Integration platform: outbox, webhooks, metrics (congso.integration; docs/adr/0154-integration-outbox.md)
# A delivery is tried up to this many times, after CONGSO_OUTBOX_RETRY_SECONDS × 2^(n-1) (capped at
# CONGSO_OUTBOX_RETRY_MAX_SECONDS, half of it random jitter), then kept as a dead letter.
CONGSO_OUTBOX_MAX_ATTEMPTS = env.int("CONGSO_OUTBOX_MAX_ATTEMPTS", default=10)
CONGSO_OUTBOX_RETRY_SECONDS = env.float("CONGSO_OUTBOX_RETRY_SECONDS", default=10.0)
CONGSO_OUTBOX_RETRY_MAX_SECONDS = env.float("CONGSO_OUTBOX_RETRY_MAX_SECONDS", default=3600.0)
# A worker's hold on the deliveries it is sending; a killed worker's rows are taken again after it.
CONGSO_OUTBOX_LEASE_SECONDS = env.float("CONGSO_OUTBOX_LEASE_SECONDS", default=60.0)
CONGSO_WEBHOOK_TIMEOUT_SECONDS = env.float("CONGSO_WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# Webhook URLs to private, loopback or reserved addresses are refused (SSRF) unless this is on;
# on by default outside production only (local receivers in development and tests).
CONGSO_WEBHOOK_ALLOW_PRIVATE = env.bool("CONGSO_WEBHOOK_ALLOW_PRIVATE", default=not PRODUCTION)
# National Public Service Portal sync (ADR 0168): seconds the adapter waits for the portal's answer,
# dossiers compared by a reconciliation run (most recent first), the sandbox's default port.
CONGSO_NATIONAL_TIMEOUT_SECONDS = env.float("CONGSO_NATIONAL_TIMEOUT_SECONDS", default=10.0)
CONGSO_NATIONAL_RECONCILE_LIMIT = env.int("CONGSO_NATIONAL_RECONCILE_LIMIT", default=5000)
CONGSO_NATIONAL_SANDBOX_PORT = env.int("CONGSO_NATIONAL_SANDBOX_PORT", default=8003)
CONGSO_NATIONAL_SANDBOX_WITH_DEMO = env.bool("CONGSO_NATIONAL_SANDBOX_WITH_DEMO", default=not PRODUCTION)
# /metrics (Prometheus) answers a bearer token or addresses in these networks; neither set: 404.
CONGSO_METRICS_TOKEN = env.str("CONGSO_METRICS_TOKEN", default="")
CONGSO_METRICS_ALLOWED_NETWORKS = env.list("CONGSO_METRICS_ALLOWED_NETWORKS", default=[])

# --- Information portals (congso.sites on Wagtail, ADR 0166) --------------------------------------
# The editing interface (/cms/) in Vietnamese by default (congso.sites.middleware); an editor may pick
# English in their account. Wagtail's own Vietnamese catalogue is partial: congso/sites/locale/vi adds
# the strings editors meet that it lacks. Content localisation (ADR 0181): Vietnamese pages are the
# source; an editor may translate a page into English (wagtail.contrib.simple_translation), and a reader
# who chose English gets the live translation at the same address, else the Vietnamese page.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
WAGTAIL_SITE_NAME = env.str("CONGSO_SITES_NAME", default="Cổng thông tin điện tử tỉnh Gia Lai")
WAGTAILADMIN_BASE_URL = env.str("CONGSO_SITES_ADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "/tai-khoan/dang-nhap/"
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # page addresses without diacritics (congso.sites.models)
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar requests to an outside service
WAGTAIL_ENABLE_UPDATE_CHECK = False  # closed government network: Wagtail never calls home
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png"]  # what core.uploads can check and strip
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("CONGSO_SITES_IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
WAGTAILIMAGES_IMAGE_FORM_BASE = "congso.sites.media.CheckedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "congso.sites.media.CheckedDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"  # permission-checked downloads through Django
WAGTAILSEARCH_BACKENDS = {
    # The database backend (SQLite FTS5 / PostgreSQL full text); "simple" config: no English stemming.
    # Pages index a diacritic-folded copy of their text (congso.sites.search, core.text.fold).
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"},
}
# Seconds a published portal page stays in the cache for anonymous readers; every publish and
# unpublish invalidates all portal pages at once (congso.sites.cache).
CONGSO_SITES_CACHE_SECONDS = env.int("CONGSO_SITES_CACHE_SECONDS", default=300)
