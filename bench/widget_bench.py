"""Widget latency and capacity, against one real server process (uvicorn) and one Celery worker.

1. Bot-turn latency: N concurrent shoppers each send messages one after another; the time from sending a
   message to receiving the bot's reply (the message is stored, the turn runs in the worker, the reply comes
   back through the Redis channel layer). The floor is an echo socket on the same stack (uvicorn, Channels,
   JSON), with the same concurrency, measured in the same run.
2. Idle connections: how many widget connections (each said hello and has its conversation) one server
   process holds, and the server's memory per connection.

    .venv/bin/python bench/widget_bench.py [--shoppers 200] [--rounds 5] [--idle 2000]

Uses the local PostgreSQL (database ``shopbot_bench``) and Redis db 14, like engine_bench.py.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine_bench import ensure_database  # also sets the bench database and Redis in the environment

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://bench.local"
PORT = 8765


def setup_store() -> str:
    import django

    ensure_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from flows import services as flow_services
    from tenants import services as tenant_services
    from tenants.models import Store, User
    from tests.flowkit import assistant_graph

    Store.objects.filter(slug="bench-widget").delete()
    owner = User.objects.filter(email="bench@example.com").first() or User.objects.create_user(
        "bench@example.com", "bench-password-0123"
    )
    store = tenant_services.create_store(owner, name="Bench Widgets", slug="bench-widget")
    store = tenant_services.update_store_settings(store, allowed_origins=[ORIGIN])
    flow = flow_services.create_flow(store, name="Assistant", graph=assistant_graph())
    flow_services.publish_flow(flow)
    return store.public_key


def start(args: list[str], log: str) -> subprocess.Popen:
    """Start a process; its output goes to a log file in the temp directory (named in the summary)."""
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "DB_CONN_MAX_AGE": "60", "PYTHONPATH": str(ROOT)}
    out = open(Path(tempfile.gettempdir()) / log, "w")  # noqa: SIM115 (closed when the process ends)
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def wait_for_port(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not start")


async def next_frame(ws, test) -> dict:
    while True:
        frame = json.loads(await ws.recv())
        if test(frame):
            return frame


def from_bot(frame) -> bool:
    return frame.get("type") == "message" and frame.get("sender") == "bot"


async def shopper(url: str, rounds: int, timings: list[float], greet: bool, acks: list[float]) -> None:
    from websockets.asyncio.client import connect

    async with connect(url, origin=ORIGIN, open_timeout=60, max_queue=None) as ws:
        if greet:
            await ws.send(json.dumps({"type": "hello"}))
            welcome = await next_frame(ws, lambda f: f["type"] == "welcome")
            for _ in range(2 - len(welcome["messages"])):  # the greeting, if it was not stored yet
                await next_frame(ws, from_bot)
        for n in range(rounds):
            started = time.perf_counter()
            await ws.send(json.dumps({"type": "message", "client_id": f"r{n}", "text": "do you have gift cards?"}))
            if greet:
                await next_frame(ws, lambda f: f["type"] == "ack")
                acks.append(time.perf_counter() - started)
            await next_frame(ws, from_bot)
            timings.append(time.perf_counter() - started)


async def measure(url: str, shoppers: int, rounds: int, greet: bool) -> tuple[list[float], list[float]]:
    """Seconds from sending to the reply, and (for the widget) to the ack: the message is stored."""
    timings: list[float] = []
    acks: list[float] = []
    async with asyncio.timeout(600):
        await asyncio.gather(*(shopper(url, rounds, timings, greet, acks) for _ in range(shoppers)))
    return timings, acks


async def hold_idle(url: str, count: int) -> list:
    from websockets.asyncio.client import connect

    sockets = []
    for batch in range(0, count, 100):
        opened = await asyncio.gather(
            *(connect(url, origin=ORIGIN, open_timeout=60) for _ in range(min(100, count - batch)))
        )
        for ws in opened:
            await ws.send(json.dumps({"type": "hello"}))
        for ws in opened:
            await next_frame(ws, lambda f: f["type"] == "welcome")
        sockets.extend(opened)
    return sockets


def describe(name: str, timings: list[float]) -> float:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{name:<34} {len(timings):>5} replies  p50 {p50 * 1000:8.1f} ms  p99 {p99 * 1000:8.1f} ms")
    return p50


async def run(args, key: str, server: subprocess.Popen) -> None:
    await wait_for_port(PORT)
    base = f"ws://127.0.0.1:{PORT}"
    await measure(f"{base}/ws/bench-echo/", 10, 2, greet=False)  # warm up
    echo_times, _ = await measure(f"{base}/ws/bench-echo/", args.shoppers, args.rounds, False)
    echo = describe(f"echo floor ({args.shoppers} sockets)", echo_times)
    bot_times, acks = await measure(f"{base}/ws/widget/{key}/", args.shoppers, args.rounds, True)
    describe(f"message stored (ack, {args.shoppers} shoppers)", acks)
    bot = describe(f"bot reply ({args.shoppers} shoppers)", bot_times)
    print(f"ratio: a bot reply takes {bot / echo:,.1f}x the echo's round trip (p50)")

    before = rss_mb(server.pid)
    started = time.perf_counter()
    sockets = await hold_idle(f"{base}/ws/widget/{key}/", args.idle)
    opened_in = time.perf_counter() - started
    await asyncio.sleep(2)
    after = rss_mb(server.pid)
    print(f"idle: one server process holds {len(sockets):,} widget connections (each said hello) opened in "
          f"{opened_in:.1f} s; server memory {before:.0f} -> {after:.0f} MB, "
          f"{(after - before) * 1024 / max(1, len(sockets)):.1f} KB per connection")  # fmt: skip
    await asyncio.gather(*(ws.close() for ws in sockets))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shoppers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--idle", type=int, default=2000)
    args = parser.parse_args()
    key = setup_store()
    server = start([sys.executable, "-m", "uvicorn", "bench.echo_asgi:application", "--port", str(PORT),
                    "--log-level", "warning", "--ws-max-queue", "64"], "widget-bench-server.log")  # fmt: skip
    worker = start([sys.executable, "-m", "celery", "-A", "botplatform", "worker", "--concurrency", "2",
                    "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
                   "widget-bench-worker.log")  # fmt: skip
    try:
        asyncio.run(run(args, key, server))
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # uvicorn waits for open sockets to close; don't leave it behind
                process.kill()
                process.wait()


if __name__ == "__main__":
    main()
