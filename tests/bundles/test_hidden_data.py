"""Input data of a bundle is published only when the bundle says so; reference data never."""

from __future__ import annotations

import sqlalchemy as sa

from judge.core.extensions import db
from judge.problems.models import Problem, ProblemFile
from tests.bundles.conftest import publish_without_baseline
from tests.bundles.test_bundles import PROGRAM, TRUTH, write_bundle

HIDDEN_INPUT = "secret-input-row 17 42\n"
HIDDEN_ANSWERS = "secret-answer 0 1 1\n"


def bundle_yaml(extra: str = "") -> str:
    return f"""
version: 2
title: Hidden inputs
{extra}
tasks:
  - index: 0
    name: Hidden inputs task
    scoring_program: scoring_program.zip
    reference_data: reference_data/
    input_data: input_data/
phases:
  - index: 0
    name: Development
    tasks: [0]
    public_data: public_data/
leaderboards:
  - index: 0
    title: Results
    key: main
    columns:
      - {{title: Accuracy, key: acc, index: 0}}
"""


def import_and_publish(runner, competition, tmp_path, extra: str = "") -> tuple[Problem, str]:
    bundle = write_bundle(tmp_path / "b.zip", {
        "competition.yaml": bundle_yaml(extra), "scoring_program.zip": PROGRAM,
        "reference_data/truth.csv": TRUTH, "reference_data/train.solution": HIDDEN_ANSWERS,
        "input_data/test.txt": HIDDEN_INPUT, "input_data/train.solution.txt": HIDDEN_ANSWERS,
        "public_data/train.csv": "id,x\n1,2\n"})  # fmt: skip
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code == 0, result.output
    problem = db.session.scalars(sa.select(Problem).where(Problem.competition == competition)).one()
    problem.opens_at = problem.closes_at = None
    publish_without_baseline(problem)
    db.session.commit()
    return problem, result.output


def test_input_data_without_an_ingestion_program_stays_hidden(
    runner, client, login, competition, make, api, tmp_path
):
    problem, output = import_and_publish(runner, competition, tmp_path)
    assert "its input data stays hidden" in output
    leader = make.user()
    make.team(competition, leader)
    login(leader)
    page = client.get(f"/c/{competition.slug}/p/{problem.slug}").text
    assert "train.csv" in page
    for name in ("test.txt", "train.solution", "input_data", "truth.csv"):
        assert name not in page
    served = []
    for file_id in db.session.scalars(sa.select(ProblemFile.id)):  # every file id there is
        response = client.get(f"/c/{competition.slug}/p/{problem.slug}/files/{file_id}")
        served.append(response.get_data())
        api_file = api.get(f"/problems/{problem.id}/files/{file_id}", as_=leader)
        served.append(api_file.get_data())
    assert b"id,x\n1,2\n" in served
    assert not any(HIDDEN_INPUT.encode() in body or HIDDEN_ANSWERS.encode() in body
                   or b"r59," in body for body in served)  # fmt: skip
    assert client.get(f"/c/{competition.slug}/p/{problem.slug}/solution").status_code == 403
    listing = api.get(f"/problems/{problem.id}", as_=leader).get_data(as_text=True)
    assert "test.txt" not in listing and "train.solution" not in listing


def test_input_data_is_published_when_the_bundle_says_so(runner, competition, tmp_path):
    problem, output = import_and_publish(runner, competition, tmp_path,
                                         "make_input_data_available: true")  # fmt: skip
    assert "stays hidden" not in output
    assert sorted(f.filename for f in problem.files) == [
        "test.txt", "train.csv", "train.solution.txt"]  # fmt: skip
