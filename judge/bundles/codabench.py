"""Codabench's competition.yaml, version 2, with Codabench's defaults for what it leaves out."""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _

from judge.bundles.model import Bundle, Phase, Solution, Task
from judge.bundles.parts import (
    YAML,
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
from judge.scoring.programs.columns import COMPUTATIONS

TOP = {"version", "title", "description", "pages", "tasks", "phases", "leaderboards", "judge",
       "make_input_data_available", "docker_image", "image", "terms", "solutions"}  # fmt: skip
TASK = {"index", "name", "description", "scoring_program", "reference_data", "input_data",
        "ingestion_program", "key", "judge", "ingestion_only_during_scoring"}  # fmt: skip
PHASE = {"index", "name", "description", "start", "end", "max_submissions_per_day",
         "max_submissions", "tasks", "public_data", "starting_kit",
         "execution_time_limit", "auto_migrate_to_this_phase", "judge"}  # fmt: skip
LEADERBOARD = {"index", "title", "key", "columns"}
SOLUTION = {"index", "name", "description", "tasks", "path"}
COLUMN = {"title", "key", "index", "sorting", "precision", "hidden", "computation",
          "computation_indexes"}  # fmt: skip
# Codabench's own defaults (its v2 unpacker and Phase model; a column's precision: 2).
DEFAULTS = {"max_submissions_per_day": 5, "max_submissions": 100, "execution_time_limit": 600}
PRECISION = 2


def parse(data: dict, files: Files) -> Bundle:
    bundle = Bundle(version="2", title=str(data.get("title") or "").strip(),
                    input_data_public=data.get("make_input_data_available") is True)  # fmt: skip
    own = data.get("judge") if isinstance(data.get("judge"), dict) else {}
    bundle.placeholder_terms = own.get("placeholder_terms") is True
    bundle.judge = dict(own)
    report_unused("", data, TOP, bundle)
    image(data, bundle)
    logo(data, bundle)
    if data.get("description"):
        bundle.pages.append(("Overview", str(data["description"])))
    for number, item in enumerate(data.get("pages") or []):
        _page(item, number, files, bundle)
    if data.get("terms") and terms(data["terms"], "terms", files, bundle) is not None:
        bundle.pages.append(("Terms", bundle.terms))
    for number, item in _mappings(data, "tasks", bundle):
        bundle.tasks.append(_task(item, number, files, bundle))
    for number, item in _mappings(data, "phases", bundle):
        bundle.phases.append(_phase(item, number, files, bundle))
    for number, item in enumerate(data.get("solutions") or []):
        _solution(item, number, files, bundle)
    _leaderboards(data.get("leaderboards") or [], bundle)
    return bundle


def _mappings(data: dict, key: str, bundle: Bundle) -> list[tuple[int, dict]]:
    """The mappings listed under ``key``, by place; anything else is an error naming the file
    and the key."""
    value = data.get(key) or []
    if not isinstance(value, list):
        bundle.errors.append(_("%(file)s: %(key)s must be a list.", file=YAML, key=key))
        return []
    found = []
    for number, item in enumerate(value):
        if isinstance(item, dict):
            found.append((number, item))
        else:
            where = f"{key}[{number}]"
            bundle.errors.append(_("%(file)s: %(key)s must be a mapping of keys.", file=YAML,
                                   key=where))  # fmt: skip
    return found


def _task_keys(value: object, where: str, bundle: Bundle) -> list[str]:
    """The indexes of the tasks a phase lists, each once; anything else is an error."""
    keys = [str(t) for t in value] if isinstance(value, list) else None
    if value is not None and (keys is None or len(set(keys)) != len(keys)):
        bundle.errors.append(_("%(file)s: %(key)s.tasks: “%(value)s” must list the indexes of "
                               "the bundle's tasks, each once.", file=YAML, key=where,
                               value=str(value)[:80]))  # fmt: skip
        return []
    return keys or []


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
    if task.judge.get("written_program") is True:  # judge's export of a built-in metric:
        task.scoring_program = None  # the metric scores again, not the program written for it
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
                  task_keys=_task_keys(item.get("tasks"), where, bundle),
                  carry=item.get("auto_migrate_to_this_phase") is True, where=where,
                  judge=dict(item.get("judge") or {}))  # fmt: skip
    public(item, where, files, bundle, phase)
    return phase


