"""Write a problem with phases (a series) as one Codabench version 2 bundle: its phases in
order, each naming the tasks it scores, and each task's programs and reference files once,
in ``tasks/<n>/``, referenced by every phase that uses it (rows holding the same stored files
and settings are one task). Codabench's own keys carry what both platforms share — the phase's
name, window, limits, ``execution_time_limit`` and ``auto_migrate_to_this_phase`` for a phase
that takes every team's entries; what Codabench has no key for (taking only the top N teams, a
phase that only re-scores, the phase that decides the ranking, the exact window, each row's
slug and split salt) rides under the phase's ``judge:``, read back by judge's import.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import yaml
from flask_babel import gettext as _

from judge.bundles import exporting, images
from judge.problems import series as series_service
from judge.problems.models import Carry, Problem, ProblemSeries

#: A phase's own settings and each row's (not part of what makes two rows one task): the
#: time limits follow the phase's execution_time_limit.
PHASE_OWN = ("window", "min_interval_seconds", "failed_daily_limit", "max_final_selections")
PER_ROW = ("slug", "split_salt", "scoring_wall_seconds", "code_limits")
ROW_OWN = PHASE_OWN + PER_ROW


def export_series(series: ProblemSeries, target: Path) -> list[str]:
    """Write ``series`` to the zip ``target``; what Codabench cannot read, one line each."""
    rows = series_service.rows(series)
    tasks, task_of = _tasks(rows)
    rules = (rows[0].competition.rules or "").strip()
    phases = _phases(rows, task_of)
    notes = [_("%(phase)s: “top %(n)s teams enter” has no Codabench key; it is kept under the "
               "phase's judge: and only judge's import reads it.", phase=p["name"],
               n=p["judge"]["carry_top_n"])
             for p in phases if p["judge"].get("carry") == Carry.TOP_N.value]  # fmt: skip
    data = _yaml(series, rows, tasks, phases, bool(rules))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("competition.yaml", yaml.safe_dump(data, allow_unicode=True,
                                                           sort_keys=False))  # fmt: skip
        if (series.description or "").strip():
            bundle.writestr("overview.md", series.description)
        exporting.write_common(bundle, rules)
        for number, row in enumerate(tasks):
            exporting.write_task_files(row, bundle, f"tasks/{number}/")
        for phase in phases:
            first = next(r for r in rows if r.phase_index == phase["index"])
            exporting.write_public_files(first, bundle, f"phases/{phase['index']}/")
    return notes


def _fingerprint(row: Problem) -> str:
    """What makes two rows the same task: the same stored files and the same settings."""
    settings = {k: v for k, v in exporting.judge_settings(row).items() if k not in ROW_OWN}
    parts = [(p.folder, p.storage_key, p.filename) for p in row.mode.bundle_parts()]
    return json.dumps([row.solution.storage_key, row.solution.filename, parts,
                       row.bundle_solution_key, settings], sort_keys=True, default=str)  # fmt: skip


def _tasks(rows: list[Problem]) -> tuple[list[Problem], dict[int, int]]:
    """One row per distinct task, and each row's task index."""
    first: dict[str, int] = {}
    tasks: list[Problem] = []
    task_of: dict[int, int] = {}
    for row in rows:
        key = _fingerprint(row)
        if key not in first:
            first[key] = len(tasks)
            tasks.append(row)
        task_of[row.id] = first[key]
    return tasks, task_of


def _phases(rows: list[Problem], task_of: dict[int, int]) -> list[dict]:
    written = []
    for index in sorted({row.phase_index for row in rows}):
        mine = [row for row in rows if row.phase_index == index]
        first = mine[0]
        phase = exporting.phase_yaml(first, index, series_service.phase_label(first),
                                     [task_of[row.id] for row in mine],
                                     f"phases/{index}/")  # fmt: skip
        phase["auto_migrate_to_this_phase"] = first.carry == Carry.ALL
        phase["judge"] = _phase_judge(first, mine)
        written.append(phase)
    return written


def _phase_judge(first: Problem, mine: list[Problem]) -> dict:
    own = {k: v for k, v in exporting.judge_settings(first).items() if k in PHASE_OWN}
    own |= {"carry": first.carry.value, "scoring_only": bool(first.scoring_only),
            "decides_ranking": any(row.decides_ranking for row in mine),
            "rows": [_row_own(row) for row in mine]}  # fmt: skip
    if first.carry == Carry.TOP_N:
        own["carry_top_n"] = first.carry_top_n
    return own


def _row_own(row: Problem) -> dict:
    return {k: v for k, v in exporting.judge_settings(row).items() if k in PER_ROW}


def _yaml(series: ProblemSeries, rows: list[Problem], tasks: list[Problem], phases: list[dict],
          has_rules: bool) -> dict:  # fmt: skip
    pages = ([{"title": "Overview", "file": "overview.md"}]
             if (series.description or "").strip() else [])  # fmt: skip
    data: dict = {"version": 2, "title": series.title, "image": exporting.LOGO,
                  "terms": exporting.TERMS,
                  "judge": {"series_slug": series.slug, "description": series.description,
                            "placeholder_terms": not has_rules}}  # fmt: skip
    if image := images.image_for(rows[0].runtime):
        data["docker_image"] = image
    written = [exporting.task_yaml(row, n, f"Task {n + 1}", f"tasks/{n}/")
               for n, row in enumerate(tasks)]  # fmt: skip
    for task in written:
        task["judge"] = {k: v for k, v in task["judge"].items() if k not in ROW_OWN}
    data |= {"pages": pages, "tasks": written, "phases": phases,
             "leaderboards": exporting.leaderboards(rows[0])}  # fmt: skip
    solutions = [{"index": n, "name": row.bundle_solution_name, "tasks": [n],
                  "path": f"tasks/{n}/{exporting.SOLUTION_ZIP}"}
                 for n, row in enumerate(tasks) if row.bundle_solution_key]  # fmt: skip
    if solutions:
        data["solutions"] = solutions
    return data
