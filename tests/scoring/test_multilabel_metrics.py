"""Multi-label metrics against scikit-learn (``f1_score`` and ``jaccard_score`` with
``average="samples"``, ``hamming_loss``) on MultiLabelBinarizer output, on random label sets and
edge cases, in both forms (a column of labels, 0/1 columns); then through the engine: the split
by id, and the messages that name the row and column of a bad value, in English and Korean."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from flask_babel import force_locale
from sklearn.metrics import f1_score, hamming_loss, jaccard_score
from sklearn.preprocessing import MultiLabelBinarizer

from judge.scoring.engine.metrics import METRICS
from judge.scoring.engine.multilabel import label_sets
from judge.scoring.messages import translate

from .conftest import IDS, csv_text

LABELS = [f"l{n}" for n in range(8)]
NAMES = ("f1_samples", "jaccard_samples", "hamming_loss")


def engine(name: str, truth: list[set], guess: list[set]) -> float:
    read = lambda rows: label_sets(pa.chunked_array([[" ".join(sorted(r)) for r in rows]]))  # noqa: E731
    return METRICS[name].compute(read(truth), read(guess))


def reference(name: str, truth: list[set], guess: list[set]) -> float:
    """scikit-learn on the binarized rows. Hamming's label set is the truth's labels: a label
    only predicted is a false positive without a column of its own, so the loss over the
    binarizer's columns (truth's and predicted-only labels) is scaled to the truth's count."""
    known = sorted(set().union(*truth))
    extra = sorted(set().union(*guess) - set(known))
    binarizer = MultiLabelBinarizer(classes=known + extra)
    t, g = binarizer.fit_transform(truth), binarizer.transform(guess)
    if name == "hamming_loss":
        return hamming_loss(t, g) * (len(known) + len(extra)) / len(known)
    if t.shape[1] == 1:  # scikit-learn would read one column as binary: add an unused label
        t, g = np.hstack([t, 0 * t]), np.hstack([g, 0 * g])
    score = f1_score if name == "f1_samples" else jaccard_score
    return score(t, g, average="samples", zero_division=1)


def random_sets(rng: np.random.Generator, rows: int, labels: list[str]) -> list[set]:
    sizes = rng.integers(0, len(labels) + 1, rows)
    return [set(rng.choice(labels, int(size), replace=False)) for size in sizes]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_label_column_form_matches_scikit_learn_on_random_sets(name, seed):
    rng = np.random.default_rng(seed)
    truth = random_sets(rng, 60, LABELS[:6])
    guess = random_sets(rng, 60, LABELS)  # l6 and l7 never in the truth: false positives
    assert engine(name, truth, guess) == pytest.approx(reference(name, truth, guess))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [6, 7, 8])
def test_the_zero_one_column_form_matches_scikit_learn_on_random_matrices(name, seed):
    rng = np.random.default_rng(seed)
    truth, guess = rng.random((50, 5)) < 0.3, rng.random((50, 5)) < 0.4
    truth[:4], guess[:2] = False, False  # empty rows on both sides and on one
    expected = {"f1_samples": lambda: f1_score(truth, guess, average="samples", zero_division=1),
                "jaccard_samples": lambda: jaccard_score(truth, guess, average="samples",
                                                         zero_division=1),
                "hamming_loss": lambda: hamming_loss(truth, guess)}[name]()  # fmt: skip
    assert METRICS[name].compute(truth, guess) == pytest.approx(expected)


