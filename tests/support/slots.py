"""Sandbox slots of the test suite: each test file's own uid range and slot directory, moved
by ``JUDGE_TEST_SANDBOX_OFFSET``.

Tests that check what a run leaves behind look at every process of their uid range, so two
runs side by side (scripts/test's two passes) must never share a uid or a slot lock: the second
pass sets the offset (10000: its ranges start at 70000, above every range of the first).
"""

from __future__ import annotations

import os

OFFSET = int(os.environ.get("JUDGE_TEST_SANDBOX_OFFSET", "0"))


def uid_base(first: int) -> int:
    """The first host uid of a range chosen as ``first`` in a run without offset."""
    return first + OFFSET


def root(path: str) -> str:
    """The slot directory ``path``, apart for a run with an offset."""
    return f"{path}-{OFFSET}" if OFFSET else path
