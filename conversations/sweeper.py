"""The demo's stand-in for Celery beat: one daemon thread that runs the conversation sweeps every few seconds.

Production runs ``conversations.tasks.sweep_conversations`` from beat; the one-command demo has no beat
process, so the ASGI app starts this thread instead (Celery is eager there, so the sweep's turns run inline).
"""

import logging
import threading
import time

from django.db import close_old_connections

logger = logging.getLogger(__name__)
_started = threading.Event()


def _loop(interval: float) -> None:
    from conversations import proactive_sweep, turns

    while True:
        time.sleep(interval)
        try:
            close_old_connections()
            turns.sweep()
            proactive_sweep.sweep()
        except Exception:  # keep sweeping; one bad round must not stop the demo's timers
            logger.exception("The in-process sweep failed")


def start_in_process_sweeper(interval: float = 5.0) -> bool:
    """Start the sweeper once per process; returns False when it was already running."""
    if _started.is_set():
        return False
    _started.set()
    threading.Thread(target=_loop, args=(interval,), name="conversation-sweeper", daemon=True).start()
    return True
