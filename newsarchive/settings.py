"""Settings for newsarchive, read from the environment (see the README's "Configuration").

DATABASE_URL    database URL (default: SQLite file var/newsarchive.sqlite3)
SECRET_KEY      required when DEBUG is off
DEBUG           "1"/"true" for development (default: off)
ALLOWED_HOSTS   comma-separated host names (default: localhost, 127.0.0.1, [::1])
SECURE_PROXY    "1" behind a TLS-terminating proxy: HTTPS redirect, secure cookies, HSTS
PAGE_CACHE_SECONDS  how long readers' pages may be cached (default 300; 0 with DEBUG)
RATE_LIMIT_SEARCH, RATE_LIMIT_LOGIN  per-client limits "N/S" (default 120/60 and 5/900; 0: off)
RATE_LIMIT_STORE    the file all workers count requests in (default var/ratelimit.sqlite3)
CACHE_URL       locmem:// (default: a cache per process) or file://PATH (shared by the workers)
COMPARE_MEMO    articles whose comparison inputs each process keeps (default 512; 0: off)
HIT_MEMO        articles whose search-result rows each process keeps (default 5000; 0: off)
MEMO_SECONDS    how long such rows are used at most (default 300)
PG_KEEP_PLANS   "0" stops PostgreSQL keeping fixed-shape statements prepared (default: on)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("NEWSARCHIVE_INSECURE_DEV_KEY", True):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A development key; production sets SECRET_KEY (``check --deploy`` warns otherwise).
    SECRET_KEY = "django-insecure-newsarchive-development-key-change-me"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "csp",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "articles.middleware.DatabaseUnavailableMiddleware",
    "articles.middleware.RateLimitMiddleware",
    "articles.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsarchive.urls"
WSGI_APPLICATION = "newsarchive.wsgi.application"

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
                "articles.context_processors.site_links",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{BASE_DIR / 'var' / 'newsarchive.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_SQLITE,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL keeps the plans of fixed-shape statements per connection (articles/prepared.py);
# 0 for a connection pooler that cannot keep prepared statements.
PG_KEEP_PLANS = os.environ.get("PG_KEEP_PLANS", "1") != "0"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a load writes; the timeout rides out short write locks.
    # A 32 MiB page cache per connection (SQLite's default is 2 MiB), kept across requests by the
    # persistent connection: entity pages read a thousand index pages, which otherwise come from
    # the file on every request. Reads go through a memory map of the file (SQLITE_MMAP_SIZE
    # bytes, 0 for none): pages the cache misses are read in place instead of copied by a system
    # call each, and every worker of a server shares the same pages (search pages 12-20 % less
    # CPU at 100k articles).
    mmap_size = int(os.environ.get("SQLITE_MMAP_SIZE", str(1 << 30)))
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
            f" PRAGMA mmap_size={max(0, mmap_size)};"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# STATIC_MANIFEST=1 (set by `make serve` and in production, after collectstatic): compressed,
# content-hashed files served by whitenoise with far-future caching. Otherwise whitenoise serves
# the files straight from static/, which needs no collectstatic step (development and tests).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STATIC_ROOT = BASE_DIR / "var" / "staticfiles" if STATIC_MANIFEST else None

# Security headers that hold in every environment. No inline script anywhere: JavaScript, if any,
# is served from static files; inline SVG charts need no script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if env_bool("SECURE_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


def cache_from_url(url: str) -> dict:
    """Django's CACHES entry for ``CACHE_URL``: ``locmem://`` (one per process, the default) or
    ``file://PATH`` (a folder every worker on the machine shares; relative to the project)."""
    scheme, _, rest = url.partition("://")
    if scheme == "locmem":
        # Pages are 10-60 KB: a thousand of them per process is a few tens of megabytes.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": rest or "newsarchive",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    if scheme == "file":
        return {
            "BACKEND": "articles.filecache.SharedFolderCache",
            "LOCATION": str(BASE_DIR / (rest or "var/cache")),  # an absolute PATH stays as it is
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem:// or file://, not {url!r}")


CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}
# Readers' pages are kept this many seconds at most, and only until the archive changes
# (articles.cache); 0 turns the page cache off. Off by default with DEBUG, so template edits show.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "300"))


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate limit "N/S" (N requests per S seconds) from the environment; "0" turns it off."""
    raw = os.environ.get(name, default)
    count, _, seconds = raw.partition("/")
    return int(count or 0), int(seconds or 60)


# Per-client limits (see articles.middleware), counted in one file that every worker process on
# this machine shares (articles.ratelimit); behind a load balancer each machine counts its own.
RATE_LIMIT_STORE = os.environ.get("RATE_LIMIT_STORE") or BASE_DIR / "var" / "ratelimit.sqlite3"
RATE_LIMITS = {
    "search": env_rate("RATE_LIMIT_SEARCH", "120/60"),
    "login": env_rate("RATE_LIMIT_LOGIN", "5/900"),
}

# The archive's own knobs.
NEWSARCHIVE = {
    "PAGE_SIZE": 20,
    "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
    # Per process, what was read of the articles last compared or shown in search results, kept
    # until the archive changes (articles.memo).
    "COMPARE_MEMO": int(os.environ.get("COMPARE_MEMO", "512")),
    "HIT_MEMO": int(os.environ.get("HIT_MEMO", "5000")),
    "MEMO_SECONDS": float(os.environ.get("MEMO_SECONDS", "300")),
    # PostgreSQL: load_articles runs ANALYZE after adding this many articles (or a tenth of the
    # archive, at least 100), as autovacuum may be off or behind (articles.ingest.bulk).
    "ANALYZE_AFTER": 1000,
}
