"""`judge score` without a problem runs the production validation and scorer, sandboxed, on
local files, with a split that a salt fixes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from judge.core.cli import main
from judge.scoring.engine.splits import fraction_split

IDS = [str(i) for i in range(200)]
SOLUTION = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(200))


class Command:
    """``judge …`` as a user runs it (the group itself, which never loads the app for
    ``score``), with this test's sandbox settings in the environment."""

    def __init__(self, app) -> None:
        self.env = {"JUDGE_SANDBOX_ROOT": app.config["SANDBOX_ROOT"],
                    "JUDGE_SANDBOX_UID_BASE": str(app.config["SANDBOX_UID_BASE"]),
                    "JUDGE_BABEL_DEFAULT_LOCALE": "en"}  # fmt: skip

    def invoke(self, args: list[str]):
        return CliRunner().invoke(main, args, env=self.env)


@pytest.fixture
def runner(app, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "")  # FlaskGroup sets it; undone after the test
    return Command(app)


@pytest.fixture
def files(tmp_path):
    solution = tmp_path / "solution.csv"
    solution.write_text(SOLUTION)
    return tmp_path, solution


def run(runner, *args):
    result = runner.invoke(args=["score", *map(str, args)])
    return result.exit_code, json.loads(result.output.strip().splitlines()[-1])


def test_perfect_predictions_score_one_on_both_splits(runner, files):
    tmp, solution = files
    submission = tmp / "perfect.csv"
    submission.write_text(SOLUTION)
    code, payload = run(runner, solution, submission, "--metric", "accuracy",
                        "--public-fraction", "0.3")  # fmt: skip
    assert code == 0
    public = int((fraction_split(IDS, "judge", 0.3) == "public").sum())
    assert payload == {"status": "scored", "public": 1.0, "private": 1.0, "split": {
        "method": "fraction", "salt": "judge", "public_fraction": 0.3,
        "public_rows": public, "private_rows": 200 - public}}  # fmt: skip


def test_a_salt_fixes_the_split(runner, files):
    tmp, solution = files
    guesses = tmp / "guesses.csv"
    guesses.write_text("id,label\n" + "".join(f"{i},{i % 3 % 2}\n" for i in range(200)))
    args = [solution, guesses, "--metric", "accuracy", "--public-fraction", "0.5"]
    first, again = run(runner, *args), run(runner, *args)
    assert first == again
    _code, salted = run(runner, *args, "--salt", "other")
    public = int((fraction_split(IDS, "other", 0.5) == "public").sum())
    assert salted["split"]["salt"] == "other"
    assert salted["split"]["public_rows"] == public
    assert salted["public"] != first[1]["public"]


