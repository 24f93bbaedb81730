"""One test per bad submission: the message says what is wrong and carries no solution value.

``Problem.invalid`` checks that no target value of the solution appears in
the message; the targets below are chosen so that such a leak would show.
"""

from __future__ import annotations

import pytest

from .conftest import IDS, csv_text

VALUES = ["101.25", "202.5", "303.75", "404.125", "505.5", "606.625"]
LABELS = ["cat_x", "dog_x", "cat_x", "dog_x", "bird_x", "cat_x"]
BINARY = ["yes_x", "no_x", "yes_x", "no_x", "yes_x", "no_x"]


@pytest.fixture
def regression(make_problem):
    return make_problem("rmse", {"target": VALUES})


@pytest.fixture
def binary(make_problem):
    return make_problem("roc_auc", {"target": BINARY})


def rows(values, ids=IDS):
    return list(zip(ids, values, strict=True))


def test_missing_id_column(regression):
    message = regression.invalid(csv_text("key,target", rows([1] * 6)))
    assert "no id column 'id'" in message
    assert "'key'" in message
    assert "header: id,target" in message


def test_missing_prediction_column(regression):
    message = regression.invalid(csv_text("id", [(i,) for i in IDS]))
    assert "lacks the columns 'target'" in message


def test_extra_columns_are_named(regression):
    text = csv_text("id,target,note,비고", [(i, 1, "x", "y") for i in IDS])
    message = regression.invalid(text)
    assert "not expected: 'note', '비고'" in message


def test_column_names_are_case_sensitive(regression):
    message = regression.invalid(csv_text("ID,target", rows([1] * 6)))
    assert "no id column 'id'" in message
    assert "case-sensitive" in message


def test_a_file_without_header(regression):
    message = regression.invalid(csv_text("a1,1", rows([1] * 6)[1:]))
    assert "The first line must be the header: id,target" in message


def test_duplicate_ids_with_count_and_examples(regression):
    ids = ["a1", "a2", "a2", "a3", "a3", "a4", "a5", "a6"]
    message = regression.invalid(csv_text("id,target", rows([1] * 8, ids)))
    assert "2 ids appear more than once (first at line 4), for example 'a2', 'a3'." in message


def test_missing_ids_with_count_and_examples(regression):
    message = regression.invalid(csv_text("id,target", rows([1] * 3, IDS[:3])))
    assert "3 test ids have no prediction, for example 'a4', 'a5', 'a6'." in message


def test_many_missing_ids_show_five_examples(make_problem):
    ids = [f"t{i:02d}" for i in range(20)]
    problem = make_problem("rmse", {"target": [f"{i}.125" for i in range(20)]}, ids=ids)
    message = problem.invalid(csv_text("id,target", rows([1] * 2, ids[:2])))
    examples = "'t02', 't03', 't04', 't05', 't06' and 13 more."
    assert f"18 test ids have no prediction, for example {examples}" in message


def test_unknown_ids_with_count_and_examples(regression):
    ids = [*IDS, "zz1", "zz2"]
    message = regression.invalid(csv_text("id,target", rows([1] * 8, ids)))
    assert "2 ids are not in the test set (first at line 8), for example 'zz1', 'zz2'." in message


def test_all_id_problems_in_one_message(regression):
    ids = ["a1", "a1", "b9", "a3", "a4", "a5"]
    message = regression.invalid(csv_text("id,target", rows([1] * 6, ids)))
    assert "1 id appears more than once" in message
    assert "1 id is not in the test set" in message
    assert "2 test ids have no prediction, for example 'a2', 'a6'." in message


def test_empty_ids(regression):
    ids = ["a1", "", "a3", "a4", "a5", "a6"]
    message = regression.invalid(csv_text("id,target", rows([1] * 6, ids)))
    assert "1 row has an empty id (first at line 3)." in message


def test_ids_must_match_exactly(make_problem):
    problem = make_problem("rmse", {"target": VALUES}, ids=[str(i) for i in range(1, 7)])
    text = csv_text("id,target", rows([1] * 6, [f"{i}.0" for i in range(1, 7)]))
    message = problem.invalid(text)
    assert "6 ids are not in the test set" in message
    assert "'1.0'" in message


