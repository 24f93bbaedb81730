"""Codabench's competition.yaml, version 2, with Codabench's defaults for what it leaves out."""

from __future__ import annotations

from judge.bundles.model import Bundle, Phase, Task
from judge.bundles.parts import (
    Files,
    during_scoring,
    folder,
    given,
    image,
    logo,
    page,
    public,
    report_unused,
    terms,
    when,
    whole,
)

TOP = {"version", "title", "description", "pages", "tasks", "phases", "leaderboards", "judge",
       "make_input_data_available", "docker_image", "image", "terms"}  # fmt: skip
TASK = {"index", "name", "description", "scoring_program", "reference_data", "input_data",
        "ingestion_program", "key", "judge", "ingestion_only_during_scoring"}  # fmt: skip
PHASE = {"index", "name", "description", "start", "end", "max_submissions_per_day",
         "max_submissions", "tasks", "public_data", "starting_kit",
         "execution_time_limit"}  # fmt: skip
LEADERBOARD = {"index", "title", "key", "columns"}
COLUMN = {"title", "key", "index", "sorting", "precision", "hidden"}
# Codabench's own defaults (its v2 unpacker and Phase model; a column's precision: 2).
DEFAULTS = {"max_submissions_per_day": 5, "max_submissions": 100, "execution_time_limit": 600}
PRECISION = 2


def parse(data: dict, files: Files) -> Bundle:
    bundle = Bundle(version="2", title=str(data.get("title") or "").strip(),
                    input_data_public=data.get("make_input_data_available") is True)  # fmt: skip
    own = data.get("judge") if isinstance(data.get("judge"), dict) else {}
    bundle.placeholder_terms = own.get("placeholder_terms") is True
    report_unused("", data, TOP, bundle)
    image(data, bundle)
    logo(data, bundle)
    if data.get("description"):
        bundle.pages.append(("Overview", str(data["description"])))
    for number, item in enumerate(data.get("pages") or []):
        _page(item, number, files, bundle)
    if data.get("terms") and terms(data["terms"], "terms", files, bundle) is not None:
        bundle.pages.append(("Terms", bundle.terms))
    for number, item in enumerate(data.get("tasks") or []):
        bundle.tasks.append(_task(item, number, files, bundle))
    for number, item in enumerate(data.get("phases") or []):
        bundle.phases.append(_phase(item, number, files, bundle))
    _leaderboards(data.get("leaderboards") or [], bundle)
    return bundle


def _page(item: dict, number: int, files: Files, bundle: Bundle) -> None:
    name = item.get("file") if isinstance(item, dict) else None
    text = page(name, f"pages[{number}].file", files, bundle)
    if text is not None:
        bundle.pages.append((str(item.get("title") or f"Page {number + 1}"), text))


def _task(item: dict, number: int, files: Files, bundle: Bundle) -> Task:
    report_unused(f"tasks[{number}]", item, TASK, bundle)
    task = Task(key=str(item.get("index", number)), name=str(item.get("name") or bundle.title),
                description=str(item.get("description") or ""),
                judge=dict(item.get("judge") or {}))  # fmt: skip
    for part in ("scoring_program", "reference_data", "input_data", "ingestion_program"):
        if item.get(part) is not None:
            setattr(task, part, folder(item[part], f"tasks[{number}].{part}", files, bundle))
            task.sources[part] = str(item[part])
    during_scoring(item.get("ingestion_only_during_scoring"), task,
                   f"tasks[{number}].ingestion_only_during_scoring", bundle)  # fmt: skip
    return task


def _phase(item: dict, number: int, files: Files, bundle: Bundle) -> Phase:
    report_unused(f"phases[{number}]", item, PHASE, bundle)
    where = f"phases[{number}]"

    def setting(key: str) -> object:
        return given(item, key, where, bundle, DEFAULTS)

    phase = Phase(name=str(item.get("name") or f"Phase {number + 1}"),
                  start=when(item.get("start"), f"{where}.start", bundle),
                  end=when(item.get("end"), f"{where}.end", bundle),
                  max_per_day=whole(setting("max_submissions_per_day")),
                  max_total=whole(setting("max_submissions")),
                  wall_seconds=whole(setting("execution_time_limit")),
                  task_keys=[str(t) for t in item.get("tasks") or []])  # fmt: skip
    public(item, where, files, bundle, phase)
    return phase


def _leaderboards(boards: list, bundle: Bundle) -> None:
    for number, board in enumerate(boards):
        if number > 0:
            bundle.unsupported.append(f"leaderboards[{number}]: judge shows one leaderboard")
            continue
        report_unused(f"leaderboards[{number}]", board, LEADERBOARD, bundle)
        columns = sorted(board.get("columns") or [], key=lambda c: c.get("index", 0))
        for index, column in enumerate(columns):
            report_unused(f"leaderboards[{number}].columns[{index}]", column, COLUMN, bundle)
            bundle.columns.append(_column(column))
        if columns and columns[0].get("precision") == bundle.columns[0]["precision"]:
            bundle.score_decimals = bundle.columns[0]["precision"]


def _column(column: dict) -> dict:
    precision = column.get("precision", PRECISION)
    usable = isinstance(precision, int) and 0 <= precision <= 10
    return {
        "key": str(column.get("key", "")),
        "label": str(column.get("title") or column.get("key", "")),
        "higher_is_better": str(column.get("sorting", "desc")).lower() != "asc",
        "precision": precision if usable else PRECISION,
        "hidden": column.get("hidden") is True,
    }
