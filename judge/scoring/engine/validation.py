"""Checking a submission against the job and the solution's ids.

Every check runs on every row, scored or not, so a message never tells
which rows are ignored, public or private. Messages quote only the
participant's own values and test ids, never a target value; and none at
all where a team's program wrote the file after reading hidden inputs
(``Job.quote_values``), whose values and ids may be those inputs.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .boxes import BadBoxes
from .boxes import parse as parse_boxes
from .convert import INTEGER, TEXT, fast_floats, parse_floats, text_labels, trimmed
from .errors import SubmissionError
from .job import Job
from .masks import BadMask, by_class, parse
from .messages import quote, quoted_list
from .multilabel import indicators, label_sets
from .ranking import lists
from .reading import Submission
from .solution import ID_FIELD, PreparedSolution
from .text import texts

__all__ = ["SubmissionError", "check_ids", "validate"]

SUM_TOLERANCE = 0.01  # rounding to a few decimals must not make a row invalid


def validate(
    submission: Submission, solution: PreparedSolution, job: Job, kinds: list[str]
) -> list[np.ndarray]:
    """The predictions for each solution row, one array per target pair, or SubmissionError.

    ``kinds`` says, for label metrics, how each column's labels compare
    (see :func:`convert.read_labels`).
    """
    check_columns(submission.columns, job)
    order = match_ids(submission, solution, job.id_column)
    return [values[order] for values in read_predictions(submission, job, kinds)]


def check_columns(columns: list[str], job: Job) -> None:
    """Refuse a header without the id and prediction columns, or with others."""
    expected = [job.id_column, *job.prediction_columns]
    missing = [c for c in expected if c not in columns]
    extra = [c for c in columns if c not in expected]
    if not missing and not extra:
        return
    parts = []
    if job.id_column in missing:
        parts.append(f"The file has no id column {quote(job.id_column)}.")
    if lacking := [c for c in missing if c != job.id_column]:
        parts.append(f"The file lacks the columns {quoted_list(lacking)}.")
    if extra and not job.quote_values:
        first = columns.index(extra[0]) + 1
        what = _number(len(extra), ("column that is", "columns that are"))
        parts.append(f"The file has {len(extra)} {what} not expected (first at column {first}).")
    elif extra:
        parts.append(f"The file has columns that are not expected: {quoted_list(extra)}.")
    if {c.lower() for c in missing} & {c.lower() for c in extra}:
        parts.append("Column names are case-sensitive.")
    parts.append(f"The first line must be the header: {job.expected_header}")
    raise SubmissionError(" ".join(parts))


def match_ids(submission: Submission, solution: PreparedSolution, id_column: str) -> np.ndarray:
    """For each solution row, the submission row that predicts it.

    The two most common orders, the solution's own (the sample submission's)
    and sorted by id, match without hashing; any other order takes a hash join.
    """
    ids, solution_ids = submission.table[id_column], solution.table[ID_FIELD]
    if len(ids) == len(solution_ids):
        for match in (_same_order, _sorted_order, _joined):
            order = match(ids, solution)
            if order is not None:
                return order
    raise SubmissionError(_id_problems(submission, ids, solution_ids))


def _same_order(ids: pa.ChunkedArray, solution: PreparedSolution) -> np.ndarray | None:
    return np.arange(len(ids)) if ids.equals(solution.table[ID_FIELD]) else None


def _sorted_order(ids: pa.ChunkedArray, solution: PreparedSolution) -> np.ndarray | None:
    if len(ids) > 1 and not pc.all(pc.less(ids.slice(0, len(ids) - 1), ids.slice(1))).as_py():
        return None
    sorted_ids, by_id = solution.sorted_ids()
    return _inverse(by_id.to_numpy()) if ids.equals(sorted_ids) else None


def _joined(ids: pa.ChunkedArray, solution: PreparedSolution) -> np.ndarray | None:
    """Match by a hash join; None unless every id on each side matches exactly one."""
    left = pa.table({"id": solution.table[ID_FIELD], "row": np.arange(len(ids))})
    right = pa.table({"id": ids, "at": np.arange(len(ids))})
    joined = left.join(right, "id", join_type="inner")
    rows, at = joined["row"].to_numpy(), joined["at"].to_numpy()
    if len(rows) != len(ids) or not (np.bincount(rows, minlength=len(ids)) == 1).all():
        return None
    order = np.empty(len(ids), dtype=np.int64)
    order[rows] = at
    return order


def _inverse(permutation: np.ndarray) -> np.ndarray:
    inverse = np.empty_like(permutation)
    inverse[permutation] = np.arange(len(permutation))
    return inverse


def _id_problems(
    submission: Submission, ids: pa.ChunkedArray, solution_ids: pa.ChunkedArray
) -> str:
    """Every way the ids fail to match the test set, in one message."""
    positions = pc.fill_null(pc.index_in(ids, value_set=solution_ids), -1).to_numpy()
    counts = np.bincount(positions[positions >= 0], minlength=len(solution_ids))
    values = ids.to_pandas()
    empty = (values.str.strip() == "").to_numpy()
    repeated = values.duplicated().to_numpy() & ~empty
    unknown = (positions < 0) & ~empty
    problems = [
        *_empty_and_repeated(submission, values, empty, repeated),
        _example_problem(submission, values, unknown, ("id is", "ids are"), "not in the test set"),
        _missing_problem(submission, solution_ids, counts == 0),
    ]
    return " ".join(p for p in problems if p) or "The ids do not match the test set's ids."


def check_ids(submission: Submission, id_column: str) -> None:
    """Refuse empty and repeated ids (a file checked without a solution to match)."""
    values = submission.table[id_column].to_pandas()
    empty = (values.str.strip() == "").to_numpy()
    repeated = values.duplicated().to_numpy() & ~empty
    message = " ".join(p for p in _empty_and_repeated(submission, values, empty, repeated) if p)
    if message:
        raise SubmissionError(message)


def _empty_and_repeated(
    submission: Submission, values, empty: np.ndarray, repeated: np.ndarray
) -> list[str]:
    return [
        _rows_problem(submission, empty, ("row has an empty id", "rows have an empty id")),
        _example_problem(
            submission, values, repeated, ("id appears", "ids appear"), "more than once"
        ),
    ]


def _rows_problem(submission: Submission, mask: np.ndarray, what: tuple[str, str]) -> str:
    if not mask.any():
        return ""
    count, line = int(mask.sum()), submission.line(int(mask.argmax()))
    return f"{count} {_number(count, what)} (first at line {line})."


def _example_problem(
    submission: Submission, values, mask: np.ndarray, what: tuple[str, str], how: str
) -> str:
    if not mask.any():
        return ""
    distinct = list(values[mask].unique())
    line = submission.line(int(mask.argmax()))
    head = f"{len(distinct)} {_number(len(distinct), what)} {how} (first at line {line})"
    if not submission.quote_values:
        return f"{head}."
    return f"{head}, for example {quoted_list(distinct)}."


def _number(count: int, forms: tuple[str, str]) -> str:
    return forms[0] if count == 1 else forms[1]


def _missing_problem(
    submission: Submission, solution_ids: pa.ChunkedArray, missing: np.ndarray
) -> str:
    if not missing.any():
        return ""
    count = int(missing.sum())
    what = _number(count, ("test id has", "test ids have"))
    if not submission.quote_values:  # the test ids are in the hidden inputs
        return f"{count} {what} no prediction."
    examples = solution_ids.take(np.flatnonzero(missing)[:5]).to_pylist()
    return f"{count} {what} no prediction, for example {quoted_list(examples, count)}."


def read_predictions(submission: Submission, job: Job, kinds: list[str]) -> list[np.ndarray]:
    """The prediction columns as arrays in the submission's row order, checked for the metric."""
    if job.per_class:
        return [_class_probabilities(submission, job.prediction_columns)]
    expects = job.metric.expects
    if expects == "label":
        pairs = zip(job.prediction_columns, kinds, strict=True)
        return [_labels(submission, name, kind) for name, kind in pairs]
    if expects == "probability":
        return [_probabilities(submission, name) for name in job.prediction_columns]
    if expects == "ranking":
        k = job.metric.compute.keywords["k"]
        return [_ranked_lists(submission, name, k) for name in job.prediction_columns]
    if expects in ("mask", "class_masks"):
        values = [_masks(submission, name, job.pixels) for name in job.prediction_columns]
        return [by_class(values)] if expects == "class_masks" else values
    if expects == "boxes":
        return [_boxes(submission, name) for name in job.prediction_columns]
    if expects == "label_sets":
        return [_label_sets(submission, job.prediction_columns)]
    if expects == "text":  # any text, an empty one too (it predicts nothing)
        return [texts(submission.table[name]) for name in job.prediction_columns]
    values = [_values(submission, name, job) for name in job.prediction_columns]
    return [np.column_stack(values)] if expects == "quantile" else values