def _solution(item: object, number: int, files: Files, bundle: Bundle) -> None:
    """A solution the bundle ships for some of its tasks: offered as their baseline run."""
    where = f"solutions[{number}]"
    if not isinstance(item, dict):
        bundle.errors.append(_("%(file)s: %(key)s must be a mapping with tasks and a path.",
                               file=YAML, key=where))  # fmt: skip
        return
    report_unused(where, item, SOLUTION, bundle)
    keys = [str(t) for t in item.get("tasks") or []]
    known = {task.key for task in bundle.tasks}
    if not keys or any(key not in known for key in keys):
        bundle.errors.append(_("%(file)s: %(key)s.tasks: “%(value)s” must name the indexes of "
                               "the bundle's tasks.", file=YAML, key=where,
                               value=str(item.get("tasks"))[:80]))  # fmt: skip
        return
    if item.get("path") is None:  # Codabench's "key" names a solution on its own server
        bundle.errors.append(_("%(file)s: %(key)s has no path to the solution in the bundle.",
                               file=YAML, key=where))  # fmt: skip
        return
    found = folder(item["path"], f"{where}.path", files, bundle)
    if found is not None:
        name = str(item.get("name") or Path(str(item["path"]).rstrip("/")).stem or "solution")
        bundle.solutions.append(Solution(name[:200], found, str(item["path"]), keys))


def _leaderboards(boards: list, bundle: Bundle) -> None:
    for number, board in enumerate(boards):
        if number > 0:
            bundle.unsupported.append(f"leaderboards[{number}]: judge shows one leaderboard")
            continue
        report_unused(f"leaderboards[{number}]", board, LEADERBOARD, bundle)
        columns = sorted(board.get("columns") or [], key=lambda c: c.get("index", 0))
        for index, column in enumerate(columns):
            where = f"leaderboards[{number}].columns[{index}]"
            report_unused(where, column, COLUMN, bundle)
            if (kept := _column(column, columns, where, bundle)) is not None:
                bundle.columns.append(kept)
        _decimals(columns, bundle)


def _decimals(columns: list[dict], bundle: Bundle) -> None:
    """The first kept column's own precision: the decimals of the problem's scores."""
    if not bundle.columns:
        return
    first = bundle.columns[0]
    given = next(c.get("precision") for c in columns if str(c.get("key", "")) == first["key"])
    if given == first["precision"]:
        bundle.score_decimals = first["precision"]


def _column(column: dict, columns: list[dict], where: str, bundle: Bundle) -> dict | None:
    precision = column.get("precision", PRECISION)
    usable = isinstance(precision, int) and 0 <= precision <= 10
    kept = {
        "key": str(column.get("key", "")),
        "label": str(column.get("title") or column.get("key", "")),
        "higher_is_better": str(column.get("sorting", "desc")).lower() != "asc",
        "precision": precision if usable else PRECISION,
        "hidden": column.get("hidden") is True,
    }
    if column.get("computation") is None:
        return kept
    return _computed(column, columns, where, bundle, kept)


def _computed(column: dict, columns: list[dict], where: str, bundle: Bundle,
              kept: dict) -> dict | None:  # fmt: skip
    """A computed column (Codabench's ``computation`` over ``computation_indexes``), its
    inputs named by key; one judge cannot compute is left out, said in the report."""
    computation = str(column["computation"]).strip().lower()
    if computation == "avg_rank":  # a rank over the whole board, not a submission's value
        bundle.unsupported.append(f"{where} ({kept['key']}): computation avg_rank ranks the "
                                  "whole board; judge leaves the column out")  # fmt: skip
        return None
    if computation not in COMPUTATIONS:
        bundle.errors.append(_("%(file)s: %(key)s.computation: “%(value)s” is not one of "
                               "%(names)s.", file=YAML, key=where, value=computation[:40],
                               names=", ".join(COMPUTATIONS)))  # fmt: skip
        return None
    inputs = _inputs(column, columns, f"{where}.computation_indexes", bundle)
    return {**kept, "computation": computation, "inputs": inputs} if inputs else None


def _inputs(column: dict, columns: list[dict], where: str, bundle: Bundle) -> list[str]:
    """The keys of the columns a computed column's indexes name: other columns, not
    computed ones (an index that names none is an error naming the key)."""
    raw = column.get("computation_indexes")
    indexes = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list) else []
    by_index = {str(c.get("index")): c for c in columns if c is not column}
    found = [by_index.get(str(i).strip()) for i in indexes]
    if not found or any(c is None or c.get("computation") is not None for c in found):
        bundle.errors.append(_("%(file)s: %(key)s: “%(value)s” must name the indexes of other "
                               "columns of the leaderboard that are not computed.", file=YAML,
                               key=where, value=str(raw)[:80]))  # fmt: skip
        return []
    return [str(c.get("key", "")) for c in found]
