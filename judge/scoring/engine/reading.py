"""Reading a participant's prediction file: bytes, then text, then a table of strings.

Checks happen in the order a person would look: size, emptiness, whether it
is text at all, its encoding (UTF-8, UTF-8 with BOM, or CP949/EUC-KR as
Excel saves it on Korean Windows), the header, then the rows. Every column
is read as text; the validation step decides what each column must hold.
The fast path is pyarrow's CSV reader; the slow, exact path (Python's csv
module) runs only to explain an error.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike

import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import SubmissionError
from .messages import plural, quote, quoted_list

_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook is one)"),
    (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook or another Office file"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROL = bytes(c for c in range(32) if c not in b"\t\n\r\x0c")
_OTHER_DELIMITERS = ((";", "semicolons (;)"), ("\t", "tabs"), ("|", "vertical bars (|)"))
_SNIFF = 1 << 16
#: pyarrow reads in blocks and cannot parse a row longer than one; no row of predictions
#: comes near this.
BLOCK_BYTES = 1 << 22


@dataclass(frozen=True)
class Submission:
    """A prediction file read as text: the header's names and a table of strings."""

    columns: list[str]
    table: pa.Table
    text: bytes = field(repr=False)  # the file as UTF-8, to find line numbers for messages
    quote_values: bool = True  # whether messages may quote the file's values (see Job)

    @property
    def rows(self) -> int:
        return self.table.num_rows

    def line(self, row: int) -> int:
        """The line of the file that holds data row ``row`` (0-based; the header is line 1)."""
        if b"\n\n" not in self.text and b"\n\r\n" not in self.text:
            return row + 2
        seen = -1
        for number, raw in enumerate(self.text.split(b"\n"), start=1):
            if raw.strip(b"\r"):
                if seen == row:
                    return number
                seen += 1
        return row + 2

    def value(self, column: str, row: int) -> str:
        """The text of one cell, as the participant wrote it."""
        return self.table[column][row].as_py()


def read_submission(
    path: str | PathLike,
    *,
    max_bytes: int,
    check_header: Callable[[list[str]], None] | None = None,
    quote_values: bool = True,
) -> Submission:
    """Read a prediction CSV, refusing with a clear :class:`SubmissionError` what is not one.

    ``check_header`` sees the header's names before any row is parsed, so a header with
    a million wrong columns is refused by name at once. Without ``quote_values``, messages
    name lines and columns but quote nothing the file holds.
    """
    text = _decode(_read_bytes(path, max_bytes))
    if not text.strip():
        raise SubmissionError("The file is empty.")
    columns = _header(text, quote_values)
    if check_header is not None:
        check_header(columns)
    table = _parse(text, columns, quote_values)
    _refuse_unclosed_quote(text, table.num_rows)
    if table.num_rows == 0:
        raise SubmissionError("The file has a header but no rows of predictions.")
    return Submission(columns, table, text, quote_values)


def _read_bytes(path: str | PathLike, max_bytes: int) -> bytes:
    size = os.path.getsize(path)
    if size > max_bytes:
        raise SubmissionError(
            f"The file is {_size(size)}, over the limit of {_size(max_bytes)}. "
            "Submit only the id and prediction columns."
        )
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SubmissionError(f"The file is over the limit of {_size(max_bytes)}.")
    return data


def _size(count: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def _decode(data: bytes) -> bytes:
    """The file as UTF-8 without a byte-order mark, or a SubmissionError saying what it is."""
    _refuse_binary(data)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.isascii():
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        return data.decode("cp949").encode("utf-8")
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, position) + 1
        raise SubmissionError(
            "The file is not text in UTF-8 or in CP949/EUC-KR (the first byte that is not "
            f"UTF-8 is on line {line}). Save it as 'CSV UTF-8 (comma delimited)'."
        ) from None


