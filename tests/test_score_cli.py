"""`judge score` runs the production validation and scorer, sandboxed, on local files."""

import json

import pytest

SOLUTION = "id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(200))


@pytest.fixture
def files(tmp_path):
    solution = tmp_path / "solution.csv"
    solution.write_text(SOLUTION)
    return tmp_path, solution


def run(runner, *args):
    result = runner.invoke(args=["score", *args])
    return result.exit_code, json.loads(result.output.strip().splitlines()[-1])


def test_perfect_predictions_score_one_on_both_splits(runner, files):
    tmp, solution = files
    submission = tmp / "perfect.csv"
    submission.write_text(SOLUTION)
    code, payload = run(runner, "--metric", "accuracy", "--solution", str(solution),
                        "--submission", str(submission), "--public-fraction", "0.3")  # fmt: skip
    assert code == 0
    assert payload == {"status": "scored", "public": 1.0, "private": 1.0}


def test_usage_column_split_and_a_validation_error(runner, files):
    tmp, _solution = files
    solution = tmp / "usage.csv"
    solution.write_text("id,label,Usage\na,1,Public\nb,0,Private\nc,1,Private\n")
    submission = tmp / "missing.csv"
    submission.write_text("id,label\na,1\nb,0\n")
    code, payload = run(runner, "--metric", "accuracy", "--solution", str(solution),
                        "--submission", str(submission))  # fmt: skip
    assert code == 1
    assert payload["status"] == "invalid"
    assert "has no prediction" in payload["message"]


def test_broken_solution_is_reported(runner, files):
    tmp, _solution = files
    solution = tmp / "dupes.csv"
    solution.write_text("id,label\n1,0\n1,1\n")
    code, payload = run(runner, "--metric", "accuracy", "--solution", str(solution),
                        "--submission", str(solution), "--public-fraction", "0.5")  # fmt: skip
    assert code == 2
    assert payload["status"] == "invalid_solution"
    assert "duplicated" in payload["message"]


def test_a_metric_takes_its_settings_from_options(runner, files):
    tmp, _solution = files
    solution = tmp / "demand.csv"
    solution.write_text("id,y,Usage\na,10,Public\nb,20,Private\nc,30,Private\n")
    submission = tmp / "quantiles.csv"
    submission.write_text("id,low,high\na,0,20\nb,10,30\nc,20,40\n")
    args = ["--metric", "pinball", "--solution", str(solution), "--submission", str(submission),
            "--prediction-columns", "low,high"]  # fmt: skip
    code, payload = run(runner, *args, "--options", "quantiles=0.1 0.9")
    assert (code, payload["status"]) == (0, "scored")
    assert payload["public"] == pytest.approx(1.0) and payload["private"] == pytest.approx(1.0)
    code, payload = run(runner, *args)
    assert (code, payload["status"]) == (2, "invalid_options")
    assert "needs the setting “quantiles”" in payload["message"]
