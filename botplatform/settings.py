"""Settings, all read from the environment through botplatform.env. See README.md, "Configuration"."""

import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet

from botplatform.env import (
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_required,
    env_str,
    local_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# DEMO switches to embedded defaults: SQLite, in-memory channel layer, eager Celery, local secrets.
DEMO = env_bool("DEMO", False)
DEBUG = env_bool("DEBUG", False)

if DEMO:
    SECRET_KEY = env_str("SECRET_KEY") or local_secret(VAR_DIR / "secret_key", lambda: secrets.token_urlsafe(50))
    _field_keys = env_list("FIELD_ENCRYPTION_KEY") or [
        local_secret(VAR_DIR / "field_encryption_key", lambda: Fernet.generate_key().decode())
    ]
else:
    SECRET_KEY = env_required("SECRET_KEY", why="it signs sessions, tokens and password reset links.")
    _field_keys = env_list("FIELD_ENCRYPTION_KEY")
    if not _field_keys:
        env_required("FIELD_ENCRYPTION_KEY", why="it encrypts store credentials at rest.")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
# The first key encrypts; all of them decrypt, so keys can be rotated.
FIELD_ENCRYPTION_KEYS = _field_keys

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEMO or DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PUBLIC_URL = (env_str("PUBLIC_URL") or "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "botplatform",
    "tenants",
    "integrations",
    "flows",
    "conversations",
    "widget",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.scoping.StoreScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "botplatform.urls"
ASGI_APPLICATION = "botplatform.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "botplatform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.stores",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'demo.sqlite3'}" if DEMO else None
_database_url = env_str("DATABASE_URL") or _default_db
if not _database_url:
    _database_url = env_required("DATABASE_URL", why="PostgreSQL holds every store's data.")
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL") or (None if DEMO else env_required("REDIS_URL", why="cache, channel layer, queue."))

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "shopbot"),
            "TIMEOUT": 300,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 reads with a 5 s socket timeout by default, the same as channels-redis's blocking
            # receive: under load every idle socket's receive times out and its consumer dies. Read longer.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30, "socket_connect_timeout": 5}],
                "prefix": env_str("CHANNEL_PREFIX", "shopbot:asgi"),
                # All of a server process's sockets share one Redis inbox, so its capacity bounds the whole
                # process: at the default of 100, a busy process drops replies ("over capacity").
                "capacity": env_int("CHANNEL_CAPACITY", 2000),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery ------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", DEMO)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "UTC"

# --- Auth --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "tenants.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Failed log-ins allowed per account and client address before the form refuses for a while.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
INVITATION_DAYS = 7

# --- Security ----------------------------------------------------------------------------------
_https = not (DEMO or DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_TLS_PROXY", _https):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", _https)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _https)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is a commitment each operator makes for their own domain (see README); off by default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SAFE_HTTP_ALLOWED_NETWORKS = env_list("SAFE_HTTP_ALLOWED_NETWORKS")  # on-premise and tests: docs/http-requests.md

# --- Email -------------------------------------------------------------------------------------
globals().update(email_settings(env_str("EMAIL_URL") or "console://"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Shopbot <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Shop platforms (the app's own credentials; per-store credentials live on the store) ---------
SHOPIFY_API_KEY = env_str("SHOPIFY_API_KEY", "")
SHOPIFY_API_SECRET = env_str("SHOPIFY_API_SECRET", "")
SHOPIFY_API_VERSION = env_str("SHOPIFY_API_VERSION", "2026-10")
SHOPIFY_API_BASE_URL = env_str("SHOPIFY_API_BASE_URL", "")
# Each Shopify call: time-out, waits between retries of transient failures, and THROTTLED waits allowed.
SHOPIFY_TIMEOUT_SECONDS = env_int("SHOPIFY_TIMEOUT_SECONDS", 30)
SHOPIFY_RETRY_DELAYS = [float(s) for s in env_list("SHOPIFY_RETRY_DELAYS", ["1", "4", "15"])]
SHOPIFY_MAX_THROTTLE_WAITS = env_int("SHOPIFY_MAX_THROTTLE_WAITS", 30)
# A first full sync of at least this many products runs as one bulk operation instead of pages.
SHOPIFY_BULK_MIN_PRODUCTS = env_int("SHOPIFY_BULK_MIN_PRODUCTS", 2000)
SHOPIFY_BULK_TIMEOUT_SECONDS = env_int("SHOPIFY_BULK_TIMEOUT_SECONDS", 3600)
# Minutes between scheduled incremental syncs of each connected store.
SYNC_INTERVAL_MINUTES = env_int("SYNC_INTERVAL_MINUTES", 15)

# WooCommerce: the package's 5-second default is too short for a shared host building a page of 100 orders.
WOOCOMMERCE_TIMEOUT_SECONDS = env_int("WOOCOMMERCE_TIMEOUT_SECONDS", 30)
WOOCOMMERCE_RETRY_DELAYS = [float(s) for s in env_list("WOOCOMMERCE_RETRY_DELAYS", ["1", "4", "15"])]

# Webhooks out: time-out of one try, and the waits before each retry (then the delivery is given up).
OUTBOUND_WEBHOOK_TIMEOUT_SECONDS = env_int("OUTBOUND_WEBHOOK_TIMEOUT_SECONDS", 10)
OUTBOUND_WEBHOOK_RETRY_DELAYS = [
    float(s) for s in env_list("OUTBOUND_WEBHOOK_RETRY_DELAYS", ["30", "120", "600", "3600", "21600"])
]

# --- REST API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenants.api_auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "botplatform.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "tenants.throttling.CallerRateThrottle",
    ],
    # Behind the TLS proxy, the client is the last X-Forwarded-For hop (as tenants.throttle.client_ip reads it).
    "NUM_PROXIES": 1 if env_bool("BEHIND_TLS_PROXY", _https) else None,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "60/min"),
        "user": env_str("API_USER_RATE", "1200/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shopbot API",
    "DESCRIPTION": "Manage a store's bot, team and settings. Authenticate with a session or an API key "
    "(`Authorization: Bearer <key>`); a key reaches only its own store.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "tenants.models.Role.choices",
        "ApiKeyRoleEnum": [("admin", "Admin"), ("agent", "Agent")],
        "OutboundEventEnum": "integrations.models.OutboundEvent.choices",
    },
}

# --- Internationalisation and files ------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
