"""Write a problem as a Codabench version 2 bundle that the import reads back unchanged.

Codabench's own keys carry what both platforms share; judge's other settings (the split
and its salt, the id column, code limits, the runtime, …) ride along under ``judge:``.
The bundle holds the hidden solution: only organizers and the sponsor may export.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import yaml

from judge.core import storage
from judge.problems.models import Problem
from judge.problems.modes import BundlePart
from judge.problems.programs import columns_of

SOLUTION_ZIP = "solution.zip"
KEPT = ("metric", "metric_options", "id_column", "prediction_columns", "public_fraction",
        "split_salt", "min_interval_seconds", "failed_daily_limit", "max_final_selections",
        "blend_public_weight", "runtime", "code_limits", "score_decimals")  # fmt: skip


def export_problem(problem: Problem, target: Path) -> Path:
    """Write ``problem`` to the zip ``target``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("competition.yaml", yaml.safe_dump(_yaml(problem), allow_unicode=True,
                                                           sort_keys=False))  # fmt: skip
        bundle.writestr("overview.md", problem.description or "")
        solution = problem.solution
        if solution.is_files:
            _copy_zip(storage.path_of(solution.storage_key), bundle, "reference_data/")
        else:
            bundle.write(storage.path_of(solution.storage_key),
                         f"reference_data/{solution.filename}")  # fmt: skip
        for item in problem.files:
            bundle.write(storage.path_of(item.storage_key), f"public_data/{item.filename}")
        for part in problem.mode.bundle_parts():  # hidden inputs only where teams submit code
            _write_part(part, bundle)
        if problem.bundle_solution_key:
            bundle.write(storage.path_of(problem.bundle_solution_key), SOLUTION_ZIP)
    return target


def _write_part(part: BundlePart, bundle: zipfile.ZipFile) -> None:
    if part.filename is None:
        _copy_zip(storage.path_of(part.storage_key), bundle, f"{part.folder}/")
    else:
        bundle.write(storage.path_of(part.storage_key), f"{part.folder}/{part.filename}")


def _yaml(problem: Problem) -> dict:
    task = {"index": 0, "name": problem.title, "reference_data": "reference_data/",
            "judge": _judge_settings(problem)}  # fmt: skip
    task |= {part.folder: f"{part.folder}/" for part in problem.mode.bundle_parts()}
    written = {
        "version": 2,
        "title": problem.title,
        "pages": [{"title": "Overview", "file": "overview.md"}],
        "tasks": [task],
        "phases": [_phase(problem)],
        "leaderboards": [{"index": 0, "title": "Results", "key": "main",
                          "columns": _columns(problem)}],
    }  # fmt: skip
    if problem.bundle_solution_key:
        written["solutions"] = [{"index": 0, "name": problem.bundle_solution_name,
                                 "tasks": [0], "path": SOLUTION_ZIP}]  # fmt: skip
    return written


def _judge_settings(problem: Problem) -> dict:
    settings = {name: getattr(problem, name) for name in KEPT if getattr(problem, name) is not None}
    settings["slug"] = problem.slug
    settings["split_method"] = problem.split_method.value
    settings["reference_files"] = problem.solution.is_files
    settings["submission_kind"] = problem.submission_kind.value
    settings["scoring_wall_seconds"] = problem.scoring_wall_seconds  # None: the operator's
    return settings | problem.mode.bundle_settings()


def _phase(problem: Problem) -> dict:
    phase: dict = {"index": 0, "name": "Main", "tasks": [0]}
    if problem.opens_at:
        phase["start"] = _iso(problem.opens_at)
    if problem.closes_at:
        phase["end"] = _iso(problem.closes_at)
    # Written even when empty: a missing limit means Codabench's default, null means none.
    phase["max_submissions_per_day"] = problem.daily_limit
    phase["max_submissions"] = problem.total_limit
    phase |= problem.mode.bundle_phase()
    if problem.files:
        phase["public_data"] = "public_data/"
    return phase


def _columns(problem: Problem) -> list[dict]:
    columns = columns_of(problem)
    index = {c.key: i for i, c in enumerate(columns)}
    written = []
    for i, c in enumerate(columns):
        sorting = "desc" if c.higher_is_better else "asc"
        column = {"title": c.label, "key": c.key, "index": i, "precision": c.precision,
                  "sorting": sorting, "hidden": c.hidden}  # fmt: skip
        if c.computation:  # Codabench names a computation's inputs by their indexes
            column |= {"computation": c.computation,
                       "computation_indexes": [index[key] for key in c.inputs]}  # fmt: skip
        written.append(column)
    return written


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _copy_zip(source: Path, bundle: zipfile.ZipFile, prefix: str) -> None:
    with zipfile.ZipFile(io.BytesIO(source.read_bytes())) as program:
        for entry in program.infolist():
            if not entry.is_dir():
                bundle.writestr(prefix + entry.filename, program.read(entry))
