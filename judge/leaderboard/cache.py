"""Boards kept in this process while their problem's board version stays the same.

Built once per version (``judge.leaderboard.versions``) and shared by every request of the
process: a score arriving changes one standing and the version; the next reader rebuilds.
What is kept holds no visibility decision: callers check who may see a board first.

Two stores, each dropping the entry read longest ago when full: whole boards (a few MB
each: rows, JSON) and the web board's pages (``judge.leaderboard.page``: about 50 KB of
HTML each), so that readers paging through every page in both languages never push the
boards themselves out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
BOARDS, PAGES = "judge.boards", "judge.board-pages"
LIMITS = {BOARDS: 32, PAGES: 256}  # entries kept per process
_lock = threading.Lock()


def kept(key: tuple, version: int, build: Callable[[], T], store: str = BOARDS) -> T:
    """The value kept under ``key`` for ``version``, else ``build()`` kept for it."""
    shelf: OrderedDict = current_app.extensions.setdefault(store, OrderedDict())
    found = shelf.get(key)
    if found is not None and found[0] == version:
        with _lock:
            if key in shelf:
                shelf.move_to_end(key)
        return found[1]
    value = build()
    with _lock:
        shelf.pop(key, None)
        while len(shelf) >= LIMITS[store]:
            shelf.popitem(last=False)
        shelf[key] = (version, value)
    return value
