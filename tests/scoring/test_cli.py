"""``python -s -E -m engine`` as the sandbox runs it: cwd holds the package, named ``engine``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import judge.scoring

from .conftest import IDS, csv_text

SCORING_DIR = Path(judge.scoring.__file__).parent


def run(problem, submission: Path, job: dict | str | None = None, cwd: Path = SCORING_DIR):
    folder = submission.parent
    job = job or problem.job
    (folder / "job.json").write_text(job if isinstance(job, str) else json.dumps(job))
    output = folder / "result.json"
    paths = {"job": folder / "job.json", "submission": submission}
    paths |= {"solution": problem.solution, "output": output}
    command = [sys.executable, "-s", "-E", "-m", "engine"]
    for name, path in paths.items():
        command += [f"--{name}", str(path)]
    completed = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    return completed, json.loads(output.read_text())


def test_scored(make_problem):
    problem = make_problem("accuracy", {"target": ["1", "0", "1", "0", "1", "0"]})
    submission = problem.write(csv_text("id,target", [(i, 1) for i in IDS]))
    completed, result = run(problem, submission)
    assert completed.returncode == 0, completed.stderr
    assert result == {"status": "scored", "public": 1.0, "private": 0.0, "rows": 6}


def test_invalid_exits_zero_with_the_message(make_problem):
    problem = make_problem("accuracy", {"target": ["1", "0", "1", "0", "1", "0"]})
    submission = problem.write("id;target\na1;1\n")
    completed, result = run(problem, submission)
    assert completed.returncode == 0
    assert result["status"] == "invalid"
    assert "semicolons" in result["message"]


def test_a_setup_problem_exits_one(make_problem):
    problem = make_problem("accuracy", {"target": ["1", "0", "1", "0", "1", "0"]})
    submission = problem.write(csv_text("id,target", [(i, 1) for i in IDS]))
    completed, result = run(problem, submission, job={**problem.job, "metric": "nope"})
    assert completed.returncode == 1
    assert result["status"] == "error"
    assert "malformed" in result["message"]


def test_an_unreadable_solution_is_a_setup_problem(make_problem):
    problem = make_problem("accuracy", {"target": ["1", "0", "1", "0", "1", "0"]})
    submission = problem.write(csv_text("id,target", [(i, 1) for i in IDS]))
    problem.solution.write_bytes(b"not parquet")
    completed, result = run(problem, submission)
    assert completed.returncode == 1
    assert result == {"status": "error", "message": "The prepared solution file cannot be read."}
    assert "not parquet" not in result["message"]


def test_an_unexpected_failure_hides_the_traceback(make_problem):
    problem = make_problem("accuracy", {"target": ["1", "0", "1", "0", "1", "0"]})
    submission = problem.write(csv_text("id,target", [(i, 1) for i in IDS]))
    completed, result = run(problem, submission, job="{not json")
    assert completed.returncode == 1
    assert result == {"status": "error", "message": "The scorer failed unexpectedly."}
    assert "Traceback" in completed.stderr


def test_the_package_runs_on_its_own_as_copied_into_the_sandbox(make_problem, tmp_path):
    shutil.copytree(SCORING_DIR / "engine", tmp_path / "sandbox" / "engine")
    problem = make_problem("accuracy", {"target": ["1", "0", "1", "0", "1", "0"]})
    submission = problem.write(csv_text("id,target", [(i, 1) for i in IDS]))
    completed, result = run(problem, submission, cwd=tmp_path / "sandbox")
    assert completed.returncode == 0, completed.stderr
    assert result["status"] == "scored"
