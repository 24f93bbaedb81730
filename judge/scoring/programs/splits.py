"""Public and private scores from a program that knows nothing about splits.

The reference data holds one CSV with an id column. For each split the platform writes a
copy of the reference folder in which that CSV keeps only the split's rows (same file name,
same columns, values as written, a ``Usage`` column removed), runs the program on it, and
takes its scores as that split's. Other reference files are passed unchanged to both runs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from flask_babel import gettext as _

from judge.core.errors import Invalid
from judge.scoring.engine.splits import PRIVATE, PUBLIC, USAGE_COLUMN, fraction_split, usage_split

SIDES = (PUBLIC, PRIVATE)


def reference_table(reference: Path) -> Path:
    """The one CSV of the reference folder that the split applies to."""
    tables = sorted(p for p in reference.rglob("*") if p.is_file() and p.suffix.lower() == ".csv")
    if len(tables) != 1:
        raise Invalid(
            _(
                "To score public and private parts separately, the reference data must "
                "hold exactly one CSV file; it holds %(count)d.",
                count=len(tables),
            )
        )
    return tables[0]


def split_reference(
    reference: Path, target: Path, id_column: str, salt: str, public_fraction: float | None
) -> dict[str, Path]:
    """A reference folder per side under ``target``: {"public": …, "private": …}."""
    table = reference_table(reference)
    frame = _read(table, id_column)
    sides = _sides(frame, id_column, salt, public_fraction)
    folders = {}
    for side in SIDES:
        folder = target / side
        shutil.copytree(reference, folder)
        rows = frame[sides == side].drop(columns=[USAGE_COLUMN], errors="ignore")
        rows.to_csv(folder / table.relative_to(reference), index=False)
        folders[side] = folder
    return folders


def _read(table: Path, id_column: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(table, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(
            _(
                "The reference file %(name)s cannot be read as CSV: %(error)s",
                name=table.name,
                error=exc,
            )
        ) from None
    if id_column not in frame.columns:
        raise Invalid(
            _(
                "The reference file %(name)s has no id column “%(column)s”.",
                name=table.name,
                column=id_column,
            )
        )
    return frame


def _sides(
    frame: pd.DataFrame, id_column: str, salt: str, public_fraction: float | None
) -> pd.Series:
    if public_fraction is not None:
        return pd.Series(
            fraction_split(frame[id_column], salt, public_fraction).to_numpy(), index=frame.index
        )
    if USAGE_COLUMN not in frame.columns:
        raise Invalid(
            _(
                "Give a public fraction, or a reference CSV with a %(column)s column "
                "(Public / Private / Ignored).",
                column=USAGE_COLUMN,
            )
        )
    return usage_split(frame[USAGE_COLUMN])