def _refuse(
    submission: Submission,
    column: str,
    mask: np.ndarray,
    problem: tuple[str, str],
    *,
    show: bool = False,
    advice: str = "",
) -> None:
    """Raise when ``mask`` marks any row, counting them and naming the first line."""
    if not mask.any():
        return
    row, count = int(mask.argmax()), int(mask.sum())
    where = f"line {submission.line(row)}"
    if show and submission.quote_values:
        where += f": {quote(submission.value(column, row))}"
    text = _number(count, problem)
    raise SubmissionError(f"In column {quote(column)}, {count} {text} (first at {where}).{advice}")


def _numbers(submission: Submission, column: str) -> np.ndarray:
    values = fast_floats(submission.table[column])
    if values is None:
        parsed = parse_floats(submission.table[column])
        not_numbers = ("value is not a number", "values are not numbers")
        _refuse(submission, column, parsed.bad, not_numbers, show=True)
        values = parsed.values
    _refuse(
        submission,
        column,
        np.isnan(values),
        ("value is missing or NaN", "values are missing or NaN"),
    )
    _refuse(submission, column, np.isinf(values), ("value is infinite", "values are infinite"))
    return values


def _values(submission: Submission, column: str, job: Job) -> np.ndarray:
    values = _numbers(submission, column)
    if job.metric.nonnegative:
        advice = f" {job.metric.name} needs predictions of 0 or more."
        negative = ("value is negative", "values are negative")
        _refuse(submission, column, values < 0, negative, show=True, advice=advice)
    return values


