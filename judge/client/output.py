"""Showing answers: aligned tables (wide Hangul counts double), CSV, JSON, scores and times."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import click
from wcwidth import wcwidth

from .scores import score_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def width(text: str) -> int:
    """Terminal columns: East Asian wide characters take two, combining marks none."""
    return sum(max(wcwidth(char), 0) for char in text)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric: set[int]) -> str:
    """Columns separated by two spaces; the ``numeric`` ones right-aligned."""
    cells = [list(headers), *([str(cell) for cell in row] for row in rows)]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    lines = [_line(row, widths, numeric) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _line(row: Sequence[str], widths: Sequence[int], numeric: set[int]) -> str:
    cells = []
    for index, (cell, column) in enumerate(zip(row, widths, strict=True)):
        pad = " " * (column - width(cell))
        cells.append(pad + cell if index in numeric else cell + pad)
    return "  ".join(cells).rstrip()


def score(item: dict, key: str) -> str:
    """``item[key]`` as the server's pages show it: the display text the API sends beside the
    raw value (with the problem's decimals), else the value with the default decimals."""
    shown = item.get(f"{key}_display")
    return shown if shown is not None else score_text(item.get(key), None) or ""


def local_time(value: str | None) -> str:
    """An ISO 8601 timestamp in this computer's time zone, to the minute."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def safe_cell(value: object) -> object:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[dict]) -> str:
    """Rows as CSV, with text a spreadsheet would run as a formula defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in columns])
    return out.getvalue()
