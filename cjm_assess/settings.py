"""Settings of the CJM-Standortbestimmung, driven entirely by environment variables (see README)."""

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value (or DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts.admin_apps.AdminConfig",  # django.contrib.admin, with a site that asks for the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "bootstrap",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "cjm_assess.apps.CjmAssessConfig",
    "accounts",
    "standortbestimmung",
    "roadmap",
    "market",
    "respondent",
    "workspace",
    "outreach",
    "live",
    "django_tasks_db",
]

MIDDLEWARE = [
    "cjm_assess.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cjm_assess.compression.HtmlGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cjm_assess.security.RequestBodyLimitMiddleware",  # above CSRF: refuses a huge body before it is read
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cjm_assess.sessions.SessionTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "cjm_assess.http.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cjm_assess.urls"
WSGI_APPLICATION = "cjm_assess.wsgi.application"

# An operator may put templates (impressum, datenschutz, branding) in TEMPLATE_OVERRIDES_DIR; they win.
_template_dirs = [BASE_DIR / "templates"]
if os.environ.get("TEMPLATE_OVERRIDES_DIR"):
    _template_dirs.insert(0, Path(os.environ["TEMPLATE_OVERRIDES_DIR"]))

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": _template_dirs,
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cjm_assess.context_processors.site",
                "respondent.kiosk.kiosk_mode",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()


def database_from_url(url: str) -> dict:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # A file, not memory, for tests: the browser tests' live server then gives each request thread its
            # own connection instead of sharing one, as in production.
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"cjm-test-{os.getpid()}.sqlite3")},
            # Concurrent writers wait (timeout) and take the write lock up front (IMMEDIATE) instead of
            # failing with "database is locked" halfway through a transaction.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    try:
        config = dj_database_url.parse(url)
    except Exception as exc:  # dj-database-url raises several kinds for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed ({exc}).") from None
    engine = config.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        config.setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    elif engine.endswith("postgresql"):
        options = config.setdefault("OPTIONS", {})
        # Django's own pool (psycopg_pool); off with ?pool=false in the URL.
        options.setdefault("pool", True)
        # With the pool, connections are reused through it; without, DATABASE_CONN_MAX_AGE keeps them open.
        config["CONN_MAX_AGE"] = 0 if options.get("pool") else env_int("DATABASE_CONN_MAX_AGE", 0)
        if options.get("pool") is True:
            options["pool"] = {"min_size": 1, "max_size": env_int("DATABASE_POOL_MAX", 10), "timeout": 10}
    else:
        raise ImproperlyConfigured(f"DATABASE_URL must point to PostgreSQL or SQLite, not {engine or url!r}.")
    return config


DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Per-process memory cache for template fragments that are the same for everyone (question cards of published,
# immutable questionnaire versions). Nothing in it is personal or needs to be shared between workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
    }
}

# --- Auth, sessions -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins are counted per account and per IP address in the database (django-axes): no Redis needed,
# shared by every app process. After LOGIN_FAILURE_LIMIT failures that account or address waits.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address comes from one place (cjm_assess.security.client_ip), for axes as for every other limit.
AXES_CLIENT_IP_CALLABLE = "cjm_assess.security.axes_client_ip"
# The number of reverse proxies in front of the app that append the client's address to X-Forwarded-For
# (0: the app is reached directly and the header is ignored; 1: one nginx or load balancer; ...). Too high a
# number lets clients choose their address by sending the header themselves; too low puts everyone behind the
# proxy into one bucket (five wrong passwords would lock out everybody).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES must be 0 or more, not {TRUSTED_PROXIES}.")

# A second factor for everyone who signs in (consultants and the admin): an authenticator app (TOTP, django-otp)
# with one-time recovery codes; accounts.middleware sends a signed-in user without it to enter or set it up.
OTP_TOTP_ISSUER = "CJM-Standortbestimmung"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an authenticator's secret key