@pytest.mark.parametrize(
    ("guess", "code", "status"), [(lambda i: i % 2, 0, "scored"), (lambda i: "x", 1, "invalid")]
)
def test_the_program_itself_prints_its_answer_and_status(runner, files, guess, code, status):
    """The installed ``judge`` program (which ends without the interpreter's teardown once
    it has scored) prints the whole JSON line and exits with the scoring's status."""
    tmp, solution = files
    guesses = tmp / "guesses.csv"
    guesses.write_text("id,label\n" + "".join(f"{i},{guess(i)}\n" for i in range(200)))
    program = Path(sys.executable).with_name("judge")
    done = subprocess.run(
        [str(program), "score", str(solution), str(guesses), "--metric", "accuracy",
         "--public-fraction", "0.3"], env={**os.environ, **runner.env}, capture_output=True,
        text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == code, done.stderr[-2000:]
    payload = json.loads(done.stdout.strip().splitlines()[-1])
    assert payload["status"] == status
    assert (payload.get("public"), payload.get("private")) == (
        (1.0, 1.0) if status == "scored" else (None, None)
    )


def test_without_a_problem_the_metric_is_needed(runner, files):
    _tmp, solution = files
    result = runner.invoke(args=["score", str(solution), str(solution)])
    assert result.exit_code == 2
    assert "Give --problem, or --metric" in result.output


def test_usage_column_split_and_a_validation_error(runner, files):
    tmp, _solution = files
    solution = tmp / "usage.csv"
    solution.write_text("id,label,Usage\na,1,Public\nb,0,Private\nc,1,Private\n")
    submission = tmp / "missing.csv"
    submission.write_text("id,label\na,1\nb,0\n")
    code, payload = run(runner, solution, submission, "--metric", "accuracy")
    assert code == 1
    assert payload["status"] == "invalid"
    assert "has no prediction" in payload["message"]


def test_broken_solution_is_reported(runner, files):
    tmp, _solution = files
    solution = tmp / "dupes.csv"
    solution.write_text("id,label\n1,0\n1,1\n")
    code, payload = run(runner, solution, solution, "--metric", "accuracy",
                        "--public-fraction", "0.5")  # fmt: skip
    assert code == 2
    assert payload["status"] == "invalid_solution"
    assert "duplicated" in payload["message"]


def test_a_metric_takes_its_settings_from_options(runner, files):
    tmp, _solution = files
    solution = tmp / "demand.csv"
    solution.write_text("id,y,Usage\na,10,Public\nb,20,Private\nc,30,Private\n")
    submission = tmp / "quantiles.csv"
    submission.write_text("id,low,high\na,0,20\nb,10,30\nc,20,40\n")
    args = [solution, submission, "--metric", "pinball", "--prediction-columns", "low,high"]
    code, payload = run(runner, *args, "--options", "quantiles=0.1 0.9")
    assert (code, payload["status"]) == (0, "scored")
    assert payload["public"] == pytest.approx(1.0) and payload["private"] == pytest.approx(1.0)
    code, payload = run(runner, *args)
    assert (code, payload["status"]) == (2, "invalid_options")
    assert "needs the setting “quantiles”" in payload["message"]


def test_all_rows_scores_every_row_on_both_sides(runner, files):
    tmp, solution = files
    guesses = tmp / "guesses.csv"
    guesses.write_text("id,label\n" + "".join(f"{i},{int(i < 50)}\n" for i in range(200)))
    code, payload = run(runner, solution, guesses, "--metric", "accuracy", "--all-rows")
    assert code == 0
    right = sum(int(i < 50) == i % 2 for i in range(200)) / 200
    assert payload == {
        "status": "scored",
        "public": right,
        "private": right,
        "split": {
            "method": "all",
            "public_fraction": None,
            "public_rows": 200,
            "private_rows": 200,
        },
    }
    result = runner.invoke(args=["score", str(solution), str(guesses), "--metric", "accuracy",
                                 "--all-rows", "--public-fraction", "0.3"])  # fmt: skip
    assert result.exit_code == 2 and "not both" in result.output


# The ids on the public side under the default salt and --public-fraction 0.3, as the split
# placed them before it was made faster: scores of existing files must not move.
# fmt: off
PINNED_PUBLIC = {
    10, 12, 16, 21, 23, 24, 25, 27, 32, 36, 38, 39, 40, 42, 43, 45, 52, 60, 61, 65, 70, 72, 73,
    74, 83, 91, 92, 98, 103, 109, 111, 113, 114, 116, 119, 123, 126, 127, 128, 129, 130, 136,
    137, 138, 141, 143, 146, 148, 157, 158, 163, 165, 166, 167, 168, 169, 171, 172, 173, 174,
    175, 179, 181, 182, 183, 184, 186, 190, 192, 195, 197,
}
# fmt: on


def test_each_id_scores_on_the_side_it_always_did(runner, files):
    tmp, solution = files
    right_on_public = tmp / "public_only.csv"
    right_on_public.write_text(
        "id,label\n"
        + "".join(f"{i},{i % 2 if i in PINNED_PUBLIC else 1 - i % 2}\n" for i in range(200))
    )
    code, payload = run(runner, solution, right_on_public, "--metric", "accuracy",
                        "--public-fraction", "0.3")  # fmt: skip
    assert code == 0
    assert (payload["public"], payload["private"]) == (1.0, 0.0)
    assert payload["split"]["public_rows"] == len(PINNED_PUBLIC) == 71


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["7,0", "3,1", "8,0", "3,0", "7,1", "7,0"],
         "The id column has 2 duplicated ids, for example: 3, 7"),
        (["7,0", "3,1", " ,0", "8,1", ",0"], "2 rows have an empty id (first at line 4)."),
    ],
)  # fmt: skip
def test_bad_ids_get_the_same_message(runner, files, rows, message):
    tmp, _solution = files
    solution = tmp / "bad.csv"
    solution.write_text("id,label\n" + "\n".join(rows) + "\n")
    code, payload = run(runner, solution, solution, "--metric", "accuracy",
                        "--public-fraction", "0.5")  # fmt: skip
    assert code == 2
    assert payload == {"status": "invalid_solution", "message": message}
