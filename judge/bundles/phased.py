"""A bundle with several phases, or a phase with several tasks, becomes one series
(docs/design/phases.md): each phase × task is a problem row of its own, made through the
series service, with the phase's name, window, limits and ``execution_time_limit`` and the
task's programs and data. A task two phases list is copied onto a row of each (Codabench's
unpacker makes one task both phases point to; judge keeps a row per phase and task).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.bundles.model import Bundle, Phase, Task
from judge.competitions.models import Competition, Sponsor
from judge.competitions.services import check_slug
from judge.core.errors import DomainError, Invalid
from judge.core.extensions import db
from judge.problems import series as series_service
from judge.problems.models import Carry, Problem, ProblemSeries

#: What a row's maker takes: the row's slug and settings; it gives the new problem row.
Maker = Callable[..., Problem]
#: Makes one row: (bundle seen with its one phase, task, slug, maker) → the row.
RowCreator = Callable[[Bundle, Task, str, Maker], Problem]
#: judge's own export of a series keeps these per phase (Codabench has no key for them).
PHASE_KEPT = ("window", "min_interval_seconds", "failed_daily_limit", "max_final_selections")
#: ... and each row's slug, split salt and time limits (they follow the phase's).
PER_ROW = ("slug", "split_salt", "scoring_wall_seconds", "code_limits")
SERIES_FIXED = ("title", "description")  # the series sets them on every row
#: The most rows (phase × task) one bundle makes.
MAX_ROWS = 200


def is_series(bundle: Bundle) -> bool:
    """More than one phase with tasks, or a phase with more than one task."""
    staged = [phase for phase in bundle.phases if phase.task_keys]
    return len(staged) > 1 or any(len(phase.task_keys) > 1 for phase in staged)


def task_errors(bundle: Bundle) -> list[str]:
    """Two tasks with one index (a phase would score the first in place of the other), and
    a phase naming a task the bundle lacks: errors naming the file and the key."""
    rows = sum(len(phase.task_keys) for phase in bundle.phases)
    if rows > MAX_ROWS:  # each row is a problem: the import would run for hours
        return [_("%(file)s: its phases list %(count)d tasks in all (a problem row each); a "
                  "bundle may have at most %(max)d.", file=bundle.yaml_name, count=rows,
                  max=MAX_ROWS)]  # fmt: skip
    return _shared_keys(bundle) + _unknown_tasks(bundle)


def _shared_keys(bundle: Bundle) -> list[str]:
    first: dict[str, Task] = {}
    errors = []
    for task in bundle.tasks:
        if task.key in first:
            errors.append(_("%(file)s: “%(key)s” is the index of two tasks, “%(first)s” and "
                            "“%(second)s”: give each task (each CodaLab phase) a number of "
                            "its own.", file=bundle.yaml_name, key=task.key,
                            first=first[task.key].name, second=task.name))  # fmt: skip
        first.setdefault(task.key, task)
    return errors


def _unknown_tasks(bundle: Bundle) -> list[str]:
    known = {task.key for task in bundle.tasks}
    return [_("%(file)s: %(key)s.tasks: “%(value)s” names no task of the bundle.",
              file=bundle.yaml_name, key=phase.where or phase.name, value=key)
            for phase in bundle.phases for key in phase.task_keys if key not in known]  # fmt: skip


def create(bundle: Bundle, competition: Competition, actor: User, sponsor: Sponsor,
           create_row: RowCreator, report: list[str]) -> tuple[ProblemSeries, list[Problem],
                                                               list[str]]:  # fmt: skip
    """The series and its rows; the errors of the rows that could not be made (each names the
    file, the phase and the task)."""
    phases = _staged(bundle, report)
    series = series_service.create_series(
        competition, actor=actor, title=(bundle.title or _("Imported bundle"))[:200],
        slug=_series_slug(bundle, competition), description=_description(bundle))  # fmt: skip
    deciding = _deciding(phases, report)
    made: list[Problem] = []
    errors: list[str] = []
    for number, phase in enumerate(phases):
        for place in range(len(phase.task_keys)):
            try:
                row = _row(bundle, series, number, phase, place, sponsor, deciding == number,
                           create_row, report)  # fmt: skip
            except DomainError as exc:
                errors.append(_("%(file)s, phase “%(phase)s”, task “%(name)s”: %(message)s",
                                file=bundle.yaml_name, phase=phase.name, message=exc.message,
                                name=_task(bundle, phase, place).name))  # fmt: skip
                if place == 0:
                    break  # the phase's other tasks need its first row
                continue
            made.append(row)
    report.insert(0, _("One problem with phases, “%(title)s” (%(slug)s): %(phases)d phases, "
                       "%(rows)d rows (a row per phase and task).", title=series.title,
                       slug=series.slug, phases=len(phases), rows=len(made)))  # fmt: skip
    return series, made, errors


def _task(bundle: Bundle, phase: Phase, place: int) -> Task:
    key = phase.task_keys[place]
    return next(task for task in bundle.tasks if task.key == key)


def _row(bundle: Bundle, series: ProblemSeries, number: int, phase: Phase, place: int,
         sponsor: Sponsor, decides: bool, create_row: RowCreator,
         report: list[str]) -> Problem:  # fmt: skip
    """Row ``place`` of phase ``number``, said in the report with its slug."""
    task = _for_phase(_task(bundle, phase, place), phase, place)
    competition = db.session.get(Competition, series.competition_id)
    slug = _row_slug(competition, series, phase, number, task, place)
    maker = _maker(series, number, place, phase, sponsor, decides, report)
    row = create_row(replace(bundle, phases=[phase]), task, slug, maker)
    report.append(_("Phase “%(phase)s”, task “%(task)s”: problem row “%(slug)s”.",
                    phase=phase.name, task=task.name, slug=row.slug))  # fmt: skip
    return row


def _staged(bundle: Bundle, report: list[str]) -> list[Phase]:
    """The phases with tasks; the rest, and tasks in no phase, are lines of the report."""
    for phase in bundle.phases:
        if not phase.task_keys:
            report.append(_("Not used: %(key)s (“%(name)s”) has no task with a scoring "
                            "program.", key=phase.where or phase.name,
                            name=phase.name))  # fmt: skip
    used = {key for phase in bundle.phases for key in phase.task_keys}
    for task in bundle.tasks:
        if task.key not in used:
            report.append(_("Not used: task “%(name)s” is in no phase.", name=task.name))
    return [phase for phase in bundle.phases if phase.task_keys]


def _deciding(phases: list[Phase], report: list[str]) -> int:
    """The phase whose board ranks the teams: judge's export says which; else the last, as
    Codabench's final phase is (said in the report)."""
    chosen = [n for n, phase in enumerate(phases) if phase.judge.get("decides_ranking") is True]
    if chosen:
        return chosen[0]
    report.append(_("Phase “%(phase)s”, the bundle's last, decides the ranking (shortlists, "
                    "awards, certificates), as Codabench's final phase does.",
                    phase=phases[-1].name))  # fmt: skip
    return len(phases) - 1


