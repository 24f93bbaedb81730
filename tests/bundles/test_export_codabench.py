"""judge's export passes the rules of Codabench's own unpacker (tests/bundles/codabench_rules,
read from Codabench's source), keeps pages, reference files and the runtime's image, and
imports back as the same problem."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

import yaml

from judge.core import storage
from judge.core.extensions import db
from judge.problems import programs
from judge.problems.models import Problem
from tests.bundles import codabench_rules
from tests.bundles.test_bundles import problems_of, write_bundle
from tests.bundles.test_task_uploads import FILES

SETTINGS = ("title", "description", "metric", "split_method", "daily_limit", "total_limit",
            "opens_at", "closes_at", "score_columns", "submission_kind", "hidden_inputs_filename",
            "code_limits", "runtime", "score_decimals")  # fmt: skip
LONG = "Share of the numbers told even or odd correctly, over all inputs"


def unpacked(archive, folder):
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(folder)
    return folder


def test_the_rules_refuse_what_codabench_refuses(tmp_path):
    root = tmp_path / "old"
    root.mkdir()
    (root / "competition.yaml").write_text(yaml.safe_dump({
        "version": 2, "title": "Old export",
        "pages": [{"title": "Overview", "file": "overview.md"}],
        "tasks": [{"index": 0, "name": "T", "reference_data": "reference_data/"}],
        "phases": [{"index": 0, "name": "Main", "tasks": [0]}],
        "leaderboards": [{"index": 0, "title": "Results", "key": "main",
                          "columns": [{"title": LONG, "key": "acc", "index": 0}]}]}))  # fmt: skip
    (root / "overview.md").write_text("")
    assert codabench_rules.refusals(root) == [
        "page overview.md missing or empty", "terms missing or empty", "image missing",
        "task T: no scoring program", "task T: reference_data not in the bundle",
        "phase 0: no start", "column acc: title missing or longer than 36",
    ]  # fmt: skip


def test_an_export_passes_codabenchs_rules_and_imports_as_the_same_problem(
    app, runner, make, tmp_path, monkeypatch
):
    images = {"codalab/*": "default", "codalab/codalab-legacy:py39": "default"}
    monkeypatch.setitem(app.config, "BUNDLE_DOCKER_IMAGES", images)
    make.user(admin=True)
    source, target = make.competition(), make.competition()
    upload = write_bundle(tmp_path / "task.zip", FILES)
    result = runner.invoke(args=["import-bundle", str(upload), "--competition", source.slug])
    assert result.exit_code == 0, result.output
    [problem] = problems_of(source)
    problem.opens_at = datetime(2026, 1, 5, tzinfo=UTC)  # begun, and open-ended
    problem.score_columns = [
        {"key": "score", "label": LONG, "higher_is_better": True, "precision": 3}
    ]
    db.session.commit()
    out = tmp_path / "export.zip"
    result = runner.invoke(args=["export-bundle", str(out), "--competition", source.slug,
                                 "--problem", problem.slug])  # fmt: skip
    assert result.exit_code == 0, result.output
    root = unpacked(out, tmp_path / "export")
    assert codabench_rules.refusals(root) == []
    data = yaml.safe_load((root / "competition.yaml").read_text())
    assert data["docker_image"] == "codalab/codalab-legacy:py39"  # the runtime's image name
    assert (root / "overview.md").read_text() == problem.description
    assert (root / "reference_data/even.solution").read_text() == FILES[
        "reference_data/even.solution"
    ]
    assert {p.name for p in (root / "ingestion_program").iterdir()} == {
        "ingest.py",
        "metadata.yaml",
    }
    assert data["leaderboards"][0]["columns"][0]["title"] == LONG[:36]

    result = runner.invoke(args=["import-bundle", str(out), "--competition", target.slug])
    assert result.exit_code == 0, result.output
    [copy] = problems_of(target)
    db.session.expire_all()
    problem, copy = db.session.get(Problem, problem.id), db.session.get(Problem, copy.id)
    assert {k: getattr(copy, k) for k in SETTINGS} == {k: getattr(problem, k) for k in SETTINGS}
    assert copy.opens_at == datetime(2026, 1, 5, tzinfo=UTC) and copy.closes_at is None
    assert copy.score_columns[0]["label"] == LONG
    assert copy.solution.storage_key == problem.solution.storage_key  # the same bytes
    assert copy.hidden_inputs_key == problem.hidden_inputs_key
    assert _program(copy.ingestion_program_key) == _program(problem.ingestion_program_key)
    assert _program(copy.scoring_program_key) == _program(problem.scoring_program_key)
    assert target.rules == ""  # the export's stand-in terms do not become rules
    assert programs.columns_of(copy)[0].label == LONG


def _program(key: str) -> dict[str, bytes]:
    with zipfile.ZipFile(storage.path_of(key)) as program:
        return {i.filename: program.read(i) for i in program.infolist()}
