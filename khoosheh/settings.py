"""Settings for khoosheh, read from the environment.

Defaults suit the embedded case (``make demo``: SQLite in the working folder);
production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=false.  Every
setting read here is listed in docs/configuration.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("KHOOSHEH_DATA_DIR", Path.cwd())).resolve()


def envbool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def secret_key() -> str:
    """SECRET_KEY from the environment, or one kept in the data folder so that
    sessions survive a restart of the embedded server."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / ".khoosheh-secret-key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DEBUG", False)
SECRET_KEY = secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, found by FORM_RENDERER below beside the project's own
    "khoosheh.accounts",
    "khoosheh.registry",
    "khoosheh.clusters",
    "khoosheh.programs",
    "khoosheh.spx",
    "khoosheh.dashboards",
    "khoosheh.jobs",
    "khoosheh.api",
    "ninja",  # serves the API docs' own files, no CDN
    "axes",  # login throttling and lock-out
    "django_tasks",  # the task queue (Django 6's tasks API, backported) ...
    "django_tasks_db",  # ... on the database: no broker; SKIP LOCKED on PostgreSQL
    "khoosheh.portal",
]

MIDDLEWARE = [
    "khoosheh.web.middleware.RequestSizeLimitMiddleware",  # first: refuses before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "khoosheh.web.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khoosheh.web.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "khoosheh.web.middleware.RefuseNulBytesMiddleware",  # after auth: its 400 page shows the site's layout
    "khoosheh.accounts.audit.AuditSourceMiddleware",
    "khoosheh.web.errors.MethodNotAllowedPageMiddleware",  # a form's address opened by hand: a page, not blank
    "khoosheh.web.errors.DatabaseBusyMiddleware",  # last: sees the views' exceptions first; 503, not 500
]

ROOT_URLCONF = "khoosheh.urls"
WSGI_APPLICATION = "khoosheh.wsgi.application"

# Widgets render through the project's template settings, so a widget of ours (web/fields.FilePicker) can
# have its template in templates/forms/widgets/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
                "khoosheh.web.context_processors.portal",
                "khoosheh.portal.context_processors.site",
                "khoosheh.web.csp.nonce",
            ],
            "builtins": ["khoosheh.web.templatetags.persian"],
            "libraries": {"persian": "khoosheh.web.templatetags.persian"},  # for templates that load it by name
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'khoosheh.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the portal read while an import writes; IMMEDIATE avoids
    # "database is locked" when two writers start a transaction together.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
                         "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0