def _for_phase(task: Task, phase: Phase, place: int) -> Task:
    """The task as this phase's row sees it: judge's export keeps the phase's exact window,
    its own limits and each row's slug and salt under the phase's ``judge:``."""
    own = {key: phase.judge[key] for key in PHASE_KEPT if key in phase.judge}
    rows = phase.judge.get("rows")
    if isinstance(rows, list) and place < len(rows) and isinstance(rows[place], dict):
        own |= {k: v for k, v in rows[place].items() if k in PER_ROW}
    return replace(task, judge={**task.judge, **own}) if own else task


def _carry(phase: Phase, number: int, report: list[str]) -> dict[str, Any]:
    """Codabench's auto-migration carries every team's entries; judge's export may say top N
    (Codabench has no key for it) or a phase that only re-scores carried entries."""
    own = phase.judge
    if own.get("carry") == Carry.TOP_N.value and number > 0:
        return {"carry": Carry.TOP_N, "carry_top_n": own.get("carry_top_n"),
                "scoring_only": own.get("scoring_only") is True}  # fmt: skip
    if (phase.carry or own.get("carry") == Carry.ALL.value) and number > 0:
        return {"carry": Carry.ALL, "scoring_only": own.get("scoring_only") is True}
    if phase.carry:
        report.append(_("Not used: %(key)s.auto_migrate_to_this_phase: the first phase has no "
                        "phase before it.", key=phase.where or phase.name))  # fmt: skip
    return {}


