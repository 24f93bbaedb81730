"""Hostile inputs too large to commit, built at run time (the manifest names them).

Each function returns the bytes of one file (or a file name, or a text); results are
cached for the session because the bombs serve more than one case.
"""

from __future__ import annotations

import functools
import gzip
import io
import zipfile
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
MiB = 1 << 20
BOMB_BYTES = 256 * MiB  # unpacked; the packed file is about a thousandth of it


def _good_rows() -> list[bytes]:
    return (CORPUS / "good.csv").read_bytes().splitlines()


@functools.cache
def million_columns() -> bytes:
    """A header of a million and two columns, and one row that fills them."""
    header = b"id,label," + b",".join(b"c%d" % i for i in range(1_000_000))
    return header + b"\n" + _good_rows()[1] + b",0" * 1_000_000 + b"\n"


@functools.cache
def million_values_row() -> bytes:
    """The right header, then a row with a million extra values."""
    rows = _good_rows()
    return b"\n".join([rows[0], rows[1] + b",0" * 1_000_000, *rows[2:]]) + b"\n"


@functools.cache
def huge_line() -> bytes:
    """A third line of 48 MiB: a value with no line break after it."""
    rows = _good_rows()
    return b"\n".join([*rows[:2], rows[2] + b"9" * (48 * MiB - len(rows[2])), *rows[3:]])


@functools.cache
def huge_first_line() -> bytes:
    """48 MiB without a single line break."""
    return b"x" * (48 * MiB)


@functools.cache
def oversize() -> bytes:
    """A well-formed file of 2 MiB, over a 1 MiB limit."""
    rows = _good_rows()
    body = b"\n".join(rows) + b"\n"
    return body * (2 * MiB // len(body) + 1)


@functools.cache
def zip_bomb() -> bytes:
    """A ZIP archive that unpacks to 256 MiB of zeros."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("predictions.csv", "w", force_zip64=True) as member,
    ):
        chunk = bytes(MiB)
        for _ in range(BOMB_BYTES // MiB):
            member.write(chunk)
    return out.getvalue()


@functools.cache
def gzip_bomb() -> bytes:
    """A gzip stream that unpacks to 256 MiB of zeros."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as packed:
        chunk = bytes(MiB)
        for _ in range(BOMB_BYTES // MiB):
            packed.write(chunk)
    return out.getvalue()


def long_name() -> str:
    """A file name of a thousand characters (Korean, so 3,000 bytes in UTF-8)."""
    return "예측" * 498 + "_x.csv"


def long_team_name() -> str:
    return "팀" * 101
