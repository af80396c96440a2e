"""Settings for the しごと情報 registry. Every knob is an environment variable (see README)."""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_cache, env_choice, env_database, env_int, env_list, env_str

# Lets annotations such as QuerySet[Program] and admin.ModelAdmin[Employer] run (mypy, make test).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

# Off unless asked for: Django's technical pages (every URL pattern on a 404, tracebacks).
DEBUG = env_bool("DJANGO_DEBUG", False)
# The local demo (`make run`): DEBUG stays off, so people see the product's own 404/403/500
# pages, while the demo keeps its conveniences: a development secret key, localhost only,
# e-mail printed to the console, plain HTTP, static files found without collectstatic, and the
# demo logins printed by seed_demo. Never for a server that others reach.
DEMO = env_bool("DJANGO_DEMO", False)
LOCAL = DEBUG or DEMO

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG and DJANGO_DEMO are off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105 (DEBUG/demo only)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if LOCAL else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# The address staff open the registry at (e.g. https://shigoto.example.lg.jp), for the links of
# e-mails sent with no request to take it from (a hand-off's notice may follow an erasure).
# `manage.py check --deploy` warns when a server has none: its notices would carry a bare path.
SITE_URL = env_str("DJANGO_SITE_URL", f"http://127.0.0.1:{env_str('PORT', '8000')}" if LOCAL else "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "registry",
    "sheets",
    "workshops",
    "jobs",  # long work off the request (binders, imports) with a progress page
    "django_tasks_db",  # the database task backend and its `db_worker` command
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "registry.middleware.ActingAgencyMiddleware",
    "registry.middleware.TwoFactorMiddleware",
    "registry.middleware.SecurityHeadersMiddleware",
    # Last, so that it sees the login view's failures (django-axes requirement).
    "axes.middleware.AxesMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "registry.context_processors.acting_agency",
            ],
        },
    },
]

DATABASE_POOL = env_bool("DATABASE_POOL", False)
DATABASE_PREPARE = env_bool("DATABASE_PREPARE", True)
DATABASES = {
    "default": env_database(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", pool=DATABASE_POOL, prepare=DATABASE_PREPARE
    )
}
# A read replica: reads go there, writes and everything in a transaction go to the primary.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", "", pool=DATABASE_POOL, prepare=DATABASE_PREPARE)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that is down must not hold a request up: reads then go to the primary.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]
    # After a write, the writer's next pages read from the primary (config/routers.py).
    MIDDLEWARE.insert(1, "config.routers.ReadYourWritesMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env_cache("REDIS_URL")}
# Sessions in the database by default; "cache" keeps them in Redis when several app servers share it.
SESSION_ENGINE = {
    "db": "django.contrib.sessions.backends.db",
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
}[env_choice("DJANGO_SESSION_STORE", "db", ["db", "cache", "cached_db"])]

AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account or address is locked
    "registry.backends.AccountBackend",  # ModelBackend; reads the two-factor check with the user
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# How long password-reset links stay valid (seconds) and staff invitations (days).
PASSWORD_RESET_TIMEOUT = env_int("DJANGO_PASSWORD_RESET_TIMEOUT", 60 * 60 * 3, minimum=60)
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
# Published programs whose 最終確認日 is older than this many months appear in the re-verification queue.
SHEETS_REVERIFY_MONTHS = env_int("SHEETS_REVERIFY_MONTHS", 12, minimum=1)
# Largest photo upload accepted for the sheets (MB); photos are re-encoded and resized for print.
SHEETS_PHOTO_MAX_MB = env_int("SHEETS_PHOTO_MAX_MB", 8, minimum=1)
# Pixels, read from the file's header before anything is decoded (decompression bombs): a
# 13000×13000 PNG of 657 KB decodes to ~500 MB. 50 million covers a 48-megapixel phone camera.
SHEETS_PHOTO_MAX_MEGAPIXELS = env_int("SHEETS_PHOTO_MAX_MEGAPIXELS", 50, minimum=1)
# Largest spreadsheet accepted by the employer/program import (MB); it is read, never stored.
SHEETS_IMPORT_MAX_MB = env_int("SHEETS_IMPORT_MAX_MB", 5, minimum=1)
# A hand-off between agencies (つなぎ) not answered within this many days is flagged on both home pages.
HANDOFF_REMIND_DAYS = env_int("HANDOFF_REMIND_DAYS", 5, minimum=1)

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Third-party assets come from npm (node_modules) and are served locally: no CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", False)
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# Static files are served by WhiteNoise, with or without DEBUG; locally (DEBUG or the demo) it
# finds them where they are, without collectstatic, and sees edits at once.
WHITENOISE_USE_FINDERS = LOCAL
WHITENOISE_AUTOREFRESH = LOCAL
# Uploaded files are never served from a public URL; views check access first.
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))