def test_text_in_a_value_column_names_column_and_line(regression):
    message = regression.invalid(csv_text("id,target", rows([1, 2, "abc", 4, "n/a?", 6])))
    assert message == ("In column 'target', 2 values are not numbers (first at line 4: 'abc').")


def test_missing_and_nan_values(regression):
    message = regression.invalid(csv_text("id,target", rows([1, 2, 3, "", "NaN", 6])))
    assert message == "In column 'target', 2 values are missing or NaN (first at line 5)."


def test_infinite_values(regression):
    message = regression.invalid(csv_text("id,target", rows([1, "inf", 3, 4, 5, 6])))
    assert message == "In column 'target', 1 value is infinite (first at line 3)."


def test_probabilities_outside_zero_and_one(binary):
    message = binary.invalid(csv_text("id,target", rows([0.1, 1.3, 0.5, -0.2, 0.5, 0.5])))
    assert "2 values are outside [0, 1] (first at line 3: '1.3')" in message


def test_text_in_a_probability_column(binary):
    message = binary.invalid(csv_text("id,target", rows([0.1, 0.2, "yes", 0.4, 0.5, 0.6])))
    assert message == "In column 'target', 1 value is not a number (first at line 4: 'yes')."


def test_values_are_checked_on_every_row_whatever_its_side(make_problem):
    # a NaN on an ignored row is refused like any other, so refusals reveal no sides
    sides = ["public", "private", "ignored", "public", "private", "ignored"]
    problem = make_problem("rmse", {"target": VALUES}, sides=sides)
    message = problem.invalid(csv_text("id,target", rows([1, 2, "nan", 4, 5, 6])))
    assert "1 value is missing or NaN (first at line 4)" in message


def test_rmsle_refuses_negative_predictions(make_problem):
    problem = make_problem("rmsle", {"target": VALUES})
    message = problem.invalid(csv_text("id,target", rows([1, 2, -3.5, 4, 5, 6])))
    assert "1 value is negative (first at line 4: '-3.5')" in message
    assert "rmsle needs predictions of 0 or more" in message


def test_integer_labels_compare_as_numbers(make_problem):
    problem = make_problem("accuracy", {"target": ["1", "2", "3", "1", "2", "3"]})
    text = csv_text("id,target", rows(["1.0", "2", " 3 ", "1", "2.00", "3"]))
    assert problem.submit(text) == {"status": "scored", "public": 1.0, "private": 1.0, "rows": 6}


def test_probabilities_submitted_for_labels(make_problem):
    problem = make_problem("accuracy", {"target": ["10", "20", "30", "10", "20", "30"]})
    message = problem.invalid(csv_text("id,target", rows([10, 0.73, 30, 10, 20, 30])))
    assert "1 label is not a whole number (first at line 3: '0.73')" in message
    assert "not probabilities" in message


def test_text_where_labels_are_numbers(make_problem):
    problem = make_problem("accuracy", {"target": ["10", "20", "30", "10", "20", "30"]})
    message = problem.invalid(csv_text("id,target", rows([10, "cat", 30, 10, 20, 30])))
    assert "1 label is not a number (first at line 3: 'cat')" in message


def test_empty_labels(make_problem):
    problem = make_problem("accuracy", {"target": LABELS})
    message = problem.invalid(csv_text("id,target", rows(["cat", "", "dog", " ", "cat", "dog"])))
    assert message == "In column 'target', 2 labels are empty (first at line 3)."


def test_text_labels_are_compared_trimmed(make_problem):
    problem = make_problem("accuracy", {"target": LABELS})
    text = csv_text("id,target", rows([f" {label}" for label in LABELS]))
    assert problem.submit(text)["public"] == 1.0


def test_multiclass_rows_must_add_up_to_one(make_problem):
    problem = make_problem(
        "log_loss", {"target": LABELS}, prediction_columns=["cat_x", "dog_x", "bird_x"]
    )
    good = (0.5, 0.3, 0.2)
    probabilities = [good, good, (0.5, 0.5, 0.5), good, good, good]
    lines = [(i, *p) for i, p in zip(IDS, probabilities, strict=True)]
    text = csv_text("id,cat_x,dog_x,bird_x", lines)
    result = problem.submit(text)
    assert result["status"] == "invalid"
    assert result["message"] == (
        "The probabilities in each row must add up to 1, but 1 row does not "
        "(first at line 4, which adds up to 1.5)."
    )
