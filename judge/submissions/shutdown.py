"""A worker told to stop (SIGTERM, Ctrl-C, SIGQUIT) is gone within ``WORKER_SHUTDOWN_SECONDS``.

Celery's main process takes the signal: it stops taking messages and waits for its pool
processes. Those ignore SIGTERM themselves: a signal sent to the whole process group (a
terminal, ``kill -- -PGID``, systemd) used to kill them in the middle of the pool's own
protocol, and the main process then waited forever on a lock the dead process held. Instead
the main process first tells each pool process :data:`STOP_SIGNAL`, and a pool process then

- takes no new job (an unclaimed one stays queued for the sweep to publish again),
- lets its running job finish if it can within the grace period, and
- when the grace period is over, kills the job's sandbox (:func:`judge.sandbox.stop`) and
  hands the submission back to the queue: not failed, the attempt not counted.

It starts no new pre-started sandbox; the waiting one is discarded when it exits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable
from typing import Any

from judge import sandbox

log = logging.getLogger(__name__)

#: A real-time signal: billiard turns the usual ones (SIGUSR1/2, SIGHUP, ...) into an
#: immediate exit of the pool process, and nothing else sends this one.
STOP_SIGNAL = signal.SIGRTMIN + 4
_stopping = threading.Event()


def stopping() -> bool:
    """True in a pool process once its worker has begun to stop."""
    return _stopping.is_set()


def prepare_pool_process(grace_seconds: float) -> None:
    """In a new pool process: ignore SIGTERM, and stop within ``grace_seconds`` of
    :data:`STOP_SIGNAL`."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(STOP_SIGNAL, lambda _signum, _frame: _begin(grace_seconds))


def _begin(grace_seconds: float) -> None:
    if _stopping.is_set():
        return
    _stopping.set()
    timer = threading.Timer(grace_seconds, _grace_over)  # not in the handler: stop() locks
    timer.daemon = True
    timer.start()


def _grace_over() -> None:
    log.info("worker stopping: the grace period is over; ending this process's sandbox runs")
    sandbox.stop()


def tell_pool_first(pool_pids: Callable[[], Iterable[int]]) -> None:
    """In the main process, once Celery's signal handlers are in place: on SIGTERM, SIGINT or
    SIGQUIT, tell the pool processes (the grace period starts) before Celery's warm or cold
    shutdown begins (a cold one waits for the pool first)."""
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
        celerys = signal.getsignal(signum)
        if callable(celerys):
            signal.signal(signum, _telling(pool_pids, celerys))


def _telling(pool_pids: Callable[[], Iterable[int]], celerys: Callable[..., Any]):
    def handler(signum: int, frame: Any) -> None:
        for pid in pool_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, STOP_SIGNAL)
        celerys(signum, frame)

    return handler
