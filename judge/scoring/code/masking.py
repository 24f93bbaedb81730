"""Mask values of the hidden test inputs in what a team's program printed.

A team's program reads the hidden inputs, so its output may quote them. Before the tail of
that output is shown to the team, every token (a run of characters between spaces, commas,
quotes, brackets and the like) that also occurs in the hidden inputs is replaced. Short
tokens (one or two characters: digits, booleans) are left as they are; they carry little.
This stops accidental quoting and rows dumped in tracebacks; a program that encodes the
data on purpose could still leak it, which is why the tail is short and organizers see
every failure's full log.
"""

from __future__ import annotations

import re
from pathlib import Path

TOKEN = re.compile(r"[^\s,;|\t\"'\[\](){}<>=:]+")
MIN_LENGTH = 3
MASK = "▒▒▒"
MAX_BYTES_READ = 256 * 1024 * 1024


def hidden_tokens(folder: Path) -> frozenset[str]:
    """Every token of the text files under ``folder`` (up to MAX_BYTES_READ in all)."""
    tokens: set[str] = set()
    budget = MAX_BYTES_READ
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()[:budget]
        budget -= len(data)
        text = data.decode("utf-8", "ignore")
        tokens.update(t for t in TOKEN.findall(text) if len(t) >= MIN_LENGTH)
        if budget <= 0:
            break
    return frozenset(tokens)


def mask(text: str, tokens: frozenset[str]) -> str:
    """``text`` with every hidden token replaced by MASK."""
    return TOKEN.sub(lambda m: MASK if m.group(0) in tokens else m.group(0), text)


def tail(text: str, lines: int = 30, chars: int = 3000) -> str:
    """The last ``lines`` lines, at most ``chars`` characters."""
    return "\n".join(text.rstrip().splitlines()[-lines:])[-chars:]
