"""Django settings, all read from the environment (12-factor).

SQLite under ``var/`` is the default so a fresh checkout runs with no server; ``DATABASE_URL`` switches to
PostgreSQL. Nothing secret lives in the repository: without ``SECRET_KEY`` a random key is created once in
``var/secret_key`` (fine for a demo machine, set the variable in production).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from minsheng import DEFAULT_TIME_ZONE
from minsheng.web.env import env_bool, env_int, env_int_map, env_list, env_networks, env_str, env_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_repo = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("MINSHENG_VAR_DIR", str(_repo / "var" if (_repo / "pyproject.toml").exists() else Path.cwd() / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "民声")
# Where people reach the site: links in e-mails and SMS (sent by the worker, outside any request) are built on it.
MINSHENG_SITE_URL = env_url("MINSHENG_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "minsheng.accounts",
    "minsheng.consultation",
    "minsheng.assistance",
    "minsheng.demo",  # only for its seed_demo command; nothing in the product imports it
    "minsheng.web",  # last: connects the sign-in signals (web/apps.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "minsheng.web.static_files.StaticFilesMiddleware",  # whitenoise, whole when a file is edited
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "minsheng.web.errors.reject_nul_in_query",
    "minsheng.web.errors.method_not_allowed_page",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "minsheng.web.second_factor.require_second_factor",
    "minsheng.web.kept.name_the_owner",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minsheng.web.urls"
WSGI_APPLICATION = "minsheng.web.wsgi.application"

# Widgets are drawn through TEMPLATES, so web/templates can mend one of Django's: the admin's date and time boxes
# (admin/widgets/split_datetime.html) had no label of their own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minsheng.web.context.site",
            ],
            # {{ s.receipt|receipt }} on every page without a {% load %} to forget (7W5MV-V8B7F everywhere), and
            # dates and times written one way ({{ at|day }}, {{ at|moment }}: templatetags/spans.py), and counts
            # shown with thousands separators ({{ n|intcomma }}: 120,000, FORMAT_MODULE_PATH below)
            "builtins": ["minsheng.consultation.templatetags.receipts", "minsheng.consultation.templatetags.spans",
                         "django.contrib.humanize.templatetags.humanize"],
        },
    },
]

_sqlite = f"sqlite:///{VAR_DIR / 'minsheng.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _sqlite), conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work together; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A kept connection is pinged before a request reuses it, so the first request after a database restart works.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # each role's own home (minsheng.web.homes)
LOGOUT_REDIRECT_URL = "home"

# ASVS 2.1.1: 12 characters at least (Django's default is 8). Validators run where a person chooses a password: the
# admin's add-user and change-password forms, `createsuperuser` and `changepassword`; a password a script sets
# with set_password() is not checked, so the demo's generated ones are 12 characters themselves.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# One language until another is translated: LocaleMiddleware then answers every browser, whatever its
# Accept-Language, in Chinese (with "en" listed, an English browser got Django's English form errors among
# Chinese pages). Our own wording of Django's messages lives in LOCALE_PATHS (compiled by make run / make test).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("TIME_ZONE", DEFAULT_TIME_ZONE)
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["minsheng.web.formats"]

STATIC_URL = "/static/"
# web/static is found as the web app's (INSTALLED_APPS); one echarts.min.js for reports and pages.
STATICFILES_DIRS = [("reports", PACKAGE_DIR / "reports" / "static")]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Uploads (imports, photos) are read by this service only: owner-only files and folders.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Serve app static files straight from the package in development and tests: no collectstatic step needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Intake limits (used by minsheng.consultation.intake: clean.py, services.py, api/, imports.py).
SUGGESTION_MAX_CHARS = env_int("SUGGESTION_MAX_CHARS", 5000)
API_BATCH_MAX = env_int("API_BATCH_MAX", 1000)
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 16 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PUBLIC_RATE_PER_MINUTE = env_int("PUBLIC_RATE_PER_MINUTE", 5)
PUBLIC_RATE_PER_DAY = env_int("PUBLIC_RATE_PER_DAY", 50)
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed for per-address limits.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
CHALLENGE_MIN_SECONDS = env_int("CHALLENGE_MIN_SECONDS", 2)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 500 * 1024 * 1024)
# Days an uploaded file previewed but never imported is kept (it holds every row unmasked, ASVS 8.3.8); then the
# worker's timer (or `minsheng manage expire_imports`) removes it and the import reads 已过期.
IMPORT_PREVIEW_KEEP_DAYS = env_int("IMPORT_PREVIEW_KEEP_DAYS", 7)
if IMPORT_PREVIEW_KEEP_DAYS < 1:
    raise ImproperlyConfigured(f"IMPORT_PREVIEW_KEEP_DAYS={IMPORT_PREVIEW_KEEP_DAYS}: keep a preview a day at least")

# Analysis runs: reports after each full run; engine worker processes (0: the engine's default).
ANALYSIS_REPORTS = env_bool("ANALYSIS_REPORTS", True)
ANALYSIS_WORKERS = env_int("ANALYSIS_WORKERS", 0) or None
# Finished full runs per campaign whose folders retention keeps beside the current run (a million-row run's is
# about 200 MB); older folders go after each full run and with `minsheng manage prune_runs`.
ANALYSIS_KEEP_RUNS = env_int("ANALYSIS_KEEP_RUNS", 2)
if ANALYSIS_KEEP_RUNS < 0:
    raise ImproperlyConfigured(f"ANALYSIS_KEEP_RUNS={ANALYSIS_KEEP_RUNS} is negative (0 keeps only the current run)")
# Text messages to contributors: a class with send(phone, text); the default only logs.
# Minutes during which the author of 结束征集, 吊销 a key or a whole group's answer can take it back (撤销);
# a group's messages to contributors wait as long.
UNDO_MINUTES = env_int("UNDO_MINUTES", 10)
SMS_PROVIDER = env_str("SMS_PROVIDER", "minsheng.consultation.workbench.notify.LogSmsProvider")
# E-mail to contributors (答复通知) and officers (办理提醒): sent as 民声 <noreply@the site's host>, where
# Django's default was webmaster@localhost (the sender a citizen read, and one mail servers refuse).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or f"{SITE_NAME} <noreply@{urlsplit(MINSHENG_SITE_URL).hostname}>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Assistance: the secret that encrypts and indexes resident ID numbers (see minsheng.assistance.idcrypto).
ASSISTANCE_ID_KEY = env_str("ASSISTANCE_ID_KEY")
# Full ID numbers one person may read in an hour (each read is audited with its purpose).
ASSISTANCE_REVEALS_PER_HOUR = env_int("ASSISTANCE_REVEALS_PER_HOUR", 20)
# Contributors' contacts: their own key list, apart from SECRET_KEY (see minsheng.consultation.intake.contact).
CONTACT_KEY = env_str("CONTACT_KEY")
# Hours to resolve a need by urgency, before it escalates (ASSISTANCE_SLA_HOURS=urgent=24,normal=168).
ASSISTANCE_SLA_HOURS = env_int_map("ASSISTANCE_SLA_HOURS", {"urgent": 24, "high": 72, "normal": 168, "low": 336})
# The shortest visit a check-out is accepted for; the largest photo or document uploaded on a visit.
ASSISTANCE_MIN_VISIT_MINUTES = env_int("ASSISTANCE_MIN_VISIT_MINUTES", 5)
ASSISTANCE_UPLOAD_MAX_BYTES = env_int("ASSISTANCE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
# Days a printed feedback link (QR code on the service slip) takes the recipient's own rating.
ASSISTANCE_FEEDBACK_LINK_DAYS = env_int("ASSISTANCE_FEEDBACK_LINK_DAYS", 14)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind TLS in production: set these so `minsheng manage check --deploy` is clean (see docs/security.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # a load balancer probes over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Only behind a proxy that sets X-Forwarded-Proto itself (and strips the client's), or anyone can claim https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (django-csp): scripts and everything else from this site only; inline style
# attributes stay allowed (templates and htmx's indicator use them). CSP_REPORT_ONLY=1 tries a change first.
_CSP = {"DIRECTIVES": {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"], "font-src": ["'self'", "data:"], "connect-src": ["'self'"],
    "object-src": ["'none'"], "base-uri": ["'self'"], "form-action": ["'self'"], "frame-ancestors": ["'none'"],
}}
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

# Sign-in protection (see minsheng.web.signin): lock-out per account and per address, short staff sessions.
AUTHENTICATION_BACKENDS = ["minsheng.web.signin.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "minsheng.web.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "minsheng.web.signin.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
STAFF_SESSION_MINUTES = env_int("STAFF_SESSION_MINUTES", 480)
# A second factor (TOTP) for staff, superusers and the roles listed here (minsheng.web.second_factor). Off only
# for a trial on a laptop: a real site keeps it on (等保 2.0 level 3).
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", True)
SECOND_FACTOR_ROLES = env_list("SECOND_FACTOR_ROLES", [])
OTP_TOTP_ISSUER = SITE_NAME
# The device admin is unregistered (accounts/admin.py); should it come back, it still shows no key nor QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "minsheng.web.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The CLI's line (time with its +0800 offset, level, logger): the task worker `serve` starts logs through this.
    "formatters": {"zoned": {"()": "minsheng.logs.ZonedFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "zoned"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
