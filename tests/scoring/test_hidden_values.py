"""A file written by a team's program that read hidden inputs (``quote_values`` off): every
message names lines and columns, and quotes none of the file's values."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from judge.scoring.messages import translate
from tests.i18n.test_engine_messages import english_left

from .conftest import IDS

SMUGGLED = "hidden-row-4711"  # what the program read and tries to get out


@pytest.fixture
def hidden(make_problem):
    def make(metric: str, targets: dict, **options):
        problem = make_problem(metric, targets, **options)
        problem.job["quote_values"] = False
        return problem

    return make


ROWS = "".join(f"{i},0.5\n" for i in IDS)
CASES = [
    ("rmse", "id,target\n" + ROWS.replace("a1,0.5", f"a1,{SMUGGLED}"),
     "In column 'target', 1 value is not a number (first at line 2)."),
    ("rmse", "id,target\n" + ROWS.replace("a1,", f"{SMUGGLED},"),
     "1 id is not in the test set (first at line 2). 1 test id has no prediction."),
    ("rmse", "id,target\n" + ROWS.replace("a2,", "a1,").replace("a1,", f"{SMUGGLED},"),
     "1 id appears more than once (first at line 3). 1 id is not in the test set (first at "
     "line 2). 2 test ids have no prediction."),
    ("rmse", f"id,target,{SMUGGLED}\n" + ROWS.replace("\n", ",x\n"),
     "The file has 1 column that is not expected (first at column 3)."),
    ("rmse", f"id,target,{SMUGGLED},{SMUGGLED}\n" + ROWS.replace("\n", ",x,y\n"),
     "The header repeats a column name (first at column 4)."),
    ("rmse", "id,target\n" + ROWS.replace("a1,0.5", f"a1,{SMUGGLED}{'x' * 200_000},9"),
     "The file could not be read as CSV."),
    ("log_loss", "id,cat_x,dog_x\n" + "".join(f"{i},0.4711,0.2\n" for i in IDS),
     "The probabilities in each row must add up to 1, but 6 rows do not (first at line 2)."),
]  # fmt: skip
NUMBERS = {"target": ["10.25", "20.5", "30.75", "40.125", "50.5", "60.625"]}
TARGETS = {"rmse": (NUMBERS, {}),
           "log_loss": ({"label": ["cat_x", "dog_x"] * 3},
                        {"prediction_columns": ["cat_x", "dog_x"]})}  # fmt: skip


@pytest.mark.parametrize(("metric", "content", "message"), CASES)
def test_messages_name_lines_and_columns_only(app, hidden, metric, content, message):
    targets, options = TARGETS[metric]
    problem = hidden(metric, targets, **options)
    said = problem.invalid(content)
    assert message in said, said
    assert SMUGGLED not in said and "4711" not in said
    with force_locale("ko"):
        assert english_left(translate(said)) == [], translate(said)
