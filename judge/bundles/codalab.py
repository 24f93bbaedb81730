"""CodaLab's competition.yaml (version 1.5): programs and data belong to phases.

Each phase with a scoring program becomes a task of its own; a phase ends where the next
one starts (the last at the competition's ``end_date``).
"""

from __future__ import annotations

from judge.bundles.model import Bundle, Phase, Task
from judge.bundles.parts import (
    Files,
    folder,
    image,
    logo,
    page,
    public,
    report_unused,
    terms,
    when,
    whole,
)

TOP = {"title", "description", "html", "phases", "leaderboard", "end_date", "docker_image",
       "image"}  # fmt: skip
PHASE = {"phasenumber", "label", "description", "start_date", "max_submissions",
         "max_submissions_per_day", "scoring_program", "reference_data", "input_data",
         "ingestion_program", "public_data", "starting_kit", "execution_time_limit"}  # fmt: skip
COLUMN = {"leaderboard", "label", "rank", "numeric_format", "sort", "computed"}
DEFAULTS = (999, 100)  # CodaLab's own: submissions a day, and in all, for each participant


def parse(data: dict, files: Files) -> Bundle:
    bundle = Bundle(version="1.5", title=str(data.get("title") or "").strip())
    report_unused("", data, TOP, bundle)
    image(data, bundle)
    logo(data, bundle)
    if data.get("description"):
        bundle.pages.append(("Overview", str(data["description"])))
    for name, path in (data.get("html") or {}).items():
        text = (terms if name == "terms" else page)(path, f"html.{name}", files, bundle)
        if text is not None:
            bundle.pages.append((str(name).replace("_", " ").title(), text))
    _phases(data.get("phases") or {}, when(data.get("end_date"), "end_date", bundle), files,
            bundle)  # fmt: skip
    _columns(data.get("leaderboard") or {}, bundle)
    return bundle


def _phases(phases: dict, end: object, files: Files, bundle: Bundle) -> None:
    items = sorted(phases.values(), key=lambda p: p.get("phasenumber", 0))
    starts = [when(item.get("start_date"), f"phases[{number + 1}].start_date", bundle)
              for number, item in enumerate(items)]  # fmt: skip
    for number, item in enumerate(items):
        report_unused(f"phases[{number + 1}]", item, PHASE, bundle)
        following = starts[number + 1] if number + 1 < len(items) else None
        phase = Phase(name=str(item.get("label") or f"Phase {number + 1}"),
                      start=starts[number], end=following or end,
                      max_per_day=whole(item.get("max_submissions_per_day", DEFAULTS[0])),
                      max_total=whole(item.get("max_submissions", DEFAULTS[1])),
                      wall_seconds=whole(item.get("execution_time_limit")))  # fmt: skip
        public(item, f"phases[{number + 1}]", files, bundle, phase)
        if item.get("scoring_program"):
            task = _task(item, number, phase.name, files, bundle)
            bundle.tasks.append(task)
            phase.task_keys.append(task.key)
        bundle.phases.append(phase)


def _task(item: dict, number: int, name: str, files: Files, bundle: Bundle) -> Task:
    task = Task(
        key=f"phase-{number + 1}", name=name, description=str(item.get("description") or "")
    )
    for part in ("scoring_program", "reference_data", "input_data", "ingestion_program"):
        if item.get(part):
            setattr(task, part, folder(item[part], f"phases[{number + 1}].{part}", files, bundle))
            task.sources[part] = str(item[part])
    return task


def _columns(leaderboard: dict, bundle: Bundle) -> None:
    boards = leaderboard.get("leaderboards") or {}
    if len(boards) > 1:
        bundle.unsupported.append("leaderboard.leaderboards: judge shows one leaderboard")
    raw = leaderboard.get("columns") or {}
    columns = {key: value if isinstance(value, dict) else {} for key, value in raw.items()}
    for key, column in sorted(columns.items(), key=lambda kv: kv[1].get("rank", 0)):
        report_unused(f"leaderboard.columns.{key}", column, COLUMN, bundle)
        if column.get("computed"):  # CodaLab's Avg is the mean of the columns' *ranks*
            bundle.unsupported.append(f"leaderboard.columns.{key}.computed: CodaLab computes "
                                      "it from ranks over the whole leaderboard; judge leaves "
                                      "the column out")  # fmt: skip
            continue
        digits = column.get("numeric_format", 4)
        bundle.columns.append({
            "key": str(key), "label": str(column.get("label") or key),
            "higher_is_better": str(column.get("sort", "desc")).lower() != "asc",
            "precision": int(digits) if str(digits).isdigit() and int(digits) <= 10 else 4,
        })  # fmt: skip
