"""Collecting stored files that no row refers to any more.

Storage is addressed by content hash, and rows name their files by that key
in columns called ``storage_key`` or ``*_key`` (64 characters). The sweep finds
those columns in the schema itself, so a new table that stores files is
consulted without being listed here; a column it wrongly takes for a key only
keeps more files.

A file is removed only when it is older than STORAGE_ORPHAN_GRACE_SECONDS (an
upload stores its bytes before its row commits, and storing the same bytes
again renews the age) and no row names it. To close the race with an upload
that renews an old file between the check and the removal, the file is first
moved aside, its age read again, and only then removed (or put back).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from judge.core import storage
from judge.core.extensions import db

log = logging.getLogger(__name__)
BATCH = 500
ASIDE = ".sweep"


def key_columns() -> list[sa.Column]:
    """Every column of the schema that holds storage keys."""
    return [
        column
        for table in db.metadata.sorted_tables
        for column in table.columns
        if (column.name == "storage_key" or column.name.endswith("_key"))
        and isinstance(column.type, sa.String)
        and column.type.length == 64
    ]


def referenced(keys: Iterable[str]) -> set[str]:
    """Those of ``keys`` that some row names."""
    wanted = list(keys)
    found: set[str] = set()
    for column in key_columns():
        found.update(db.session.scalars(sa.select(column).where(column.in_(wanted)).distinct()))
    return found


def _blobs() -> Iterator[tuple[str, Path]]:
    root = storage.root() / "blobs"
    if not root.is_dir():
        return
    for folder in sorted(root.iterdir()):
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            key = folder.name + path.name
            if len(key) == 64:  # not a half-written ".part" nor a file moved aside
                yield key, path


def _older_than(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def collect(now: datetime, grace: timedelta) -> int:
    """Remove stored files older than ``grace`` that no row refers to; returns how many."""
    cutoff = (now - grace).timestamp()
    old = [(key, path) for key, path in _blobs() if _older_than(path, cutoff)]
    removed = 0
    for start in range(0, len(old), BATCH):
        batch = dict(old[start : start + BATCH])
        keep = referenced(batch)
        removed += sum(_remove(path, cutoff) for key, path in batch.items() if key not in keep)
    db.session.rollback()  # read only; hand the connection back
    return removed


def _remove(path: Path, cutoff: float) -> bool:
    aside = path.with_name(path.name + ASIDE)
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return False
    if aside.stat().st_mtime >= cutoff:  # stored again just now: an upload needs it
        os.replace(aside, path)
        return False
    aside.unlink()
    log.info("removed unreferenced stored file %s", path.name[:8])
    return True
