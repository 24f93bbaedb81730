"""Checking an uploaded solution CSV before it is stored.

Solutions come from organizers and sponsors; they are read here only to
refuse a broken file with a clear message (no id column, duplicate ids,
missing columns, not UTF-8). Messages name columns, row numbers and
counts, never cell values beyond the offending ids.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from flask_babel import gettext as _

from judge.core.errors import Invalid
from judge.scoring.engine.solution import has_duplicates
from judge.scoring.engine.splits import (
    BOTH,
    PRIVATE,
    PUBLIC,
    USAGE_COLUMN,
    SplitMethod,
    all_split,
    fraction_sides,
    usage_split,
)

EXAMPLES = 5


@dataclass(frozen=True)
class SolutionSummary:
    rows: int
    public_rows: int
    private_rows: int
    prediction_columns: list[str]  # what a submission must have besides the id
    target_columns: list[str]  # the solution's answer columns
    frame: pd.DataFrame
    sides: pd.Series  # public / private / ignored / both, like frame's rows
    id_order: pa.Array  # the indices that sort the ids: write_prepared need not sort them again


def read_csv(path: Path) -> pd.DataFrame:
    """Read a UTF-8 CSV (a byte-order mark is fine) as text, refusing anything else clearly."""
    _check_utf8(path)
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=False
        )
    except pd.errors.EmptyDataError as exc:
        raise Invalid(_("The file is empty."), field="solution") from exc
    except (pd.errors.ParserError, csv.Error) as exc:
        line = _unclosed_quote_line(path)
        if line is not None:
            raise Invalid(
                _('Line %(line)d opens a quote (") that is never closed.', line=line),
                field="solution",
            ) from exc
        raise Invalid(
            _("The file is not a valid CSV: %(why)s", why=str(exc)), field="solution"
        ) from exc


def _unclosed_quote_line(path: Path) -> int | None:
    """The line whose quote is never closed, when the file's quotes do not pair up."""
    opened, inside = None, False
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.count(b'"') % 2:
                inside = not inside
                opened = number if inside else opened
    return opened if inside else None


def _check_utf8(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            if offset == 0 and chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise Invalid(
                    _("The file is saved as UTF-16, not UTF-8. Save it as CSV UTF-8."),
                    field="solution",
                )
            if b"\x00" in chunk:
                raise Invalid(
                    _("The file contains binary data; upload a CSV text file."), field="solution"
                )
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                raise Invalid(
                    _(
                        "The file is not UTF-8 text (invalid byte at position %(pos)d). "
                        "Save it as CSV UTF-8.",
                        pos=max(offset + exc.start, 0),
                    ),
                    field="solution",
                ) from exc
            if not chunk:
                return
            offset += len(chunk)


def inspect(
    path: Path,
    *,
    id_column: str,
    prediction_columns: list[str],
    split_method: SplitMethod,
    public_fraction: float | None,
    salt: str,
    stacked: bool = False,
) -> SolutionSummary:
    """Check the solution against the problem's settings and count its public/private rows.

    With ``stacked`` (a probability or quantile metric), the prediction columns may name
    the classes (or quantiles) of the solution's single answer column instead.
    """
    frame = read_csv(path)
    if frame.empty:
        raise Invalid(_("The solution has a header but no rows."), field="solution")
    id_order = _check_id_column(frame, id_column)
    answers = _inferred_columns(frame, id_column)
    columns = prediction_columns or answers
    targets = _targets(frame, columns, answers, stacked)
    sides = _sides(frame, id_column, split_method, public_fraction, salt)
    both = int((sides == BOTH).sum())
    public, private = int((sides == PUBLIC).sum()) + both, int((sides == PRIVATE).sum()) + both
    if public == 0 or private == 0:
        raise Invalid(
            _("The split leaves no public or no private rows; adjust the public share."),
            field="public_fraction",
        )
    return SolutionSummary(len(frame), public, private, columns, targets, frame, sides, id_order)


def _targets(
    frame: pd.DataFrame, columns: list[str], answers: list[str], stacked: bool
) -> list[str]:
    if stacked and len(answers) == 1 and len(columns) > 1:
        return answers  # one answer column; the submission gives a column per class or quantile
    _check_columns(frame, columns)
    return columns


def _check_id_column(frame: pd.DataFrame, id_column: str) -> pa.Array:
    """Refuse a missing id column, empty ids and duplicate ids; return the indices that sort
    the ids."""
    if id_column not in frame.columns:
        raise Invalid(
            _("The solution has no id column named “%(col)s”.", col=id_column), field="solution"
        )
    ids = frame[id_column]
    blank = ids.str.strip() == ""
    if blank.any():
        first = int(blank.to_numpy().nonzero()[0][0]) + 2
        raise Invalid(
            _(
                "%(n)d rows have an empty id (first at line %(line)d).",
                n=int(blank.sum()),
                line=first,
            ),
            field="solution",
        )
    texts = pa.array(ids, type=pa.string())
    order = pc.sort_indices(texts)
    if not has_duplicates(texts, order):
        return order
    duplicated = ids[ids.duplicated()].unique()  # only now: pandas takes 5× the time
    raise Invalid(
        _(
            "The id column has %(n)d duplicated ids, for example: %(ids)s",
            n=len(duplicated),
            ids=", ".join(map(str, duplicated[:EXAMPLES])),
        ),
        field="solution",
    )


def _inferred_columns(frame: pd.DataFrame, id_column: str) -> list[str]:
    return [c for c in frame.columns if c not in (id_column, USAGE_COLUMN)]


def _check_columns(frame: pd.DataFrame, columns: list[str]) -> None:
    if not columns:
        raise Invalid(_("The solution has no answer column besides the id."), field="solution")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise Invalid(
            _("The solution lacks the columns: %(cols)s", cols=", ".join(missing)),
            field="solution",
        )


def _sides(
    frame: pd.DataFrame,
    id_column: str,
    split_method: SplitMethod,
    public_fraction: float | None,
    salt: str,
) -> pd.Series:
    if split_method == SplitMethod.FRACTION:
        hashed = fraction_sides(frame[id_column], salt, public_fraction or 0.0)
        return pd.Series(hashed, index=frame.index)  # as the frame: no id lookups
    if split_method == SplitMethod.ALL:
        return pd.Series(all_split(frame[id_column]).to_numpy(), index=frame.index)
    if USAGE_COLUMN not in frame.columns:
        raise Invalid(
            _("The split uses the Usage column, but the solution has none."), field="solution"
        )
    sides = usage_split(frame[USAGE_COLUMN])
    unknown = sides.isna()
    if unknown.any():
        first = int(unknown.to_numpy().nonzero()[0][0]) + 2
        raise Invalid(
            _(
                "Usage must be Public, Private or Ignored; %(n)d rows say otherwise "
                "(first at line %(line)d).",
                n=int(unknown.sum()),
                line=first,
            ),
            field="solution",
        )
    return sides