# Labels capitalised in English wherever a form is shown (registry/form_labels.py).
FORM_RENDERER = "registry.form_labels.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console in development, SMTP otherwise (Django 6.1 MAILERS).
EMAIL_BACKEND_PATH = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if LOCAL else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("DJANGO_EMAIL_HOST", "localhost"),
        "port": env_int("DJANGO_EMAIL_PORT", 25, minimum=1),
        "username": env_str("DJANGO_EMAIL_HOST_USER"),
        "password": env_str("DJANGO_EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
    }
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "shigoto@localhost")

# HTTPS hardening: on by default in production, off for local development and tests.
HTTPS = env_bool("DJANGO_HTTPS", not LOCAL)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", HTTPS)
# Behind a reverse proxy: trust its X-Forwarded-Proto and its X-Forwarded-For (client address).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy: scripts only from our own origin or with the per-request nonce
# (`<script nonce="{{ csp_nonce }}">`); no plugins, no framing, forms post only to us.
# Inline *styles* stay allowed: print templates set page geometry inline and cannot run code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sessions end after this much inactivity: a signed-in user's requests renew them, at most once a
# minute (registry.middleware._renew_session), not on every request.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = False
X_FRAME_OPTIONS = "DENY"

# Login throttling (django-axes): the same answer for unknown accounts and wrong passwords;
# after LOGIN_FAILURE_LIMIT failures one account is locked FROM THAT ADDRESS only (the pair), so
# a stranger cannot keep staff out and five typos do not lock a shared office address; an address
# that fails LOGIN_ADDRESS_FAILURE_LIMIT times across any names (spraying) is locked for all.
# See docs/security.md "Login lockout" and registry/lockout.py.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "registry.lockout.PairAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "registry.http.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Two-factor authentication (TOTP): required for everybody when on; agency admins can also
# require it for their agency.
REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "しごと情報レジストリ"

# How long a workshop session's participant-survey link stays valid.
WORKSHOP_SURVEY_VALID_DAYS = env_int("WORKSHOP_SURVEY_VALID_DAYS", 14, minimum=1)

# How long audit entries are kept; `manage.py purge_audit` removes older ones (and says so).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 5 * 365, minimum=30)

# Background tasks (django.tasks): "database" queues them for `manage.py db_worker` (production and
# `make run`, which starts a worker next to runserver); "immediate" runs them inside the request.
TASKS_BACKEND = env_choice("TASKS_BACKEND", "database", ["database", "immediate"])
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
    }
}
# Work that runs in one transaction (an import) reports its progress through a second connection,
# so that the progress page sees it at once (jobs.services.Progress). SQLite has a single writer.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["jobs_progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# A binder of more sheets than this is made by the worker, with a progress page.
BINDER_BACKGROUND_THRESHOLD = env_int("BINDER_BACKGROUND_THRESHOLD", 10, minimum=1)
# An import batch of more rows than this is confirmed by the worker, with a progress page.
IMPORT_BACKGROUND_THRESHOLD = env_int("IMPORT_BACKGROUND_THRESHOLD", 200, minimum=1)
# Finished jobs and their files are deleted after this many days (`manage.py purge_jobs`).
JOB_RETENTION_DAYS = env_int("JOB_RETENTION_DAYS", 7, minimum=1)

# Logs go to standard output; DJANGO_LOG_FORMAT=json gives one JSON object per line for collectors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_choice("DJANGO_LOG_FORMAT", "plain", ["plain", "json"]),
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("DJANGO_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"]),
    },
    # Axes logs every login; its own lines mask usernames, but they are noise at INFO.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Read-only JSON API (issue 8): requests allowed per token and period, e.g. "600/hour"
# (periods: second, minute, hour, day); over it the API answers 429 with Retry-After.
from config.env import env_rate  # noqa: E402

API_RATE_LIMIT = env_rate("API_RATE_LIMIT", "600/hour")
# Password reset links (registry/password_reset.py): per e-mail address and per client address.
PASSWORD_RESET_EMAIL_LIMIT = env_rate("PASSWORD_RESET_EMAIL_LIMIT", "3/hour")
PASSWORD_RESET_ADDRESS_LIMIT = env_rate("PASSWORD_RESET_ADDRESS_LIMIT", "20/hour")
# The API docs page (/api/docs/) uses Swagger UI from npm, served locally like Bootstrap.
STATICFILES_DIRS += [("vendor/swagger-ui", BASE_DIR / "node_modules/swagger-ui-dist")]
