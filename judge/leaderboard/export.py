"""Boards as CSV, with cells that spreadsheets will not run as formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from judge.leaderboard.services import Row

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def safe_cell(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[Row], divisions: dict[int, str], private: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["rank", "team", "division", "score", "entries", "submitted_at"]
    if private:
        header += ["public_score", "private_score", "auto_selected"]
    writer.writerow(header)
    for row in rows:
        line = [row.rank, row.team, divisions.get(row.division_id, ""), row.score, row.entries,
                row.submitted_at.isoformat() if row.submitted_at else ""]  # fmt: skip
        if private:
            line += [row.public_score, row.private_score, row.auto_selected]
        writer.writerow([safe_cell(v) for v in line])
    return out.getvalue()