# Mail (invitations, reminders, contact requests, password reset): printed to the console in development, sent
# over SMTP in production (EMAIL_HOST, default localhost). Our mails are sent by the background worker, never in
# a request; Django's password reset logs a failed send instead of failing the request.
if DEBUG and not os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                # a mail server that does not answer must not hold the worker (or a lock) for long
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# Replies to our mails go here (e.g. the consultant's address); the footer closes every mail.
MAIL_REPLY_TO = env_list("MAIL_REPLY_TO")
MAIL_FOOTER = os.environ.get("MAIL_FOOTER", "")
# Links in mails point here, never at the Host header of the request that caused the mail.
PUBLIC_BASE_URL = os.environ.get(
    "PUBLIC_BASE_URL", "http://127.0.0.1:8000" if DEBUG or TESTING else ""
).rstrip("/")

# Background work (mails, report pre-rendering, benchmark refresh): a queue in the project's own database,
# worked off by `manage.py db_worker` (make run starts one); tests run every task at once, in the request.
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend"
    }
}

# Render a report in the background as soon as what it shows has changed (finished, roadmap planned or edited),
# so a download is a cache hit. Off in tests, which render the reports they check themselves.
REPORT_PRERENDER = env_bool("REPORT_PRERENDER", not TESTING)

# Contact requests (leads): the consultants (user names) who get them by mail and see the inbox, besides
# staff; with none, the notice goes to CONSULTANT_EMAIL. How many one address and one assessment may send a day.
LEAD_RECIPIENTS = env_list("LEAD_RECIPIENTS")
CONTACT_REQUESTS_PER_ADDRESS_PER_DAY = env_int("CONTACT_REQUESTS_PER_ADDRESS_PER_DAY", 3)
CONTACT_REQUESTS_PER_ASSESSMENT_PER_DAY = env_int("CONTACT_REQUESTS_PER_ASSESSMENT_PER_DAY", 3)
# Reminders to invited participants who have not finished, by `manage.py send_reminders` (daily, by cron):
# this many days after the last mail to them (0: only when the consultant sends one), at most REMINDERS_MAX.
REMINDER_AFTER_DAYS = env_int("REMINDER_AFTER_DAYS", 0)
REMINDERS_MAX = env_int("REMINDERS_MAX", 2)
# Read-only share links of a finished result stop working after this many days (or when revoked).
SHARE_LINK_DAYS = env_int("SHARE_LINK_DAYS", 30)
# The kiosk (a tablet on an event stand): the short version asks the first N questions of each field, and the
# device starts over after this many seconds without input.
KIOSK_QUESTIONS_PER_FIELD = env_int("KIOSK_QUESTIONS_PER_FIELD", 3)
if not 3 <= KIOSK_QUESTIONS_PER_FIELD <= 20:
    raise ImproperlyConfigured(
        "KIOSK_QUESTIONS_PER_FIELD must be from 3 (the fewest answers that give a field a level) to 20."
    )
KIOSK_IDLE_SECONDS = env_int("KIOSK_IDLE_SECONDS", 90)

