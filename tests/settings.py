"""Settings for the test run: production settings on the real local PostgreSQL and Redis."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "dGVzdHMtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shopbot")
# Each pytest-xdist worker gets its own Redis database, so flushing it between tests is safe.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{15 - int(_worker.removeprefix('gw') or 0) % 8}")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# Threads (database_sync_to_async, the channel layer) must not keep connections the teardown would trip on.
os.environ.setdefault("DB_CONN_MAX_AGE", "0")

from botplatform.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production uses PBKDF2
LOGGING["loggers"] = {"django.request": {"level": "ERROR"}}  # noqa: F405  (4xx answers are what tests expect)
# Serve static files from the apps (no collectstatic before tests).
STATIC_ROOT = tempfile.mkdtemp(prefix="shopbot-static-")
WHITENOISE_USE_FINDERS = True
