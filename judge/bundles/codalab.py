"""CodaLab's competition.yaml (versions 1.5 and 1.8): programs and data belong to phases.

Each phase with a scoring program becomes a task of its own; a phase ends where the next
phase with a later start begins (the last at the competition's ``end_date``). Version 1.8
adds parallel phases: a parent (``is_parallel_parent``) that only groups its children
(``parent_phasenumber``), which start together; Codabench's unpacker drops the parent, and
so does judge. A phase may ask for its ingestion program to run while it is scored
(``ingestion_program_only_during_scoring``).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from judge.bundles.model import Bundle, Phase, Task
from judge.bundles.parts import (
    Files,
    during_scoring,
    folder,
    given,
    logo,
    page,
    public,
    report_unused,
    terms,
    when,
    whole,
)

TOP = {"title", "description", "html", "phases", "leaderboard", "end_date", "docker_image",
       "competition_docker_image", "image"}  # fmt: skip
PHASE = {"phasenumber", "label", "description", "start_date", "max_submissions",
         "max_submissions_per_day", "scoring_program", "reference_data", "input_data",
         "ingestion_program", "public_data", "starting_kit", "execution_time_limit",
         "ingestion_program_only_during_scoring", "is_parallel_parent",
         "parent_phasenumber", "is_scoring_only", "auto_migration"}  # fmt: skip
COLUMN = {"leaderboard", "label", "rank", "numeric_format", "sort", "hidden", "computed"}
# Codabench's own defaults for a 1.x bundle (its v1 unpacker): submissions a day and in all,
# and a column's precision.
DEFAULTS = {"max_submissions_per_day": 5, "max_submissions": 100}
PRECISION = 2
DEFAULT_IMAGE = "codalab/codalab-legacy:py37"  # Codabench's, for a 1.x bundle naming none


def parse(data: dict, files: Files) -> Bundle:
    phases = _sorted_phases(data.get("phases") or {})
    parallel = any(p.get("is_parallel_parent") or p.get("parent_phasenumber") for p in phases)
    title = str(data.get("title") or "").strip()
    bundle = Bundle(version="1.8" if parallel else "1.5", title=title)
    report_unused("", data, TOP, bundle)
    _image(data, bundle)
    logo(data, bundle)
    if data.get("description"):
        bundle.pages.append(("Overview", str(data["description"])))
    for name, path in (data.get("html") or {}).items():
        text = (terms if name == "terms" else page)(path, f"html.{name}", files, bundle)
        if text is not None:
            bundle.pages.append((str(name).replace("_", " ").title(), text))
    _phases(phases, when(data.get("end_date"), "end_date", bundle), files, bundle)
    _columns(data.get("leaderboard") or {}, bundle)
    return bundle


def _sorted_phases(phases: object) -> list[dict]:
    items = phases.values() if isinstance(phases, dict) else phases
    return sorted((p for p in items if isinstance(p, dict)),  # type: ignore[union-attr]
                  key=lambda p: whole(p.get("phasenumber")) or 0)  # fmt: skip


def _image(data: dict, bundle: Bundle) -> None:
    """CodaLab's ``competition_docker_image`` (also read as ``docker_image``), else the image
    Codabench runs a 1.x bundle in (said in the report)."""
    named = data.get("competition_docker_image") or data.get("docker_image")
    if named:
        bundle.docker_image = str(named).strip()
        return
    bundle.docker_image = DEFAULT_IMAGE
    bundle.notes.append(_("docker_image: not given; Codabench's default %(value)s applies.",
                          value=DEFAULT_IMAGE))  # fmt: skip


def _phases(items: list[dict], end: datetime | None, files: Files, bundle: Bundle) -> None:
    where = [f"phases[{whole(item.get('phasenumber')) or n + 1}]" for n, item in enumerate(items)]
    starts = [when(item.get("start_date"), f"{where[n]}.start_date", bundle)
              for n, item in enumerate(items)]  # fmt: skip
    for number, item in enumerate(items):
        report_unused(where[number], item, PHASE, bundle)
        if item.get("is_parallel_parent"):  # it only groups its children (Codabench drops it)
            bundle.notes.append(_("%(key)s: a parallel parent phase (CodaLab 1.8) only groups "
                                  "the phases that follow; it is not imported.",
                                  key=where[number]))  # fmt: skip
            continue
        phase = Phase(name=str(item.get("label") or f"Phase {number + 1}"),
                      start=starts[number], end=_end(starts, number, end),
                      max_per_day=whole(given(item, "max_submissions_per_day", where[number],
                                              bundle, DEFAULTS)),
                      max_total=whole(given(item, "max_submissions", where[number], bundle,
                                            DEFAULTS)),
                      wall_seconds=whole(item.get("execution_time_limit")),
                      carry=item.get("auto_migration") is True, where=where[number])  # fmt: skip
        public(item, where[number], files, bundle, phase)
        if item.get("scoring_program"):
            task = _task(item, where[number], phase.name, files, bundle)
            bundle.tasks.append(task)
            phase.task_keys.append(task.key)
        bundle.phases.append(phase)


def _end(starts: list[datetime | None], number: int, end: datetime | None) -> datetime | None:
    """The start of the next phase that starts later (parallel phases share a start)."""
    mine = starts[number]
    later = [s for s in starts[number + 1 :] if s is not None and (mine is None or s > mine)]
    return later[0] if later else end


def _task(item: dict, where: str, name: str, files: Files, bundle: Bundle) -> Task:
    task = Task(key=f"phase-{where.removeprefix('phases[').rstrip(']')}", name=name,
                description=str(item.get("description") or ""))  # fmt: skip
    for part in ("scoring_program", "reference_data", "input_data", "ingestion_program"):
        if item.get(part):
            setattr(task, part, folder(item[part], f"{where}.{part}", files, bundle))
            task.sources[part] = str(item[part])
    during_scoring(item.get("ingestion_program_only_during_scoring"), task,
                   f"{where}.ingestion_program_only_during_scoring", bundle)  # fmt: skip
    # A prediction step: CodaLab's worker runs a submission with a metadata file through the
    # ingestion program and passes one without on as results.
    task.takes_results = item.get("is_scoring_only") is False
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
        digits = column.get("numeric_format", PRECISION)
        bundle.columns.append({
            "key": str(key), "label": str(column.get("label") or key),
            "higher_is_better": str(column.get("sort", "desc")).lower() != "asc",
            "precision": int(digits) if str(digits).isdigit() and int(digits) <= 10 else PRECISION,
            **({"hidden": True} if column.get("hidden") is True else {}),
        })  # fmt: skip