def _refuse_binary(data: bytes) -> None:
    if data.startswith(_UTF16_BOMS) or _looks_like_utf16(data[:_SNIFF]):
        raise SubmissionError(
            "The file is saved as UTF-16 ('Unicode Text'). "
            "Save it as 'CSV UTF-8 (comma delimited)'."
        )
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise SubmissionError(f"This is not a CSV text file: it looks like {kind}.")
    head = data[:_SNIFF]
    if b"\x00" in data or head.translate(None, _CONTROL) != head:
        raise SubmissionError(
            "This is not a CSV text file: it contains binary data. Upload a comma-separated .csv."
        )


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: a zero byte beside every ASCII character, so many
    zeros on even (big-endian) or on odd (little-endian) positions and next to none on the
    others (Hangul and other scripts have no zero byte, or rarely)."""
    pairs = len(head) // 2
    if pairs < 2 or b"\x00" not in head:
        return False
    zeros = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    return max(zeros) >= 0.3 * pairs and min(zeros) <= 0.05 * max(zeros)


def _header(text: bytes, quote_values: bool) -> list[str]:
    first = re.split(rb"\r\n|\r|\n", text, maxsplit=1)[0].decode("utf-8")
    if not first.strip():
        raise SubmissionError("The first line is empty; it must be the header with column names.")
    try:
        names = [name.strip() for name in next(csv.reader([first]))]
    except csv.Error:
        raise _unreadable_header(len(first)) from None
    if len(names) == 1:
        _refuse_other_delimiters(first)
    repeated = [name for name, count in Counter(names).items() if count > 1]
    if repeated and not quote_values:
        column = next(i for i, name in enumerate(names) if name in names[:i]) + 1
        raise SubmissionError(f"The header repeats a column name (first at column {column}).")
    if repeated:
        raise SubmissionError(f"The header repeats the column {quoted_list(repeated)}.")
    return names


def _unreadable_header(length: int) -> SubmissionError:
    if length > BLOCK_BYTES:
        return SubmissionError(
            f"The first line is {_size(length)} long; it must be a short header with "
            "the column names. Check that the rows are separated by line breaks."
        )
    return SubmissionError("The first line cannot be read as a CSV header.")


def _refuse_other_delimiters(header: str) -> None:
    for delimiter, name in _OTHER_DELIMITERS:
        if delimiter in header:
            raise SubmissionError(
                f"The file seems to be separated by {name}, not commas. "
                "Save it as comma-separated CSV."
            )


def _parse(text: bytes, columns: list[str], quote_values: bool) -> pa.Table:
    try:
        return pacsv.read_csv(
            pa.BufferReader(text),
            # One thread: every column is text, so threads gain nothing here, and the
            # threaded reader once failed with "a chunk failed converting" (pyarrow 26).
            read_options=pacsv.ReadOptions(
                column_names=columns, skip_rows=1, use_threads=False, block_size=BLOCK_BYTES
            ),
            parse_options=pacsv.ParseOptions(delimiter=","),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _explain_parse_error(text, len(columns), str(exc), quote_values) from None


def _explain_parse_error(
    text: bytes, width: int, detail: str, quote_values: bool
) -> SubmissionError:
    """Find the first row whose length differs from the header's, which pyarrow does not name."""
    if long_line := _first_long_line(text):
        number, length = long_line
        return SubmissionError(
            f"Line {number} is {_size(length)} long, more than a row of predictions can be "
            f"({_size(BLOCK_BYTES)} at most). Check that the rows are separated by line breaks."
        )
    _refuse_unclosed_quote(text, rows=0)
    reader = csv.reader(io.StringIO(text.decode("utf-8"), newline=""))
    with contextlib.suppress(csv.Error):  # e.g. a field over the csv module's size limit
        for fields in reader:
            if fields and len(fields) != width:
                return SubmissionError(
                    f"Line {reader.line_num} has {plural(len(fields), 'value')}, but the header "
                    f"has {plural(width, 'column')}. Check for missing values, extra commas, "
                    "or commas inside a value that is not quoted."
                )
    advice = (
        "Check that values containing commas or quotes are quoted and that no value spans lines."
    )
    if not quote_values:  # pyarrow's detail quotes the row
        return SubmissionError(f"The file could not be read as CSV. {advice}")
    detail = detail.removeprefix("CSV parse error: ")
    return SubmissionError(f"The file could not be read as CSV ({quote(detail, 120)}). {advice}")


def _first_long_line(text: bytes) -> tuple[int, int] | None:
    """(line number, length) of the first line longer than a parser block, if any."""
    start, number = 0, 1
    while start < len(text):
        end = text.find(b"\n", start)
        end = len(text) if end < 0 else end
        if end - start > BLOCK_BYTES:
            return number, end - start
        start, number = end + 1, number + 1
    return None


def _refuse_unclosed_quote(text: bytes, rows: int) -> None:
    """A quote that is never closed swallows the lines after it; name the line it opens on."""
    if text.count(b'"') % 2 == 0:
        return
    lines = re.split(rb"\r\n|\r|\n", text)
    if rows >= sum(1 for line in lines if line.strip()) - 1:
        return  # every line became a row: the odd quote sits inside a value
    opened, inside = 0, False
    for number, line in enumerate(lines, start=1):
        if line.count(b'"') % 2:
            inside = not inside
            opened = number if inside else opened
    raise SubmissionError(
        f'Line {opened} opens a quote (") that is never closed, so the lines after it '
        "are read as one value. Remove the stray quote or close it."
    )