def _probabilities(submission: Submission, column: str) -> np.ndarray:
    values = _numbers(submission, column)
    outside = ("value is outside [0, 1]", "values are outside [0, 1]")
    advice = " Probabilities must be between 0 and 1."
    _refuse(submission, column, (values < 0) | (values > 1), outside, show=True, advice=advice)
    return values


def _class_probabilities(submission: Submission, columns: tuple[str, ...]) -> np.ndarray:
    matrix = np.column_stack([_probabilities(submission, c) for c in columns])
    sums = matrix.sum(axis=1)
    off = np.abs(sums - 1) > SUM_TOLERANCE
    if off.any():
        row, count = int(off.argmax()), int(off.sum())
        total = f", which adds up to {sums[row]:.4g}" if submission.quote_values else ""
        raise SubmissionError(
            f"The probabilities in each row must add up to 1, but {count} "
            f"{_number(count, ('row does', 'rows do'))} not (first at line "
            f"{submission.line(row)}{total})."
        )
    return matrix / sums[:, None]


def _ranked_lists(submission: Submission, column: str, k: int) -> np.ndarray:
    """Lists of at most ``k`` distinct items separated by spaces, none empty."""
    values = lists(submission.table[column])
    sizes = np.fromiter((len(items) for items in values), dtype=np.int64, count=len(values))
    _refuse(submission, column, sizes == 0, ("list is empty", "lists are empty"),
            advice=" Give each row its items, best first, separated by spaces.")  # fmt: skip
    repeated = np.fromiter((len(set(items)) < len(items) for items in values), dtype=bool,
                           count=len(values))  # fmt: skip
    _refuse(submission, column, repeated, ("list repeats an item", "lists repeat an item"),
            show=True, advice=" Each item may appear once in a list.")  # fmt: skip
    long = ("list has more than K items", "lists have more than K items")
    _refuse(submission, column, sizes > k, long, advice=f" A list may hold at most {k} items.")
    return values