def _maker(series: ProblemSeries, number: int, place: int, phase: Phase, sponsor: Sponsor,
           decides: bool, report: list[str]) -> Maker:  # fmt: skip
    """Row ``place`` of phase ``number``: its first row adds the phase, the others a task."""
    carry = _carry(phase, number, report) if place == 0 else {}

    def make(**settings: Any) -> Problem:
        fixed = SERIES_FIXED if number == place == 0 else series_service.SHARED
        settings = {k: v for k, v in settings.items() if k not in fixed}
        if place == 0:
            return series_service.add_phase(series, sponsor=sponsor, phase_name=phase.name,
                                            decides_ranking=decides, **carry,
                                            **settings)  # fmt: skip
        return series_service.add_task(series, number, sponsor=sponsor, **settings)

    return make


def _description(bundle: Bundle) -> str:
    """The bundle's pages; judge's own export keeps the exact description."""
    if isinstance(bundle.judge.get("description"), str):
        return bundle.judge["description"]
    if len(bundle.pages) == 1:
        return bundle.pages[0][1]
    return "\n\n".join(f"## {title}\n\n{text}" for title, text in bundle.pages)


def _slugify(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")[:40].strip("-")
    return slug if len(slug) >= 3 else fallback


def _row_slug(competition: Competition, series: ProblemSeries, phase: Phase, number: int,
              task: Task, place: int) -> str:  # fmt: skip
    """judge's export keeps each row's slug; else the series', the phase's and (when the
    phase has several) the task's names, or their places (``p1``, ``t2``)."""
    if task.judge.get("slug"):
        return _free_slug(competition, str(task.judge["slug"]))
    parts = [series.slug[:24], _slugify(phase.name, f"p{number + 1}")[:18]]
    if len(phase.task_keys) > 1:
        parts.append(_slugify(task.name, f"t{place + 1}")[:18])
    return _free_slug(competition, "-".join(p.strip("-") for p in parts))


def _free_slug(competition: Competition, slug: str) -> str:
    taken = set(db.session.scalars(
        sa.select(Problem.slug).where(Problem.competition_id == competition.id)))  # fmt: skip
    return _first_free(slug, taken)


def _series_slug(bundle: Bundle, competition: Competition) -> str:
    """judge's export keeps the series' slug (one that is no slug is an error naming the
    file and the key); else one made of the bundle's title."""
    asked = bundle.judge.get("series_slug")
    if not asked:
        return _free_series_slug(competition, _slugify(bundle.title, "problem"))
    try:
        return _free_series_slug(competition, check_slug(str(asked)))
    except DomainError as exc:
        raise Invalid(_("%(file)s: %(key)s: %(message)s", file=bundle.yaml_name,
                        key="judge.series_slug", message=exc.message),
                      field="bundle") from None  # fmt: skip


def _free_series_slug(competition: Competition, slug: str) -> str:
    taken = set(db.session.scalars(sa.select(ProblemSeries.slug).where(
        ProblemSeries.competition_id == competition.id)))  # fmt: skip
    return _first_free(slug, taken)


def _first_free(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug[:58]}-{n}", n + 1
    return candidate
