"""Boards kept in this process while their problem's board version stays the same.

Built once per version (``judge.leaderboard.versions``) and shared by every request of the
process: a score arriving changes one standing and the version; the next reader rebuilds.
What is kept holds no visibility decision: callers check who may see a board first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
LIMIT = 32  # boards kept per process; the oldest goes first
_lock = threading.Lock()


def kept(key: tuple, version: int, build: Callable[[], T]) -> T:
    """The value kept under ``key`` for ``version``, else ``build()`` kept for it."""
    store: dict = current_app.extensions.setdefault("judge.boards", {})
    found = store.get(key)
    if found is not None and found[0] == version:
        return found[1]
    value = build()
    with _lock:
        store.pop(key, None)
        while len(store) >= LIMIT:
            store.pop(next(iter(store)))
        store[key] = (version, value)
    return value