EDGES = {
    "empty rows": ([set(), {"a"}, set()], [set(), {"a"}, {"b"}]),
    "one label": ([{"a"}, set(), {"a"}, {"a"}], [{"a"}, {"a"}, set(), {"a"}]),
    "all labels": ([{"a", "b", "c"}] * 3, [{"a", "b", "c"}, {"a"}, {"a", "b", "c", "d"}]),
    "nothing found": ([{"a"}, {"b"}], [{"b"}, {"c"}]),
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("case", EDGES)
def test_edge_cases_match_scikit_learn(name, case):
    truth, guess = EDGES[case]
    assert engine(name, truth, guess) == pytest.approx(reference(name, truth, guess))


def test_a_row_empty_on_both_sides_counts_one_and_extra_labels_are_false_positives():
    assert engine("f1_samples", [set(), {"a"}], [set(), {"a"}]) == 1.0
    assert engine("jaccard_samples", [set(), {"a"}], [{"z"}, {"a"}]) == 0.5
    # Two rows, one truth label: each unknown label adds an error, never a column.
    assert engine("hamming_loss", [{"a"}, {"a"}], [{"a", "x", "y"}, {"a"}]) == 1.0


def test_hamming_loss_is_undefined_where_the_truth_uses_no_label():
    with pytest.raises(ValueError):
        engine("hamming_loss", [set(), set()], [{"a"}, set()])


# Labels named so that a leak of the truth into a message would show. Public: a1 a3 a5.
TRUTH = ["t1 t2", "", "t3", "t1", "t2 t3", "t4"]


def test_the_engine_scores_each_side_of_a_label_column(make_problem):
    problem = make_problem("jaccard_samples", {"tags": TRUTH})
    guess = ["t1", "x", "t3", "t1 t4", " t3   t2 ", ""]
    result = problem.submit(csv_text("id,tags", list(zip(IDS, guess, strict=True))))
    assert result["status"] == "scored", result
    assert result["public"] == pytest.approx((1 / 2 + 1 + 1) / 3)
    assert result["private"] == pytest.approx((0 + 1 / 2 + 0) / 3)


def test_the_engine_scores_zero_one_columns_with_the_solutions_label_set(make_problem):
    truth = {"rain": ["1", "0", "0", "1", "1", "0"], "wind": ["0", "0", "1", "1", "0", "0"]}
    problem = make_problem("hamming_loss", truth)
    rows = [(i, "1", "1") for i in IDS]
    result = problem.submit(csv_text("id,rain,wind", rows))
    assert result["status"] == "scored", result
    assert result["public"] == pytest.approx((1 + 1 + 1) / 6)  # a1 a3 a5: one miss each
    assert result["private"] == pytest.approx((2 + 0 + 2) / 6)


BAD = [
    ("id,tags\n", "a1,x x\n", "In column 'tags', 1 row repeats a label (first at line 2: 'x x'). "
     "Each label may appear once in a row.", "같은 레이블"),
    ("id,rain,wind\n", "a1,1,yes\n", "In column 'wind', 1 value is not 0 or 1 (first at line 2: "
     "'yes'). Write 1 where the label applies and 0 where it does not.", "0 또는 1"),
]  # fmt: skip


@pytest.mark.parametrize(("header", "first", "message", "korean"), BAD)
def test_a_bad_value_is_refused_by_row_and_column_in_both_languages(
    app, make_problem, header, first, message, korean
):
    columns = header.strip().split(",")[1:]
    truth = {c: TRUTH if len(columns) == 1 else ["1", "0"] * 3 for c in columns}
    problem = make_problem("f1_samples", truth)
    rest = "".join(f"{i}{',0' * len(columns)}\n" for i in IDS[1:])
    # The whole message is given: no truth in it (the leak check would read counts as labels).
    assert problem.submit(header + first + rest) == {"status": "invalid", "message": message}
    with force_locale("ko"):
        shown = translate(message)
    assert korean in shown and "row" not in shown and "value" not in shown, shown


def test_a_solution_column_that_is_not_zero_one_is_a_setup_error(make_problem):
    problem = make_problem("f1_samples", {"rain": ["1", "0", "2", "0", "1", "0"],
                                          "wind": ["0"] * 6})  # fmt: skip
    result = problem.submit(csv_text("id,rain,wind", [(i, "0", "0") for i in IDS]))
    assert result == {
        "status": "error",
        "message": "The solution's column 'rain' has values other than 0 and 1.",
    }