def _private_database(name) -> None:
    """The SQLite file holds every record and password hash: readable by its owner only (SQLite gives its -wal and
    -shm files the same mode).  Created so before SQLite creates it under the umask; an existing one is narrowed."""
    path = Path(name)
    if str(name).startswith(":memory:") or str(name).startswith("file:"):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        pass  # a read-only mount or someone else's file: SQLite will say what is wrong when it opens it


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _private_database(DATABASES["default"]["NAME"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username+address before checking the password
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock it out for 15 minutes; twenty from all addresses
# together lock the username (accounts.lockout).  Behind a reverse proxy, list it in KHOOSHEH_TRUSTED_PROXIES
# (addresses or networks, comma-separated): only then is X-Forwarded-For believed.
AXES_FAILURE_LIMIT = int(os.environ.get("KHOOSHEH_LOGIN_FAILURES", "5"))
KHOOSHEH_ACCOUNT_FAILURES = int(os.environ.get("KHOOSHEH_ACCOUNT_FAILURES", "20"))
KHOOSHEH_TRUSTED_PROXIES = envlist("KHOOSHEH_TRUSTED_PROXIES", "")
KHOOSHEH_API_TOKEN_DAYS = int(os.environ.get("KHOOSHEH_API_TOKEN_DAYS", "90"))
AXES_CLIENT_IP_CALLABLE = "khoosheh.accounts.lockout.client_ip"
AXES_HANDLER = "khoosheh.accounts.lockout.LockoutHandler"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not written to the database (nor made to wait for it)
# So that the backend marks a locked request (429) whichever rule locked it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_COOLOFF_TIME = float(os.environ.get("KHOOSHEH_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked.html"
AXES_VERBOSE = False

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "khoosheh.accounts.passwords.MinimumLengthValidator"},  # Django's, in Persian digits
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
WHITENOISE_USE_FINDERS = True  # serve straight from the package, no collectstatic needed
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

# Half-finished projects at or above this physical progress (%) are "near completion",
# the bar provincial programs use.
KHOOSHEH_PIPELINE_THRESHOLD = int(os.environ.get("KHOOSHEH_PIPELINE_THRESHOLD", "60"))

# A unit's location this many km outside Iran's land outline is still accepted, with a warning that
# says how far it is (a factory on the shore, coordinates rounded to two decimals); farther, refused.
KHOOSHEH_LOCATION_TOLERANCE_KM = float(os.environ.get("KHOOSHEH_LOCATION_TOLERANCE_KM", "5"))
if not 0 <= KHOOSHEH_LOCATION_TOLERANCE_KM <= 100:  # core.geo measures distances up to 100 km
    raise ValueError(f"KHOOSHEH_LOCATION_TOLERANCE_KM must be between 0 and 100, not {KHOOSHEH_LOCATION_TOLERANCE_KM}")

# The point maps draw Iran's outline from the package and need nothing else.  Where the portal is
# online, a background tile layer may be added: a URL template such as
# https://tile.openstreetmap.org/{z}/{x}/{y}.png and the attribution its licence asks for.
KHOOSHEH_MAP_TILES = os.environ.get("KHOOSHEH_MAP_TILES", "")
KHOOSHEH_MAP_TILES_ATTRIBUTION = os.environ.get("KHOOSHEH_MAP_TILES_ATTRIBUTION", "")

# Reports listing more rows than this are built in the background, with progress, rather than
# while the browser waits; their files are kept in REPORTS_DIR for KHOOSHEH_REPORT_KEEP_DAYS.
KHOOSHEH_REPORT_INLINE_ROWS = int(os.environ.get("KHOOSHEH_REPORT_INLINE_ROWS", "2000"))
KHOOSHEH_REPORT_KEEP_DAYS = int(os.environ.get("KHOOSHEH_REPORT_KEEP_DAYS", "7"))
REPORTS_DIR = Path(os.environ.get("KHOOSHEH_REPORTS_DIR", DATA_DIR / "reports"))

# Long work (imports from the portal, identification runs, large reports) goes through one task queue
# on the database, run by `khoosheh worker` (docs/operations.md).  False runs each job at once in the
# process that asks (tests, one-off scripts).  A running job's worker renews its lease every second;
# a job whose lease is older than KHOOSHEH_JOB_LEASE_SECONDS (or whose worker process on this machine
# is gone) is queued again, up to KHOOSHEH_JOB_ATTEMPTS runs in all, then marked failed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
KHOOSHEH_JOBS_IN_BACKGROUND = envbool("KHOOSHEH_JOBS_IN_BACKGROUND", True)
KHOOSHEH_JOBS_DIR = Path(os.environ.get("KHOOSHEH_JOBS_DIR", DATA_DIR / "jobs"))
KHOOSHEH_JOB_LEASE_SECONDS = int(os.environ.get("KHOOSHEH_JOB_LEASE_SECONDS", "60"))
KHOOSHEH_JOB_HEARTBEAT_SECONDS = float(os.environ.get("KHOOSHEH_JOB_HEARTBEAT_SECONDS", "1"))
KHOOSHEH_JOB_ATTEMPTS = int(os.environ.get("KHOOSHEH_JOB_ATTEMPTS", "2"))
KHOOSHEH_JOB_KEEP_DAYS = int(os.environ.get("KHOOSHEH_JOB_KEEP_DAYS", "7"))

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# Uploads: the unit file goes to a temporary file, never wholly into memory.
# Password-reset mail: written as files to DATA_DIR/mail unless a mail server is configured (docs/configuration.md).
EMAIL_BACKEND = os.environ.get("KHOOSHEH_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(os.environ.get("KHOOSHEH_EMAIL_DIR", DATA_DIR / "mail"))
EMAIL_HOST = os.environ.get("KHOOSHEH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KHOOSHEH_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KHOOSHEH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KHOOSHEH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("KHOOSHEH_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("KHOOSHEH_EMAIL_FROM", "khoosheh@localhost")

KHOOSHEH_MAX_UPLOAD_BYTES = int(os.environ.get("KHOOSHEH_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Sessions in files of the data folder, not the database: a login must not wait behind an import's write lock
# on SQLite.  Still server-side, so logging out ends a session for good.
SESSION_ENGINE = "django.contrib.sessions.backends.file"
SESSION_FILE_PATH = os.environ.get("KHOOSHEH_SESSION_DIR", str(DATA_DIR / "sessions"))
Path(SESSION_FILE_PATH).mkdir(parents=True, exist_ok=True, mode=0o700)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and envbool("KHOOSHEH_HTTPS", False):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_in_one_line": {"()": "khoosheh.web.logfilters.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # On the logger, not a handler, so every handler (ours, Django's own console) sees a 403/404 as one line.
    "loggers": {"django.request": {"filters": ["client_errors_in_one_line"]}},
}