MASK_PROBLEMS = {
    "pairs": (("mask is not pairs of numbers", "masks are not pairs of numbers"),
              " A mask is pairs of a start pixel and a run length separated by spaces."),
    "outside": (("mask runs outside the image", "masks run outside the image"),
                " Pixels are numbered from 1 down each column, up to {pixels}."),
    "order": (("mask has runs out of order or overlapping",
               "masks have runs out of order or overlapping"),
              " Runs go in order of their start pixel and do not overlap."),
}  # fmt: skip


def _masks(submission: Submission, column: str, pixels: int) -> np.ndarray:
    """Run-length-encoded masks (an empty value: an empty mask)."""
    values = np.empty(submission.rows, dtype=object)
    problems = np.full(submission.rows, "", dtype=object)
    for row, text in enumerate(submission.table[column].to_pylist()):
        try:
            values[row] = parse(text, pixels)
        except BadMask as exc:
            problems[row] = exc.args[0]
    for name, (problem, advice) in MASK_PROBLEMS.items():
        _refuse(submission, column, problems == name, problem, show=True,
                advice=advice.format(pixels=pixels))  # fmt: skip
    return values


BOX_PROBLEMS = {
    "groups": (("value is not whole boxes", "values are not whole boxes"),
               " Each box is six values separated by spaces: class, confidence, x, y, width "
               "and height."),
    "number": (("box has a confidence or coordinate that is not a number",
                "boxes have a confidence or coordinate that is not a number"), ""),
    "negative": (("box has a negative width or height", "boxes have a negative width or height"),
                 ""),
}  # fmt: skip


def _boxes(submission: Submission, column: str) -> np.ndarray:
    """Each image's predicted boxes (an empty value: none)."""
    values = np.empty(submission.rows, dtype=object)
    problems = np.full(submission.rows, "", dtype=object)
    for row, text in enumerate(submission.table[column].to_pylist()):
        try:
            values[row] = parse_boxes(text, scored=True)
        except BadBoxes as exc:
            problems[row] = exc.args[0]
    for name, (problem, advice) in BOX_PROBLEMS.items():
        _refuse(submission, column, problems == name, problem, show=True, advice=advice)
    return values


def _label_sets(submission: Submission, columns: tuple[str, ...]) -> np.ndarray:
    """One column of distinct labels separated by spaces (an empty value: no label), or one
    0/1 column per label side by side."""
    if len(columns) > 1:
        return np.column_stack([_indicator(submission, column) for column in columns])
    (column,) = columns
    words = [text.split() for text in submission.table[column].to_pylist()]
    repeated = np.fromiter((len(set(w)) < len(w) for w in words), dtype=bool, count=len(words))
    _refuse(submission, column, repeated, ("row repeats a label", "rows repeat a label"),
            show=True, advice=" Each label may appear once in a row.")  # fmt: skip
    return label_sets(submission.table[column])


def _indicator(submission: Submission, column: str) -> np.ndarray:
    ones, bad = indicators(submission.table[column])
    _refuse(submission, column, bad, ("value is not 0 or 1", "values are not 0 or 1"), show=True,
            advice=" Write 1 where the label applies and 0 where it does not.")  # fmt: skip
    return ones


def _labels(submission: Submission, column: str, kind: str) -> np.ndarray:
    labels = trimmed(submission.table[column])
    empty = pc.equal(labels, "").to_numpy()
    _refuse(submission, column, empty, ("label is empty", "labels are empty"))
    if kind == TEXT:
        return text_labels(labels)
    values = fast_floats(labels)
    if values is None or not np.isfinite(values).all():
        parsed = parse_floats(labels)
        not_numbers = ("label is not a number", "labels are not numbers")
        advice = " The class labels are numbers."
        _refuse(
            submission, column, ~np.isfinite(parsed.values), not_numbers, show=True, advice=advice
        )
        values = parsed.values
    if kind == INTEGER:
        fraction = (values != np.round(values)) | (np.abs(values) >= 2**62)
        problem = ("label is not a whole number", "labels are not whole numbers")
        advice = " Submit class labels, not probabilities."
        _refuse(submission, column, fraction, problem, show=True, advice=advice)
        return values.astype(np.int64)
    return values
