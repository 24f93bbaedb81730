"""The rules Codabench's own unpacker applies to a version 2 ``competition.yaml``, encoded
from reading its source (codalab/codabench), not copied from it:

- ``src/apps/competitions/unpackers/v2.py`` (``V2Unpacker``): ``pages`` is a list whose
  files exist and are not empty; ``tasks`` exists, each with an ``index`` (no two alike) and
  a ``scoring_program``; ``terms`` names a file that exists and is not empty; ``image`` names
  a file that exists; ``phases`` exists, each with ``tasks``; a phase followed by another has
  an end, and the next does not start before it; ``leaderboards`` exists.
- ``src/apps/competitions/unpackers/base_unpacker.py`` (``BaseUnpacker``): a task's file is
  a path in the bundle (else a dataset key, a UUID, on that server); the current phase is
  found by comparing every phase's ``start`` with now, and a phase that has begun by
  comparing its ``end`` with now (so every phase has a start, and one that has begun an end).
- ``src/apps/competitions/unpackers/utils.py`` (``get_datetime``): dates are read by
  dateutil.
- ``src/apps/leaderboards/models.py`` (``Leaderboard``, ``Column``): a leaderboard's title
  holds 64 characters and its key 36; a column's title and key hold 36, its ``sorting`` is
  ``desc`` or ``asc``, its ``index`` a whole number, and no two columns share a key.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import yaml
from dateutil import parser

PARTS = ("ingestion_program", "input_data", "scoring_program", "reference_data")


def refusals(root: Path) -> list[str]:
    """Why Codabench's unpacker would refuse the unpacked bundle in ``root`` (none: accepted)."""
    data = yaml.safe_load((root / "competition.yaml").read_text(encoding="utf-8"))
    found: list[str] = []
    if not data.get("title"):
        found.append("no title")
    found += _pages(root, data) + _files(root, data)
    found += _tasks(root, data.get("tasks")) + _phases(data.get("phases"), data.get("tasks"))
    found += _leaderboards(data.get("leaderboards"))
    return found


def _text(root: Path, name: object) -> str | None:
    path = root / str(name)
    return path.read_text(encoding="utf-8") if isinstance(name, str) and path.is_file() else None


def _pages(root: Path, data: dict) -> list[str]:
    pages = data.get("pages")
    if not isinstance(pages, list):
        return ["pages is not a list"]
    empty = [p.get("file") for p in pages if not _text(root, p.get("file"))]
    return [f"page {name} missing or empty" for name in empty]


def _files(root: Path, data: dict) -> list[str]:
    found = []
    if not _text(root, data.get("terms")):
        found.append("terms missing or empty")
    if not isinstance(data.get("image"), str) or not (root / data["image"]).is_file():
        found.append("image missing")
    return found


def _tasks(root: Path, tasks: object) -> list[str]:
    if not isinstance(tasks, list) or not tasks:
        return ["no tasks"]
    found, seen = [], set()
    for task in tasks:
        if "index" not in task or task["index"] in seen:
            found.append(f"task {task.get('name')}: no index, or one used twice")
        seen.add(task.get("index"))
        if "scoring_program" not in task:
            found.append(f"task {task.get('name')}: no scoring program")
        lacking = [part for part in PARTS if part in task and not (root / task[part]).exists()]
        found += [f"task {task.get('name')}: {part} not in the bundle" for part in lacking]
    return found


def _when(value: object) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        moment = parser.parse(str(value))
    return moment.replace(tzinfo=UTC)


def _phases(phases: object, tasks: object) -> list[str]:
    if not isinstance(phases, list) or not phases:
        return ["no phases"]
    indexes = {t.get("index") for t in tasks or []}
    found, now = [], datetime.now(UTC)
    ordered = sorted(phases, key=lambda p: p.get("index", 0))
    for number, phase in enumerate(ordered):
        start, end = _when(phase.get("start")), _when(phase.get("end"))
        if not phase.get("tasks") or not set(phase["tasks"]) <= indexes:
            found.append(f"phase {number}: no tasks, or tasks the bundle lacks")
        if start is None:
            found.append(f"phase {number}: no start")
        elif start < now and end is None:
            found.append(f"phase {number}: has begun and has no end")
        if number + 1 < len(ordered):
            following = _when(ordered[number + 1].get("start"))
            if end is None or (following is not None and following < end):
                found.append(f"phase {number}: not followed in order")
    return found


def _leaderboards(boards: object) -> list[str]:
    if not isinstance(boards, list) or not boards:
        return ["no leaderboards"]
    found = []
    for board in boards:
        if not board.get("title") or len(str(board["title"])) > 64:
            found.append("a leaderboard's title is missing or longer than 64")
        if not board.get("key") or len(str(board["key"])) > 36:
            found.append("a leaderboard's key is missing or longer than 36")
        columns = board.get("columns") or []
        if len({c.get("key") for c in columns}) != len(columns):
            found.append("two columns share a key")
        for column in columns:
            if not column.get("title") or len(str(column["title"])) > 36:
                found.append(f"column {column.get('key')}: title missing or longer than 36")
            if not column.get("key") or len(str(column["key"])) > 36:
                found.append(f"column {column.get('key')}: key missing or longer than 36")
            if column.get("sorting", "desc") not in ("desc", "asc"):
                found.append(f"column {column.get('key')}: sorting is not desc or asc")
            if not isinstance(column.get("index"), int) or column["index"] < 0:
                found.append(f"column {column.get('key')}: index is not a whole number")
    return found
