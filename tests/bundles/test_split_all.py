"""A bundle scores on all its reference rows, as Codabench does: the split "all"."""

from __future__ import annotations

import sqlalchemy as sa

from judge.core.extensions import db
from judge.problems.models import Problem, SplitMethod
from tests.bundles.test_bundles import write_bundle
from tests.bundles.test_import_defaults import run_import, the_problem, yaml_with

TRUTH = "id,label\n" + "".join(f"r{i},{i % 3}\n" for i in range(30))
BUILT_IN = """
version: 2
title: Built in
tasks:
  - index: 0
    name: Built-in task
    reference_data: reference_data/
    judge: {metric: accuracy%s}
"""


def import_built_in(runner, competition, tmp_path, judge: str = "", truth: str = TRUTH):
    bundle = write_bundle(tmp_path / "b.zip", {"competition.yaml": BUILT_IN % judge,
                                               "reference_data/truth.csv": truth})  # fmt: skip
    return runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])


def test_a_codabench_task_scores_all_its_reference_data_on_both_boards(runner, competition,
                                                                       tmp_path):  # fmt: skip
    result = run_import(runner, competition, tmp_path, yaml_with())
    assert result.exit_code == 0, result.output
    problem = the_problem(competition)
    assert (problem.split_method, problem.public_fraction) == (SplitMethod.ALL, None)
    assert problem.scores_all_rows


def test_a_reference_csv_without_a_split_scores_every_row_on_both_boards(runner, competition,
                                                                        tmp_path):  # fmt: skip
    result = import_built_in(runner, competition, tmp_path)
    assert result.exit_code == 0, result.output
    assert "every reference row scores both boards" in result.output
    problem = the_problem(competition)
    assert (problem.split_method, problem.public_fraction) == (SplitMethod.ALL, None)
    solution = problem.solution
    assert (solution.rows, solution.public_rows, solution.private_rows) == (30, 30, 30)


def test_the_judge_extension_still_chooses_the_split(runner, competition, tmp_path):
    result = import_built_in(runner, competition, tmp_path,
                             ", split_method: fraction, public_fraction: 0.5")  # fmt: skip
    assert result.exit_code == 0, result.output
    problem = the_problem(competition)
    assert (problem.split_method, problem.public_fraction) == (SplitMethod.FRACTION, 0.5)
    assert problem.solution.public_rows + problem.solution.private_rows == 30
    assert 0 < problem.solution.public_rows < 30


def test_a_usage_column_still_splits(runner, competition, tmp_path):
    usage = "id,label,Usage\n" + "".join(f"r{i},{i % 3},{'Public' if i < 10 else 'Private'}\n"
                                         for i in range(30))  # fmt: skip
    result = import_built_in(runner, competition, tmp_path, truth=usage)
    assert result.exit_code == 0, result.output
    problem = the_problem(competition)
    assert problem.split_method == SplitMethod.USAGE_COLUMN
    assert (problem.solution.public_rows, problem.solution.private_rows) == (10, 20)


def test_a_problem_scored_on_all_rows_exports_and_imports_unchanged(runner, make, tmp_path):
    make.user(admin=True)
    source, target = make.competition(), make.competition()
    problem = make.problem(source, solution=TRUTH, split_method=SplitMethod.ALL,
                           public_fraction=None)  # fmt: skip
    db.session.commit()
    out = tmp_path / "export.zip"
    result = runner.invoke(args=["export-bundle", str(out), "--competition", source.slug,
                                 "--problem", problem.slug])  # fmt: skip
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["import-bundle", str(out), "--competition", target.slug])
    assert result.exit_code == 0, result.output
    copy = db.session.scalars(sa.select(Problem).where(Problem.competition == target)).one()
    assert (copy.split_method, copy.public_fraction) == (SplitMethod.ALL, None)
    assert (copy.solution.public_rows, copy.solution.private_rows) == (30, 30)
