"""One settings module for every environment, driven by environment variables.

Development defaults (DEBUG on, SQLite, local-memory cache, console email) make `make run`
work on a fresh machine; production sets DEBUG=0 and the secrets. `.env.example` lists every
variable this module reads.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import process_figure, process_image
from js_asset import static_lazy

from newsroom.cdn_settings import purge_backends
from newsroom.media_storage import media_origins, s3_media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean the way people write them in shell files (1/0, true/false, yes/no)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site refuses to start without a secret "
            "key: set SECRET_KEY in the environment (see .env.example)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "أخبار المغرب")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "simple_history",
    "django_prose_editor",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "newsroom",
    "articles",
    "library",
    "search",
    "comments",
    "contact",
    "pages",
    "imports",
    "mostread",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, CSRF and every view: a cached anonymous page costs no SQL at all.
    "newsroom.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "newsroom.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside CommonMiddleware: an old link's 404 becomes its 301 before APPEND_SLASH sees it.
    "imports.middleware.LegacyRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.AdminCSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a lockout into the lockout page
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "csp.context_processors.nonce",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default, anything dj-database-url understands otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: wait for the writer instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
    (BASE_DIR / "var").mkdir(exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory unless Redis is configured; Django's own RedisCache (no extra package),
# reusing its client objects (newsroom/redis_cache.py).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Page cache (newsroom/pagecache.py): anonymous public pages, tagged and purged on commit.
# On by default with a shared cache (Redis) or in development (one process). A local-memory
# cache is per process: a purge would reach only the process that saved, so production
# without Redis leaves it off unless PAGE_CACHE=1 says otherwise.
SHARED_CACHE = CACHES["default"]["BACKEND"].endswith("RedisCache")
# Sessions: the shared cache written through to the database, so any app server reads a login
# made on another (no sticky sessions); without one, the database. Never files on local disk.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if SHARED_CACHE else "db")
PAGE_CACHE = env_bool("PAGE_CACHE", SHARED_CACHE or DEBUG)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_404_SECONDS = env_int("PAGE_CACHE_404_SECONDS", 60)
# Each worker also keeps the pages it just served for this long and answers them before Django
# runs (newsroom/pagecache_local.py); a purge elsewhere reaches it within that time. 0: off.
PAGE_CACHE_LOCAL_SECONDS = env_int("PAGE_CACHE_LOCAL_SECONDS", 1)
# CDN purge backends (newsroom/cdn.py), each enabled once configured. Varnish with xkey
# (deploy/varnish/newsroom.vcl): the servers to purge.
VARNISH_PURGE_URLS = env_list("VARNISH_PURGE_URLS")
VARNISH_PURGE_TIMEOUT = env_int("VARNISH_PURGE_TIMEOUT", 2)
VARNISH_PURGE_RETRIES = env_int("VARNISH_PURGE_RETRIES", 2)
# Cloudflare (purge by Cache-Tag): a zone and an API token allowed to purge it.
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get(
    "CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4"
).rstrip("/")
# Fastly (purge by Surrogate-Key): a service and an API token with purge_select.
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
FASTLY_API_URL = os.environ.get("FASTLY_API_URL", "https://api.fastly.com").rstrip("/")
FASTLY_SOFT_PURGE = env_bool("FASTLY_SOFT_PURGE", False)
# Cloudflare and Fastly calls: seconds per call, retries after a failure. A publish waits on
# all CDN backends together at most CDN_PURGE_BUDGET seconds; what failed stays pending and
# goes with the next purge or `manage.py retry_purges`.
CDN_PURGE_TIMEOUT = env_int("CDN_PURGE_TIMEOUT", 2)
CDN_PURGE_RETRIES = env_int("CDN_PURGE_RETRIES", 2)
CDN_PURGE_BUDGET = env_int("CDN_PURGE_BUDGET", 4)
# Purge backends, each a class with purge(tags): the app's own cache always first, then each
# configured CDN, then any other dotted path listed in PAGE_CACHE_PURGERS.
PAGE_CACHE_PURGERS = purge_backends(
    {
        "CLOUDFLARE_ZONE_ID": CLOUDFLARE_ZONE_ID,
        "CLOUDFLARE_API_TOKEN": CLOUDFLARE_API_TOKEN,
        "FASTLY_SERVICE_ID": FASTLY_SERVICE_ID,
        "FASTLY_API_TOKEN": FASTLY_API_TOKEN,
    },
    VARNISH_PURGE_URLS,
    env_list("PAGE_CACHE_PURGERS"),
)
CDN_MAX_AGE = env_int("CDN_MAX_AGE", 60)
CDN_S_MAXAGE = env_int("CDN_S_MAXAGE", 600)
CDN_STALE_WHILE_REVALIDATE = env_int("CDN_STALE_WHILE_REVALIDATE", 60)
CDN_STALE_IF_ERROR = env_int("CDN_STALE_IF_ERROR", 86400)

# Login throttling (django-axes): after 5 failed logins for one username from one address,
# that pair is locked out for an hour. The address is read like the readers' forms read it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.http.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Arabic first and at the root, French and English under /fr/ and /en/.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Casablanca")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["newsroom.formats"]

MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "ar"
MODELTRANSLATION_LANGUAGES = ("ar", "fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ar",)}
# Self-hosted, current jQuery UI: the default loads 1.12.1 from a public CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# The body editor loads the media library's picture dialog as one more ES module; its Figure
# and Image replace the editor's own (same names). Sanitising is articles.fields' allow-list.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/editor-images.js")],
        "extensions": {"Figure": process_figure, "Image": process_image},
    }
]

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media (uploads, renditions, imported pictures) stay on local disk unless MEDIA_STORAGE=s3
# puts them in an S3-compatible bucket that every app server shares. All media code goes
# through Django's storage API, so switching needs no code change: only these variables.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower() or "local"
if MEDIA_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")
MEDIA_BACKEND: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_STORAGE == "s3":
    MEDIA_BACKEND, MEDIA_URL = s3_media_storage(
        bucket=os.environ.get("MEDIA_S3_BUCKET", ""),
        endpoint_url=os.environ.get("MEDIA_S3_ENDPOINT_URL", ""),
        region=os.environ.get("MEDIA_S3_REGION", ""),
        access_key=os.environ.get("MEDIA_S3_ACCESS_KEY_ID", ""),
        secret_key=os.environ.get("MEDIA_S3_SECRET_ACCESS_KEY", ""),
        public_url=os.environ.get("MEDIA_S3_PUBLIC_URL", ""),
        signed_urls=env_bool("MEDIA_S3_SIGNED_URLS", False),
        signed_url_seconds=env_int("MEDIA_S3_SIGNED_URL_SECONDS", 86_400),
        default_acl=os.environ.get("MEDIA_S3_DEFAULT_ACL", ""),
        addressing_style=os.environ.get("MEDIA_S3_ADDRESSING_STYLE", ""),
    )
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "newsroom.static_storage.StaticStorage"
        )
    },
}
WHITENOISE_AUTOREFRESH = DEBUG  # development: no collectstatic needed
# The app serves MEDIA_ROOT itself only from local disk (development); a bucket serves its own.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG) and MEDIA_STORAGE == "local"
# Uploads up to the 10 MB image limit stay in memory: a request writes no temporary file on
# the app server's disk, whichever storage keeps the media.
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024  # a 10 MB image plus the rest of the form

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
CONTACT_RECIPIENTS = env_list("CONTACT_RECIPIENTS", "owners@localhost")
MODERATOR_EMAILS = env_list("MODERATOR_EMAILS", "moderators@localhost")

# Readers' forms.
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 30)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 730)

# Security. Production (DEBUG off) passes `manage.py check --deploy` without warnings.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)$"]  # probes talk plain HTTP to app servers
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content Security Policy: nothing from third parties, no inline scripts or styles. The admin
# alone gets inline styles (the rich-text editor injects a <style>) and its import map by hash,
# per response, from newsroom.middleware.AdminCSPMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *media_origins(MEDIA_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Only YouTube's cookie-less player, and only after a reader clicks a video card.
        "frame-src": ["https://www.youtube-nocookie.com"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Background jobs (newsroom/jobs.py): `database` queues them in the database for
# `manage.py db_worker`; `immediate` runs each one in the process right after the commit.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

# Which app server answered (X-Served-By, logs); the host name unless set.
SERVER_ID = os.environ.get("APP_SERVER_ID") or socket.gethostname()
# `json`: one JSON object per log line, for collectors; `text` otherwise. Both carry the
# request id nginx passes in X-Request-ID (newsroom/ops.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.ops.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "newsroom.ops.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
