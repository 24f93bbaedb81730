"""Codabench's competition.yaml, version 2."""

from __future__ import annotations

from judge.bundles.model import Bundle, Phase, Task
from judge.bundles.parts import Files, report_unused, when, whole

TOP = {"version", "title", "description", "pages", "tasks", "phases", "leaderboards", "judge",
       "make_input_data_available"}  # fmt: skip
TASK = {"index", "name", "description", "scoring_program", "reference_data", "input_data",
        "ingestion_program", "key", "judge"}  # fmt: skip
PHASE = {"index", "name", "description", "start", "end", "max_submissions_per_day",
         "max_submissions", "tasks", "public_data", "starting_kit"}  # fmt: skip
LEADERBOARD = {"index", "title", "key", "columns"}
COLUMN = {"title", "key", "index", "sorting", "precision"}


def parse(data: dict, files: Files) -> Bundle:
    bundle = Bundle(version="2", title=str(data.get("title") or "").strip(),
                    input_data_public=data.get("make_input_data_available") is True)  # fmt: skip
    report_unused("", data, TOP, bundle)
    if data.get("description"):
        bundle.pages.append(("Overview", str(data["description"])))
    for number, page in enumerate(data.get("pages") or []):
        _page(page, number, files, bundle)
    for number, item in enumerate(data.get("tasks") or []):
        bundle.tasks.append(_task(item, number, files, bundle))
    for number, item in enumerate(data.get("phases") or []):
        bundle.phases.append(_phase(item, number, files, bundle))
    _leaderboards(data.get("leaderboards") or [], bundle)
    return bundle


def _page(page: dict, number: int, files: Files, bundle: Bundle) -> None:
    text = files.text(page.get("file")) if isinstance(page, dict) else None
    if text is None:
        bundle.unsupported.append(f"pages[{number}]: file not found in the bundle")
        return
    bundle.pages.append((str(page.get("title") or f"Page {number + 1}"), text))


def _task(item: dict, number: int, files: Files, bundle: Bundle) -> Task:
    report_unused(f"tasks[{number}]", item, TASK, bundle)
    task = Task(key=str(item.get("index", number)), name=str(item.get("name") or bundle.title),
                description=str(item.get("description") or ""),
                judge=dict(item.get("judge") or {}))  # fmt: skip
    for part in ("scoring_program", "reference_data", "input_data", "ingestion_program"):
        if item.get(part) is not None:
            found = files.folder(item[part])
            if found is None:
                bundle.unsupported.append(f"tasks[{number}].{part}: {item[part]!r} not found")
            setattr(task, part, found)
    return task


def _phase(item: dict, number: int, files: Files, bundle: Bundle) -> Phase:
    report_unused(f"phases[{number}]", item, PHASE, bundle)
    phase = Phase(name=str(item.get("name") or f"Phase {number + 1}"),
                  start=when(item.get("start")), end=when(item.get("end")),
                  max_per_day=whole(item.get("max_submissions_per_day")),
                  max_total=whole(item.get("max_submissions")),
                  task_keys=[str(t) for t in item.get("tasks") or []])  # fmt: skip
    for part in ("public_data", "starting_kit"):
        folder = files.folder(item.get(part))
        if folder is not None:
            phase.public[part] = folder
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


def _column(column: dict) -> dict:
    precision = column.get("precision", 4)
    return {
        "key": str(column.get("key", "")),
        "label": str(column.get("title") or column.get("key", "")),
        "higher_is_better": str(column.get("sorting", "desc")).lower() != "asc",
        "precision": precision if isinstance(precision, int) and 0 <= precision <= 10 else 4,
    }
