"""Boards as CSV, with cells that spreadsheets will not run as formulas, streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from judge.client.output import safe_cell
from judge.client.scores import score_text
from judge.leaderboard.services import Row
from judge.scoring.programs.columns import Column

CHUNK = 1000  # lines per piece of the stream


def lines(rows: Iterable[Row], divisions: dict[int, str], private: bool,
          columns: Sequence[Column] = (), decimals: int = 5,
          bom: str = "") -> Iterator[str]:  # fmt: skip
    """One line per team, written and sent ``CHUNK`` lines at a time (never the whole file
    at once). A scoring program's secondary columns follow the score, which is raw, and
    the last column is the score as the board shows it (``decimals``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    extra = [c.key for c in columns[1:]]
    header = ["rank", "team", "division", "score", *extra, "entries", "submitted_at"]
    if private:
        header += ["public_score", "private_score", "auto_selected"]
    writer.writerow([*header, "score_display"])
    yield bom + _taken(out)
    for n, row in enumerate(rows, start=1):
        writer.writerow(_line(row, divisions, private, extra, decimals))
        if n % CHUNK == 0:
            yield _taken(out)
    yield _taken(out)


def _line(row: Row, divisions: dict[int, str], private: bool, extra: list[str],
          decimals: int) -> list:  # fmt: skip
    values = [(row.details or {}).get(key) for key in extra]
    line = [row.rank, row.team, divisions.get(row.division_id, ""), row.score, *values,
            row.entries, row.submitted_at.isoformat() if row.submitted_at else ""]  # fmt: skip
    if private:
        line += [row.public_score, row.private_score, row.auto_selected]
    line.append(score_text(row.score, decimals))
    return [safe_cell(v) for v in line]


def _taken(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text
