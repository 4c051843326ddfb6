import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "botplatform.settings",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-enough-0123456789abcdef",
    "FIELD_ENCRYPTION_KEY": "dGVzdHMtb25seS1maWVsZC1rZXktMzItYnl0ZXMhISE=",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/shopbot",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "ALLOWED_HOSTS": "bots.example.com",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_healthz_reports_database_and_redis(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "status": "ok"}


def test_healthz_is_503_when_redis_is_down(client, db):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("down") and response.json()["database"] == "ok"


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr("botplatform.views.connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down (OperationalError)"


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_its_secrets_and_services(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_defaults_are_safe():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT, env=PRODUCTION_ENV, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.split() == ["False", "True", "True", "True", "True"], result.stderr


def test_the_demo_runs_with_nothing_configured(tmp_path):
    env = {"PATH": os.environ["PATH"], "DEMO": "1", "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "botplatform.settings"}
    assert manage("migrate", "-v0", env=env).returncode == 0
    first = manage("seed_demo", env=env)
    assert first.returncode == 0 and "owner@demo.shopbot.local" in first.stdout
    again = manage("seed_demo", env=env)
    assert again.returncode == 0 and "Refreshed" in again.stdout
    assert (tmp_path / "demo.sqlite3").exists() and (tmp_path / "secret_key").exists()


def test_seed_demo_refuses_outside_the_demo():
    result = manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0 and "run it with DEMO=1" in result.stderr
