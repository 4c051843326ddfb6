"""Real processes for tests: Celery workers and uvicorn servers on the test database and Redis."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def process_env(**extra) -> dict:
    """The test run's settings, pointed at the test database, with Celery going through Redis."""
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **extra,
    }


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "botplatform", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT, env=process_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, *, eager: bool = False) -> subprocess.Popen:
    """One ASGI server process (uvicorn), ready when this returns; ``eager`` runs bot turns in it."""
    env = process_env(CELERY_TASK_ALWAYS_EAGER="true") if eager else process_env()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "botplatform.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            if process.poll() is None:  # this process answers, not one that held the port before it
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(process.communicate()[0])
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server on port {port} did not start")


def stop(process: subprocess.Popen) -> str:
    """Stop a process and return what it printed."""
    if process.poll() is None:
        process.terminate()
    try:
        return process.communicate(timeout=20)[0] or ""
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0] or ""
