"""The bundle's own solutions (Codabench's ``solutions``): kept at import for their tasks,
offered as the baseline run on the problem's page, scored by the real worker, and the problem
published once it scored; hidden from teams like the reference data."""

from __future__ import annotations

import html
import zipfile

import sqlalchemy as sa
import yaml

from judge.core import storage
from judge.core.extensions import db
from judge.submissions import jobs
from judge.submissions.models import Status, Submission
from tests.bundles.test_baseline import KO, REFUSED, text
from tests.bundles.test_bundles import (
    CODABENCH_YAML,
    PROGRAM,
    TRUTH,
    problems_of,
    write_bundle,
)

SOLUTIONS = """
solutions:
  - index: 0
    name: Reference predictions
    tasks: [0]
    path: solution/
"""
FILES = {"evaluation.md": "Accuracy.", "scoring_program.zip": PROGRAM,
         "reference_data/truth.csv": TRUTH, "public_data/train.csv": "id,x\n1,2\n"}  # fmt: skip


def import_bundle(runner, competition, tmp_path, solutions: str = SOLUTIONS,
                  extra: dict | None = None):  # fmt: skip
    files = {"competition.yaml": CODABENCH_YAML + solutions, **FILES, **(extra or {})}
    bundle = write_bundle(tmp_path / "with-solution.zip", files)
    return runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])


def contents(key: str) -> dict[str, bytes]:
    with zipfile.ZipFile(storage.path_of(key)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}


def test_published_after_the_bundles_own_solution_scored(runner, client, login, api,
                                                         competition, make, tmp_path):  # fmt: skip
    result = import_bundle(runner, competition, tmp_path, extra={"solution/pred.csv": TRUTH})
    assert result.exit_code == 0, result.output
    assert (
        "Task “Defect task”: the bundle's solution “Reference predictions” is kept; run it "
        "as the baseline on the problem's page before publishing."
    ) in result.output
    [problem] = problems_of(competition)
    problem.opens_at = problem.closes_at = None
    db.session.commit()
    assert contents(problem.bundle_solution_key) == {"pred.csv": TRUTH.encode()}
    here = f"/c/{competition.slug}/p/{problem.slug}"
    organizer = competition.roles[0].user
    login(organizer)
    assert REFUSED in text(client.post(f"{here}/publish", follow_redirects=True))
    manage = text(client.get(f"{here}/manage"))
    assert "“Reference predictions”" in manage and "Run the bundle's solution" in manage
    assert "번들의 솔루션" in client.get(f"{here}/manage", headers=KO).text

    client.post(f"{here}/baseline/bundle-solution")
    run = db.session.scalars(sa.select(Submission).where(Submission.team_id.is_(None))).one()
    assert run.storage_key == problem.bundle_solution_key and run.filename.endswith(".zip")
    jobs.score_submission(run.id, "test-worker")
    db.session.expire_all()
    run = db.session.get(Submission, run.id)
    assert run.status == Status.SCORED, run.log
    assert run.public_score == run.private_score == 1.0
    published = api.post(f"/problems/{problem.id}/publish", as_=organizer)
    assert published.status_code == 200 and published.json["published"] is True

    leader = make.user()
    make.team(competition, leader)
    login(leader)
    assert client.get(f"{here}/manage").status_code in (403, 404)
    assert "Reference predictions" not in html.unescape(client.get(here).text)
    assert client.post(f"{here}/baseline/bundle-solution").status_code in (403, 404)
    assert db.session.scalar(sa.select(sa.func.count()).where(Submission.team_id.is_(None))) == 1

    out = tmp_path / "export.zip"
    exported = runner.invoke(args=["export-bundle", str(out), "--competition", competition.slug,
                                   "--problem", problem.slug])  # fmt: skip
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(out) as bundle:
        solutions = yaml.safe_load(bundle.read("competition.yaml"))["solutions"]
    assert solutions == [{"index": 0, "name": "Reference predictions", "tasks": [0],
                          "path": "solution.zip"}]  # fmt: skip
    target = make.competition()
    again = runner.invoke(args=["import-bundle", str(out), "--competition", target.slug])
    assert again.exit_code == 0, again.output
    [copy] = problems_of(target)
    assert copy.bundle_solution_name == "Reference predictions"
    assert contents(copy.bundle_solution_key) == {"pred.csv": TRUTH.encode()}


def test_a_problem_without_a_bundle_solution_offers_none(runner, client, login, competition,
                                                        tmp_path):  # fmt: skip
    result = import_bundle(runner, competition, tmp_path, solutions="")
    assert result.exit_code == 0, result.output
    [problem] = problems_of(competition)
    here = f"/c/{competition.slug}/p/{problem.slug}"
    login(competition.roles[0].user)
    assert "Run the bundle's solution" not in client.get(f"{here}/manage").text
    page = text(client.post(f"{here}/baseline/bundle-solution", follow_redirects=True))
    assert "This problem has no solution from its bundle; upload a file instead." in page
    assert db.session.scalars(sa.select(Submission)).all() == []


def test_solutions_that_name_no_task_or_no_file_are_refused_clearly(runner, competition,
                                                                   tmp_path):  # fmt: skip
    bad = SOLUTIONS + "  - {index: 1, tasks: [7], path: solution/}\n  - {index: 2, tasks: [0]," \
                      " path: missing.zip}\n  - {index: 3, tasks: [0], key: 1b2c}\n"  # fmt: skip
    result = import_bundle(runner, competition, tmp_path, bad, {"solution/pred.csv": TRUTH})
    assert result.exit_code != 0
    for line in (
        "competition.yaml: solutions[1].tasks: “[7]” must name the indexes of the bundle's tasks.",
        "competition.yaml: solutions[2].path names “missing.zip”, which is not in the bundle.",
        "competition.yaml: solutions[3] has no path to the solution in the bundle.",
    ):
        assert line in result.output
    assert problems_of(competition) == []
