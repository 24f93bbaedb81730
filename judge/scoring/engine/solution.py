"""The prepared solution: ids, targets and each row's side, stored once at upload.

The web side splits the solution into public, private and ignored rows when
it is uploaded and stores the result with :func:`write_prepared`, so scoring
never re-hashes ids. Everything is stored as text; the engine decides how to
read the targets from the metric. Physical column names are fixed (``id``,
``side``, ``target.0``, ``target.1``, ...); the original names travel in the
file's metadata, so any column name works.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from os import PathLike

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PUBLIC, PRIVATE, IGNORED = "public", "private", "ignored"
SIDES = (PUBLIC, PRIVATE, IGNORED)
ID_FIELD, SIDE_FIELD = "id", "side"
_METADATA_KEY = b"judge.prepared_solution"
_VERSION = 1


@dataclass(frozen=True)
class PreparedSolution:
    ids: pd.Series  # text, unique, in the solution's row order
    targets: pd.DataFrame  # text, one column per target, original names
    sides: pd.Series  # "public", "private" or "ignored", same order as ids


def write_prepared(
    frame: pd.DataFrame,
    id_column: str,
    target_columns: list[str],
    sides: pd.Series,
    path: str | PathLike,
) -> None:
    """Store the solution's ids, targets (as text) and sides as a parquet file at ``path``.

    ``sides`` holds 'public', 'private' or 'ignored' for each row of ``frame``,
    indexed like ``frame`` (or by its ids, in the same order). Raises
    ``ValueError`` for duplicate or empty ids, unknown sides or missing columns.
    """
    ids = _text(frame[id_column])
    _check_ids(ids)
    arrays = {ID_FIELD: ids, SIDE_FIELD: pa.array(_side_values(frame, id_column, sides))}
    for number, column in enumerate(target_columns):
        arrays[f"target.{number}"] = _text(frame[column])
    metadata = {"version": _VERSION, "id_column": id_column, "target_columns": target_columns}
    table = pa.table(arrays).replace_schema_metadata({_METADATA_KEY: json.dumps(metadata)})
    pq.write_table(table, path)


def read_prepared(path: str | PathLike) -> PreparedSolution:
    """Load a file written by :func:`write_prepared`."""
    table = pq.read_table(path)
    metadata = json.loads((table.schema.metadata or {}).get(_METADATA_KEY, b"{}"))
    if metadata.get("version") != _VERSION:
        raise ValueError("This is not a prepared solution file of a known version.")
    names = metadata["target_columns"]
    targets = {name: table[f"target.{i}"].to_pandas() for i, name in enumerate(names)}
    return PreparedSolution(
        ids=table[ID_FIELD].to_pandas(),
        targets=pd.DataFrame(targets),
        sides=table[SIDE_FIELD].to_pandas(),
    )


def _text(values: pd.Series) -> pa.Array:
    return pa.array(values.astype("string"), type=pa.string())


def _check_ids(ids: pa.Array) -> None:
    if ids.null_count or len(ids) and pa.compute.min(pa.compute.utf8_length(ids)).as_py() == 0:
        raise ValueError("The solution has empty ids.")
    if pa.compute.count_distinct(ids).as_py() != len(ids):
        raise ValueError("The solution has duplicate ids.")


def _side_values(frame: pd.DataFrame, id_column: str, sides: pd.Series) -> list[str]:
    aligned = sides.index.equals(frame.index) or (
        len(sides) == len(frame) and (sides.index == frame[id_column].to_numpy()).all()
    )
    if not aligned:
        raise ValueError("sides must be indexed like the frame (or by its ids, in order).")
    values = sides.astype(str).tolist()
    unknown = set(values) - set(SIDES)
    if unknown:
        raise ValueError(f"Unknown sides: {sorted(unknown)}")
    return values
