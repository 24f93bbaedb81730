"""Write a problem as a Codabench version 2 bundle that Codabench's unpacker accepts and
judge's import reads back unchanged.

Codabench's own keys carry what both platforms share, in the form its unpacker
(``src/apps/competitions/unpackers/v2.py`` and ``base_unpacker.py``) requires: a title,
``terms`` and ``image`` files that exist, non-empty pages, every task with an index and a
scoring program, every phase with its tasks and a start (and an end, so that a phase that has
begun can be placed), and the leaderboards. judge's other settings (the split and its salt,
the id column, the exact window, code limits, the runtime, …) ride along under ``judge:``.
The bundle holds the hidden solution: only organizers and the sponsor may export.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import yaml

from judge.bundles import images, metric_program
from judge.core import storage
from judge.problems.models import Problem
from judge.problems.modes import BundlePart
from judge.problems.programs import columns_of

SOLUTION_ZIP = "solution.zip"
KEPT = ("metric", "metric_options", "id_column", "prediction_columns", "public_fraction",
        "split_salt", "min_interval_seconds", "failed_daily_limit", "max_final_selections",
        "blend_public_weight", "runtime", "code_limits", "score_decimals",
        "description")  # fmt: skip
# A phase without an end: Codabench needs one once the phase has begun (its unpacker compares
# the end with the time of the upload), so the export writes this far one; judge's own window
# travels under ``judge: window``.
OPEN_END = datetime(2099, 12, 31, 23, 59, tzinfo=UTC)
TERMS = "terms.md"
LOGO = "logo.png"
# Codabench's Column and Leaderboard models: a column's title and key hold 36 characters
# (judge's labels hold 100: a longer one travels whole under ``judge: column_labels``).
TITLE_CHARS = 36
# Codabench rejects a bundle without terms; a competition with no rules exports this line,
# which judge's import does not take as rules (``judge: placeholder_terms``).
NO_RULES = "The competition's rules on its page apply."


def export_problem(problem: Problem, target: Path) -> Path:
    """Write ``problem`` to the zip ``target``."""
    rules = (problem.competition.rules or "").strip()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("competition.yaml", yaml.safe_dump(_yaml(problem, bool(rules)),
                                                           allow_unicode=True,
                                                           sort_keys=False))  # fmt: skip
        if (problem.description or "").strip():
            bundle.writestr("overview.md", problem.description)
        write_common(bundle, rules)
        write_task_files(problem, bundle, "")
        write_public_files(problem, bundle, "")
    return target


def write_common(bundle: zipfile.ZipFile, rules: str) -> None:
    """The terms (the competition's rules, else a line pointing to them) and a logo."""
    bundle.writestr(TERMS, rules or NO_RULES)
    bundle.writestr(LOGO, _blank_png())


def write_task_files(problem: Problem, bundle: zipfile.ZipFile, prefix: str) -> None:
    """The reference data, programs, hidden inputs and solution of the task ``problem``
    holds, in the folder ``prefix``."""
    solution = problem.solution
    if solution.is_files:
        _copy_zip(storage.path_of(solution.storage_key), bundle, f"{prefix}reference_data/")
    else:
        bundle.write(storage.path_of(solution.storage_key),
                     f"{prefix}reference_data/{solution.filename}")  # fmt: skip
    for part in problem.mode.bundle_parts():  # hidden inputs only where teams submit code
        _write_part(part, bundle, prefix)
    if problem.bundle_solution_key:
        bundle.write(storage.path_of(problem.bundle_solution_key), f"{prefix}{SOLUTION_ZIP}")
    if metric_program.written_for(problem):
        metric_program.write(problem, bundle, prefix)


def write_public_files(problem: Problem, bundle: zipfile.ZipFile, prefix: str) -> None:
    for item in problem.files:
        bundle.write(storage.path_of(item.storage_key), f"{prefix}public_data/{item.filename}")


def _write_part(part: BundlePart, bundle: zipfile.ZipFile, prefix: str) -> None:
    if part.filename is None:
        _copy_zip(storage.path_of(part.storage_key), bundle, f"{prefix}{part.folder}/")
    else:
        bundle.write(storage.path_of(part.storage_key), f"{prefix}{part.folder}/{part.filename}")


def task_yaml(problem: Problem, index: int, name: str, prefix: str) -> dict:
    """The task ``problem`` holds, its files in the folder ``prefix``."""
    task = {"index": index, "name": name, "reference_data": f"{prefix}reference_data/",
            "judge": judge_settings(problem)}  # fmt: skip
    task |= {part.folder: f"{prefix}{part.folder}/" for part in problem.mode.bundle_parts()}
    if problem.ingestion_during_scoring and problem.ingestion_program_key:
        task["ingestion_only_during_scoring"] = True
    if metric_program.written_for(problem):  # judge's import scores by the metric again
        task["scoring_program"] = f"{prefix}{metric_program.FOLDER}/"
        task["judge"]["written_program"] = True
    return task


def leaderboards(problem: Problem) -> list[dict]:
    written = metric_program.written_for(problem)
    return [
        {
            "index": 0,
            "title": "Results",
            "key": "main",
            "columns": metric_program.columns(problem) if written else _columns(problem),
        }
    ]


def _yaml(problem: Problem, has_rules: bool) -> dict:
    task = task_yaml(problem, 0, problem.title, "")
    pages = ([{"title": "Overview", "file": "overview.md"}]
             if (problem.description or "").strip() else [])  # fmt: skip
    data: dict = {"version": 2, "title": problem.title, "image": LOGO, "terms": TERMS}
    if image := images.image_for(problem.runtime):
        data["docker_image"] = image
    if not has_rules:
        data["judge"] = {"placeholder_terms": True}
    written = data | {
        "pages": pages,
        "tasks": [task],
        "phases": [phase_yaml(problem, 0, "Main", [0], "")],
        "leaderboards": leaderboards(problem),
    }  # fmt: skip
    if problem.bundle_solution_key:
        written["solutions"] = [{"index": 0, "name": problem.bundle_solution_name,
                                 "tasks": [0], "path": SOLUTION_ZIP}]  # fmt: skip
    return written


def judge_settings(problem: Problem) -> dict:
    settings = {name: getattr(problem, name) for name in KEPT if getattr(problem, name) is not None}
    settings["slug"] = problem.slug
    settings["split_method"] = problem.split_method.value
    settings["reference_files"] = problem.solution.is_files
    settings["submission_kind"] = problem.submission_kind.value
    settings["window"] = {"opens_at": iso(problem.opens_at), "closes_at": iso(problem.closes_at)}
    if labels := _long_labels(problem):
        settings["column_labels"] = labels
    settings["scoring_wall_seconds"] = problem.scoring_wall_seconds  # None: the operator's
    return settings | problem.mode.bundle_settings()


def phase_yaml(problem: Problem, index: int, name: str, tasks: list[int], prefix: str) -> dict:
    """The phase whose window and limits ``problem`` holds, scoring ``tasks``; its public
    files in the folder ``prefix``."""
    phase: dict = {"index": index, "name": name, "tasks": tasks,
                   "start": iso(problem.opens_at or problem.created_at),
                   "end": iso(problem.closes_at or OPEN_END)}  # fmt: skip
    # Written even when empty: a missing limit means Codabench's default, null means none.
    phase["max_submissions_per_day"] = problem.daily_limit
    phase["max_submissions"] = problem.total_limit
    phase |= problem.mode.bundle_phase()
    if problem.files:
        phase["public_data"] = f"{prefix}public_data/"
    return phase


def _columns(problem: Problem) -> list[dict]:
    columns = columns_of(problem)
    index = {c.key: i for i, c in enumerate(columns)}
    written = []
    for i, c in enumerate(columns):
        sorting = "desc" if c.higher_is_better else "asc"
        column = {"title": c.label[:TITLE_CHARS], "key": c.key, "index": i,
                  "precision": c.precision, "sorting": sorting, "hidden": c.hidden}  # fmt: skip
        if c.computation:  # Codabench names a computation's inputs by their indexes
            column |= {"computation": c.computation,
                       "computation_indexes": [index[key] for key in c.inputs]}  # fmt: skip
        written.append(column)
    return written


def _long_labels(problem: Problem) -> dict[str, str]:
    return {c.key: c.label for c in columns_of(problem) if len(c.label) > TITLE_CHARS}


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _blank_png() -> bytes:
    """A 1×1 white PNG: Codabench's unpacker needs the ``image`` file to exist."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))  # fmt: skip

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _copy_zip(source: Path, bundle: zipfile.ZipFile, prefix: str) -> None:
    with zipfile.ZipFile(io.BytesIO(source.read_bytes())) as program:
        for entry in program.infolist():
            if not entry.is_dir():
                bundle.writestr(prefix + entry.filename, program.read(entry))
