"""Properties of the scoring engine's CSV reading and validation, checked with hypothesis.

- any well-formed prediction file (any ids, any order, BOM or not, CRLF or LF, values
  written any way Python writes floats) is read and scored, and the score is the metric
  computed independently on the same rows;
- any single corruption of such a file (a removed row, a duplicated id, an unknown id, a
  non-numeric or empty value, a row with an extra value) gives exactly the expected
  message, naming the right line;
- whatever bytes arrive, scoring answers "scored" or "invalid" with a message, and never
  raises, never fails as "error", never quotes a value of the solution.

Runs in-process (the same engine code the sandbox runs) so that hypothesis can try
hundreds of files; tests/hostile/test_corpus.py runs the corpus through the sandbox.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judge.scoring.engine.score import score
from judge.scoring.engine.solution import write_prepared

PROPERTIES = settings(
    max_examples=60,
    deadline=None,  # the machine is shared; timings are not what is tested
    derandomize=True,  # the same examples on every run: a red build is reproducible
    suppress_health_check=[HealthCheck.too_slow],
)
SECRET_BASE = 13579.2468  # every solution value is this plus a row number

# Ids: any printable text (Korean, quotes, commas, formulas) without outer spaces.
ids_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn")),
    min_size=1,
    max_size=10,
).filter(lambda s: s == s.strip() and s)
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@dataclass
class Case:
    ids: list[str]
    predictions: list[float]
    order: list[int]  # the submission's row order, as indices into ids
    bom: bool
    eol: str


@st.composite
def cases(draw, min_rows: int = 2, max_rows: int = 25) -> Case:
    ids = draw(st.lists(ids_text, min_size=min_rows, max_size=max_rows, unique=True))
    predictions = draw(st.lists(finite, min_size=len(ids), max_size=len(ids)))
    order = draw(st.permutations(range(len(ids))))
    return Case(
        ids, predictions, list(order), draw(st.booleans()), draw(st.sampled_from(["\n", "\r\n"]))
    )


def solution_values(count: int) -> np.ndarray:
    return SECRET_BASE + np.arange(count)


def sides(count: int) -> list[str]:
    return ["public" if i % 2 == 0 else "private" for i in range(count)]


JOB = {"metric": "rmse", "id_column": "id", "prediction_columns": ["target"],
       "target_columns": ["target"], "max_bytes": 1 << 22}  # fmt: skip


def rows_of(case: Case) -> list[list[str]]:
    return [[case.ids[i], repr(case.predictions[i])] for i in case.order]


def csv_bytes(rows: list[list[str]], case: Case) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=case.eol)
    writer.writerow(["id", "target"])
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    return codecs.BOM_UTF8 + data if case.bom else data


def run(case: Case, data: bytes) -> dict:
    """Score ``data`` against a solution with ``case.ids`` (in their own order)."""
    with tempfile.TemporaryDirectory() as folder:
        solution = Path(folder) / "solution.parquet"
        frame = pd.DataFrame({"id": case.ids, "target": solution_values(len(case.ids))})
        write_prepared(frame, "id", ["target"], pd.Series(sides(len(case.ids))), solution)
        submission = Path(folder) / "submission.csv"
        submission.write_bytes(data)
        return score(JOB, submission, solution)


def invalid(case: Case, data: bytes) -> str:
    result = run(case, data)
    assert result["status"] == "invalid", result
    return result["message"]


def rmse(case: Case, side: str) -> float:
    truth = solution_values(len(case.ids))
    mask = np.array(sides(len(case.ids))) == side
    errors = np.array(case.predictions)[mask] - truth[mask]
    return math.sqrt(float(np.mean(errors**2)))


def line_of(position: int) -> int:
    """The file line of data row ``position`` (the header is line 1)."""
    return position + 2


@PROPERTIES
@given(cases())
def test_any_well_formed_file_is_scored_as_computed_independently(case):
    result = run(case, csv_bytes(rows_of(case), case))
    assert result["status"] == "scored", result
    assert result["rows"] == len(case.ids)
    assert math.isclose(result["public"], rmse(case, "public"), rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(result["private"], rmse(case, "private"), rel_tol=1e-9, abs_tol=1e-9)


@PROPERTIES
@given(cases(), st.randoms(use_true_random=False))
def test_row_order_never_changes_the_score(case, rng):
    shuffled = Case(case.ids, case.predictions, rng.sample(case.order, len(case.order)),
                    case.bom, case.eol)  # fmt: skip
    first = run(case, csv_bytes(rows_of(case), case))
    second = run(shuffled, csv_bytes(rows_of(shuffled), shuffled))
    assert first == second


@PROPERTIES
@given(cases(), st.data())
def test_a_removed_row_names_the_missing_id(case, data):
    position = data.draw(st.integers(0, len(case.ids) - 1))
    rows = rows_of(case)
    removed = rows.pop(position)
    message = invalid(case, csv_bytes(rows, case))
    assert message.startswith("1 test id has no prediction, for example '"), message
    assert _quoted(removed[0]) in message


@PROPERTIES
@given(cases(), st.data())
def test_a_duplicated_id_names_the_line_of_the_second_copy(case, data):
    rows = rows_of(case)
    source = data.draw(st.integers(0, len(rows) - 1))
    target = data.draw(st.integers(source + 1, len(rows)))
    rows.insert(target, [rows[source][0], "0.5"])
    message = invalid(case, csv_bytes(rows, case))
    assert message.startswith(
        f"1 id appears more than once (first at line {line_of(target)}), for example "
    ), message
    assert _quoted(rows[source][0]) in message


@PROPERTIES
@given(cases(), st.data(), ids_text)
def test_an_unknown_id_names_its_line(case, data, unknown):
    if unknown in case.ids:
        unknown = unknown + "-x"
    rows = rows_of(case)
    position = data.draw(st.integers(0, len(rows)))
    rows.insert(position, [unknown, "0.5"])
    message = invalid(case, csv_bytes(rows, case))
    assert message.startswith(f"1 id is not in the test set (first at line {line_of(position)})")


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz가나다", min_size=1, max_size=8).filter(
    lambda w: w.lower() not in {"nan", "na", "null", "none", "inf", "infinity", "e"}
)


@PROPERTIES
@given(cases(), st.data(), WORDS)
def test_a_non_numeric_value_names_its_line_and_quotes_it(case, data, word):
    rows = rows_of(case)
    position = data.draw(st.integers(0, len(rows) - 1))
    rows[position][1] = word
    message = invalid(case, csv_bytes(rows, case))
    assert message == (
        f"In column 'target', 1 value is not a number (first at line {line_of(position)}: "
        f"'{word}')."
    )


@PROPERTIES
@given(cases(), st.data(), st.sampled_from(["", "NaN", "nan", "NA", "null", " "]))
def test_a_missing_value_names_its_line(case, data, missing):
    rows = rows_of(case)
    position = data.draw(st.integers(0, len(rows) - 1))
    rows[position][1] = missing
    message = invalid(case, csv_bytes(rows, case))
    assert message == (
        f"In column 'target', 1 value is missing or NaN (first at line {line_of(position)})."
    )


@PROPERTIES
@given(cases(), st.data())
def test_a_row_with_an_extra_value_names_its_line(case, data):
    rows = rows_of(case)
    position = data.draw(st.integers(0, len(rows) - 1))
    rows[position].append("0.5")
    message = invalid(case, csv_bytes(rows, case))
    assert message.startswith(f"Line {line_of(position)} has 3 values, but the header has 2")


plain_ids = st.text(alphabet="abcXYZ012가나-_", min_size=1, max_size=8)


@PROPERTIES
@given(st.lists(plain_ids, min_size=2, max_size=25, unique=True), st.data())
def test_a_quote_never_closed_names_the_line_it_opens_on(ids, data):
    case = Case(ids, [0.5] * len(ids), list(range(len(ids))), False, "\n")
    position = data.draw(st.integers(0, len(ids) - 2))  # the rows after it are swallowed
    opening = ['"' if n == position else "" for n in range(len(ids))]
    lines = ["id,target", *(f"{i},{q}0.5" for i, q in zip(ids, opening, strict=True))]
    message = invalid(case, ("\n".join(lines) + "\n").encode())
    assert message.startswith(f'Line {line_of(position)} opens a quote (") that is never closed')


def _quoted(value: str) -> str:
    return "'" + (value if len(value) <= 40 else value[:39] + "…") + "'"


# --- whatever arrives ------------------------------------------------------------------

TOKENS = st.sampled_from(
    ['"', ",", ";", "\t", "\r", "\n", "\r\n", "\ufeff", "\x00", "NaN", "inf", "-1e999", "1",
     "0.5", "id", "target", "=cmd|' /C calc'!A0", "가", "\u202e", "''", "\\", " ", "é"]
)  # fmt: skip
csvish = st.lists(st.one_of(TOKENS, ids_text), max_size=60).map("".join)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp949", "utf-16", "latin-1"])
ANY_CASE = Case(["a", "b", "c"], [0.0, 0.0, 0.0], [0, 1, 2], False, "\n")


def _check_answer(result: dict, sent: bytes) -> None:
    """An answer, never an exception; a message shows no traceback and no hidden value unless
    the file itself held those words (a team's own header is echoed back to it)."""
    assert result["status"] in ("scored", "invalid"), result
    if result["status"] == "invalid":
        message = result["message"]
        assert message
        echoed = "".join(sent.decode(encoding, "replace")
                         for encoding in ("utf-8", "latin-1", "utf-16", "cp949"))  # fmt: skip
        for marker in ("Traceback", str(SECRET_BASE)[:5]):
            assert marker not in message or marker in echoed, message


@PROPERTIES
@given(st.binary(max_size=2000))
def test_any_bytes_get_an_answer_never_an_exception(data):
    _check_answer(run(ANY_CASE, data), data)


@PROPERTIES
@given(csvish, encodings)
def test_any_csv_like_text_gets_an_answer_never_an_exception(text, encoding):
    for sent in (("id,target\n" + text).encode(encoding, "replace"),
                 text.encode(encoding, "replace")):  # fmt: skip
        _check_answer(run(ANY_CASE, sent), sent)