LOGIN_URL = "login"
LOGIN_URL_PATH = "/konto/anmelden/"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
# Personal links (self-assessments, invitations) stop working this many days after they were made.
PERSONAL_LINK_DAYS = env_int("PERSONAL_LINK_DAYS", 365)
BAD_LINKS_PER_IP_PER_HOUR = env_int("BAD_LINKS_PER_IP_PER_HOUR", 30)
# Wrong join codes of live workshops per address and hour (a room of phones behind one address shares it).
BAD_JOIN_CODES_PER_IP_PER_HOUR = env_int("BAD_JOIN_CODES_PER_IP_PER_HOUR", 30)
INVITATIONS_PER_CONSULTANT_PER_HOUR = env_int("INVITATIONS_PER_CONSULTANT_PER_HOUR", 200)
SELF_ASSESSMENTS_PER_IP_PER_HOUR = env_int("SELF_ASSESSMENTS_PER_IP_PER_HOUR", 20)
# A fresh PDF costs 1-16 s of a worker; a download from the cache costs nothing and is not counted.
REPORT_RENDERS_PER_PERSON_PER_HOUR = env_int("REPORT_RENDERS_PER_PERSON_PER_HOUR", 20)
REPORT_RENDERS_PER_IP_PER_HOUR = env_int("REPORT_RENDERS_PER_IP_PER_HOUR", 60)
PASSWORD_RESETS_PER_IP_PER_HOUR = env_int("PASSWORD_RESETS_PER_IP_PER_HOUR", 10)
PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR = env_int("PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR", 3)
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
# Tests and development serve static files straight from the apps; production from collectstatic's output.
STATIC_ROOT = None if TESTING else BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------------
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1; SECURE_SSL_REDIRECT can be switched off
# where the proxy already redirects.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# Form fields larger than this are refused by Django with a 400 before any view runs; whole bodies (file parts
# included) larger than REQUEST_MAX_BYTES with a 413 before they are read (cjm_assess.security). No page takes
# files: a file part is refused (400).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400
DATA_UPLOAD_MAX_NUMBER_FILES = 0
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", DATA_UPLOAD_MAX_MEMORY_SIZE + 64 * 1024)

# --- The operator (Impressum, Datenschutz, contact) and the consultant to contact -----------------------
OPERATOR = {
    "name": os.environ.get("OPERATOR_NAME", ""),
    "address": os.environ.get("OPERATOR_ADDRESS", ""),
    "email": os.environ.get("OPERATOR_EMAIL", ""),
    "phone": os.environ.get("OPERATOR_PHONE", ""),
    "representative": os.environ.get("OPERATOR_REPRESENTATIVE", ""),
}
CONSULTANT = {
    "name": os.environ.get("CONSULTANT_NAME", ""),
    "email": os.environ.get("CONSULTANT_EMAIL", ""),
    "booking_url": os.environ.get("CONSULTANT_BOOKING_URL", ""),
}
BENCHMARK_VIEWS = env_bool("BENCHMARK_VIEWS", False)
# The peer benchmark shows a figure only from this many organisations (k-anonymity); below 3 it protects nobody.
BENCHMARK_K = env_int("BENCHMARK_K", 5)
if BENCHMARK_K < 3:
    raise ImproperlyConfigured(f"BENCHMARK_K must be at least 3, not {BENCHMARK_K}.")
SELF_ASSESSMENT_RETENTION_MONTHS = env_int("SELF_ASSESSMENT_RETENTION_MONTHS", 12)
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 90)

# Branding of the PDF report: a name, a colour and a logo file (PNG or SVG) of the consultancy.
_brand_color = os.environ.get("BRAND_COLOR", "#0b5cad").strip()
if not re.fullmatch(r"#[0-9a-fA-F]{6}", _brand_color):
    raise ImproperlyConfigured(f"BRAND_COLOR must be a colour like #0b5cad, not {_brand_color!r}.")
_brand_logo = os.environ.get("BRAND_LOGO_FILE", "").strip()
if _brand_logo and not (Path(_brand_logo).is_file() and Path(_brand_logo).suffix.lower() in {".png", ".svg"}):
    raise ImproperlyConfigured(f"BRAND_LOGO_FILE must be an existing .png or .svg file, not {_brand_logo!r}.")
BRANDING = {
    "name": os.environ.get("BRAND_NAME", "").strip() or CONSULTANT["name"],
    "color": _brand_color,
    "logo_file": _brand_logo,
}

# --- Logging: one line per event on stdout, with the request id --------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cjm_assess.logging.RequestIdFilter"}},
    "formatters": {"kv": {"()": "cjm_assess.logging.KeyValueFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "kv",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "cjm.security": {"level": "INFO"},
        "fontTools": {"level": "WARNING"},
    },
}
