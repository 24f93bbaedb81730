"""Create one draft problem per bundle task, through the same services as the web.

The caller runs this in one unit of work: a task that cannot be imported stops the whole
import with a message naming it, and nothing is kept.
"""

from __future__ import annotations

import contextlib
import csv
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dateutil import parser
from flask_babel import gettext as _
from flask_babel import ngettext

from judge.accounts.models import User
from judge.bundles import images, phased
from judge.bundles.model import Bundle, Phase, Task
from judge.bundles.parts import whole
from judge.competitions import services as competitions
from judge.competitions.models import Competition, Sponsor
from judge.core import storage
from judge.core.errors import DomainError, Invalid
from judge.core.extensions import db
from judge.core.i18n import N_
from judge.problems import code, programs
from judge.problems import services as problems
from judge.problems.models import Problem, ProblemSeries, SplitMethod
from judge.problems.modes import can_take_both
from judge.scoring.code import limits as code_limits
from judge.scoring.engine.splits import USAGE_COLUMN
from judge.scoring.setup import DEFAULT_RUNTIME

ALL_ROWS = {"split_method": SplitMethod.ALL, "public_fraction": None}
SPONSOR_NAME = 200  # the longest sponsor name (Sponsor.name)
PASSED_ON = ("title", "metric", "metric_options", "id_column", "prediction_columns",
             "split_method", "public_fraction", "daily_limit", "min_interval_seconds",
             "total_limit", "failed_daily_limit", "max_final_selections", "blend_public_weight",
             "runtime", "opens_at", "closes_at", "reveal_at", "score_decimals",
             "description")  # fmt: skip


HIDDEN_INPUTS = N_("Task “%(name)s”: its input data stays hidden (the bundle does not set "
                   "make_input_data_available: true) and, without an ingestion program, "
                   "nothing uses it.")  # fmt: skip


SCORING_WALL = N_("Task “%(name)s”: its scoring program runs at most %(seconds)d s "
                  "(execution_time_limit); one that runs longer fails on the organizer's "
                  "side.")  # fmt: skip

SOLUTION_KEPT = N_("Task “%(name)s”: the bundle's solution “%(solution)s” is kept; run it as "
                   "the baseline on the problem's page before publishing.")  # fmt: skip

BOTH_KINDS = N_("Task “%(name)s” takes code and results: a zip with metadata.yaml or "
                "metadata at its root is code, run by the ingestion program; any other upload "
                "is results, which the scoring program reads directly.")  # fmt: skip
CODE_ONLY = N_("Task “%(name)s”: every upload runs through its ingestion program (Codabench "
               "runs it on every submission too, and also copies one without metadata.yaml "
               "into the predictions). To score results directly as well, choose “Take "
               "results too” on the problem's page.")  # fmt: skip

REFERENCE_ZIP = "reference_data.zip"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry holds


@dataclass
class Imported:
    problems: list[Problem] = field(default_factory=list)
    series: ProblemSeries | None = None  # the one problem with phases the rows belong to
    report: list[str] = field(default_factory=list)


def import_bundle(bundle: Bundle, competition: Competition, actor: User,
                  sponsor_name: str | None = None) -> Imported:  # fmt: skip
    """One draft problem per task, and a report of what was not used or was mapped; the
    problems belong to the sponsor named ``sponsor_name`` (created if missing)."""
    done = Imported(report=[*(_("Not used: %(key)s", key=k) for k in bundle.unsupported),
                            *bundle.notes])  # fmt: skip
    sponsor = _sponsor(competition, bundle, sponsor_name, done)
    errors = [*bundle.errors, *images.problems_with(bundle.docker_image, bundle.yaml_name)]
    if not bundle.tasks:
        errors.append(_("%(file)s: the bundle has no task with a scoring program.",
                        file=bundle.yaml_name))  # fmt: skip
    _rules(bundle, competition, actor, done)
    if phased.is_series(bundle):
        errors += phased.task_errors(bundle) or _import_series(bundle, competition, sponsor,
                                                                 actor, done)  # fmt: skip
    else:
        errors += _import_tasks(bundle, competition, sponsor, actor, done)
    if errors:  # every one at once; the caller's unit of work keeps nothing
        raise Invalid("\n".join(errors), field="bundle")
    done.report.append(_("Imported as drafts: publish each problem when it is ready."))
    return done


def _import_tasks(bundle: Bundle, competition: Competition, sponsor: Sponsor, actor: User,
                  done: Imported) -> list[str]:  # fmt: skip
    """One problem on its own per task; the errors, each naming the file and the task."""
    errors = []
    for number, task in enumerate(bundle.tasks, start=1):
        try:
            problem = _import_task(bundle, task, number, competition, sponsor, actor, done)
            done.problems.append(problem)
        except DomainError as exc:
            errors.append(_("%(file)s, task “%(name)s”: %(message)s", file=bundle.yaml_name,
                            name=task.name, message=exc.message))  # fmt: skip
    return errors


def _import_series(bundle: Bundle, competition: Competition, sponsor: Sponsor, actor: User,
                   done: Imported) -> list[str]:  # fmt: skip
    """One series of a row per phase and task; the errors of the rows that failed."""

    def row(view: Bundle, task: Task, slug: str, make: phased.Maker) -> Problem:
        with contextlib.ExitStack() as stack:
            return _create(view, task, slug, sponsor, actor, done, Stager(stack), make)

    lines: list[str] = []
    done.series, done.problems, errors = phased.create(bundle, competition, actor, sponsor,
                                                       row, lines)  # fmt: skip
    done.report[:0] = lines[:1]  # the series first, then what was mapped, then its rows
    done.report.extend(lines[1:])
    return errors


def _named(task: Task, part: str, action: Callable[[], object]) -> None:
    """Run ``action`` on one part of the task; its error names the part's file."""
    try:
        action()
    except DomainError as exc:
        raise Invalid(_("%(path)s: %(message)s", path=task.sources.get(part, part),
                        message=exc.message)) from None  # fmt: skip


def _sponsor(competition: Competition, bundle: Bundle, name: str | None,
             done: Imported) -> Sponsor:  # fmt: skip
    """The sponsor named ``name`` (created if the competition has none by that name); without
    a name, the competition's first sponsor, else one named after the bundle."""
    name = (name or "").strip()
    if len(name) > SPONSOR_NAME:
        raise Invalid(_("A sponsor's name has at most %(n)d characters.", n=SPONSOR_NAME),
                      field="sponsor")  # fmt: skip
    found = next((s for s in competition.sponsors if s.name == name or not name), None)
    if found is not None:
        done.report.append(_("The problems belong to the sponsor “%(name)s”.", name=found.name))
        return found
    default = bundle.title[:SPONSOR_NAME] or _("Imported bundle")
    sponsor = competitions.add_sponsor(competition, name or default)
    done.report.append(_("New sponsor “%(name)s”: the problems belong to it.",
                         name=sponsor.name))  # fmt: skip
    return sponsor


def _rules(bundle: Bundle, competition: Competition, actor: User, done: Imported) -> None:
    """The bundle's terms become the competition's rules when it has none."""
    if not bundle.terms.strip() or bundle.placeholder_terms:
        return
    if competition.rules.strip():
        done.report.append(_("The competition has rules already; the bundle's terms were not "
                             "used as its rules."))  # fmt: skip
        return
    competitions.update_competition(competition, actor=actor, rules=bundle.terms)
    done.report.append(_("The competition had no rules: the bundle's terms are now its "
                         "rules."))  # fmt: skip


def _import_task(bundle: Bundle, task: Task, number: int, competition: Competition,
                 sponsor: Sponsor, actor: User, done: Imported) -> Problem:  # fmt: skip
    with contextlib.ExitStack() as stack:
        slug = _free_slug(competition, task.judge.get("slug") or _slugify(task.name, number))
        return _create(bundle, task, slug, sponsor, actor, done, Stager(stack))


class Stager:
    """Files and zipped folders staged for storage, kept until the task is imported."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self.stack = stack

    def file(self, path: Path) -> storage.StagedFile:
        handle = self.stack.enter_context(path.open("rb"))
        return self.stack.enter_context(storage.staged(handle, 2**40, path.name))

    def zipped(self, folder: Path) -> storage.StagedFile:
        handle = self.stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (kept open)
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in _files(folder):
                _add(archive, path, path.relative_to(folder).as_posix())
        handle.seek(0)
        return self.stack.enter_context(storage.staged(handle, 2**40, folder.name))


def _add(archive: zipfile.ZipFile, path: Path, name: str) -> None:
    """One file, with a fixed date and mode: the same files always zip to the same bytes (an
    export imported again keeps the very same stored reference data and programs)."""
    entry = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    with path.open("rb") as source, archive.open(entry, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def _create(bundle: Bundle, task: Task, slug: str, sponsor: Sponsor, actor: User,
            done: Imported, stage: Stager,
            make: phased.Maker | None = None) -> Problem:  # fmt: skip
    """The task's problem: on its own, or a row of a series (``make``)."""
    files = _as_files(task)
    reference = _reference_files(task, done) if files else _reference_csv(task)
    settings = _settings(bundle, task, None if files else reference, done)
    make = make or (lambda **given: problems.create_problem(sponsor.competition, sponsor,
                                                            **given))  # fmt: skip
    problem = make(
        slug=slug, actor=actor, reference_files=files,
        solution_upload=stage.zipped(reference) if files else stage.file(reference),
        solution_filename=REFERENCE_ZIP if files else reference.name, **settings,
    )  # fmt: skip
    problem.baseline_required = True  # published once a baseline run scored (problems.baseline)
    if task.judge.get("split_salt"):  # an exported problem: same salt, same public rows
        problem.split_salt = str(task.judge["split_salt"])[:64]
        if not files:
            problems.replace_solution(problem, stage.file(reference), reference.name, actor)
    if task.scoring_program is not None:
        problem.scoring_wall_seconds = _scoring_wall(bundle, task, done)
        columns = _labelled(bundle.columns, task) or _default_columns(done)
        _named(task, "scoring_program", lambda: programs.attach_program(
            problem, stage.zipped(task.scoring_program), "program.zip", columns))  # fmt: skip
    _inputs(bundle, task, problem, done, stage)
    _solution(bundle, task, problem, done, stage)
    for phase in _phases_of(bundle, task):
        for part, folder in phase.public.items():
            _public_files(problem, folder, part, stage)
    return problem


def _as_files(task: Task) -> bool:
    """A scoring program reads the reference data as the bundle holds it; judge's own
    exports say which way they were kept. A built-in metric needs the one CSV."""
    if task.scoring_program is None:
        return False
    return bool(task.judge.get("reference_files", "split_method" not in task.judge))


def _reference_files(task: Task, done: Imported) -> Path:
    if task.reference_data is None:
        raise Invalid(_("it has no reference_data for its scoring program."))
    count = len(_files(task.reference_data))
    done.report.append(ngettext(
        "Task “%(name)s”: its reference data (%(num)d file) are kept as the bundle holds "
        "them; the scoring program reads them whole in $input/ref, and its one run gives both "
        "the public and the private score.",
        "Task “%(name)s”: its reference data (%(num)d files) are kept as the bundle holds "
        "them; the scoring program reads them whole in $input/ref, and its one run gives both "
        "the public and the private score.", count, name=task.name))  # fmt: skip
    return task.reference_data


def _reference_csv(task: Task) -> Path:
    found = (sorted(p for p in task.reference_data.rglob("*") if p.suffix.lower() == ".csv")
             if task.reference_data else [])  # fmt: skip
    if len(found) != 1:
        raise Invalid(_("%(path)s: with a built-in metric the reference data must hold "
                        "exactly one CSV file (judge keeps the hidden answers as a CSV with an "
                        "id column); it holds %(n)d.", n=len(found),
                        path=task.sources.get("reference_data", "reference_data")))  # fmt: skip
    return found[0]


def _settings(bundle: Bundle, task: Task, reference: Path | None,
              done: Imported) -> dict[str, Any]:  # fmt: skip
    """The problem's settings; a reference CSV (not files) gives the id column and split."""
    own = {k: v for k, v in task.judge.items() if k in PASSED_ON}
    settings: dict[str, Any] = {
        "title": task.name[:200] or bundle.title[:200],
        "description": _description(bundle, task),
        "metric": "accuracy",
        "runtime": images.runtime_for(bundle.docker_image) or DEFAULT_RUNTIME,
        **_window(bundle, task, done),
    }
    if bundle.score_decimals is not None:
        settings["score_decimals"] = bundle.score_decimals
    if reference is not None:
        header = _header(reference)
        settings.update(id_column=header[0], **_split(header, done, own))
    elif "split_method" not in own:  # files: one run on all of them gives both scores
        settings.update(ALL_ROWS)
    if task.scoring_program is None and "metric" not in own:
        raise Invalid(_("it has no scoring program."))
    settings.update(own)
    settings.update(_exported_window(task))
    return settings


def _exported_window(task: Task) -> dict[str, Any]:
    """judge's own export keeps the exact window (its Codabench phase always has both ends)."""
    window = task.judge.get("window")
    if not isinstance(window, dict):
        return {}
    return {key: _moment(window.get(key)) for key in ("opens_at", "closes_at")}


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        return parser.isoparse(str(value)) if value else None
    except ValueError:
        message = _("judge.window: “%(value)s” is not a date.", value=str(value)[:80])
        raise Invalid(message) from None


def _header(reference: Path) -> list[str]:
    with reference.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    if not header:
        raise Invalid(_("the reference CSV %(name)s is empty.", name=reference.name))
    return header


def _split(header: list[str], done: Imported, own: dict) -> dict[str, Any]:
    if "split_method" in own:
        return {}
    if USAGE_COLUMN in header:
        return {"split_method": SplitMethod.USAGE_COLUMN, "public_fraction": None}
    done.report.append(
        _(
            "No public/private split in the bundle: every reference row scores "
            "both boards, as Codabench scores, so the private board equals the "
            "public one (set split_method under judge: for a hidden share)."
        )
    )
    return dict(ALL_ROWS)


def _description(bundle: Bundle, task: Task) -> str:
    pages = list(bundle.pages)
    if task.description:
        pages.append(("", task.description))
    if len(pages) == 1:
        return pages[0][1]
    return "\n\n".join(f"## {title}\n\n{text}" if title else text for title, text in pages)


def _phases_of(bundle: Bundle, task: Task) -> list[Phase]:
    return [p for p in bundle.phases if task.key in p.task_keys]


def _window(bundle: Bundle, task: Task, done: Imported) -> dict[str, Any]:
    phases = _phases_of(bundle, task)
    if not phases:
        return {}
    if len(phases) > 1:
        done.report.append(_("Task “%(name)s” runs in %(n)d phases; judge has one window "
                             "from the first start to the last end, with the first phase's "
                             "limits.", name=task.name, n=len(phases)))  # fmt: skip
    starts = [p.start for p in phases if p.start]
    ends = [p.end for p in phases if p.end]
    first = phases[0]
    return {"opens_at": min(starts) if starts else None, "closes_at": max(ends) if ends else None,
            "daily_limit": first.max_per_day, "total_limit": first.max_total}  # fmt: skip


def _labelled(columns: list[dict], task: Task) -> list[dict]:
    """judge's own export keeps labels longer than Codabench's 36 characters whole."""
    labels = task.judge.get("column_labels")
    if not isinstance(labels, dict):
        return columns
    return [{**c, "label": str(labels.get(c["key"], c["label"]))} for c in columns]


def _default_columns(done: Imported) -> list[dict]:
    done.report.append(_("The bundle names no leaderboard column; the program's “score” "
                         "ranks (higher is better)."))  # fmt: skip
    return [{"key": "score", "label": "Score"}]


def _inputs(bundle: Bundle, task: Task, problem: Problem, done: Imported,
            stage: Stager) -> None:  # fmt: skip
    """Input data is published only where the bundle says so (Codabench's default: hidden)."""
    runs_code = task.judge.get("submission_kind") == "code" or task.ingestion_program
    if task.input_data is None:
        if task.ingestion_program is not None:
            raise Invalid(_("it has an ingestion program but no input data to run it on."))
        return
    if bundle.input_data_public:
        _public_files(problem, task.input_data, "input_data", stage)
    if not runs_code:
        if not bundle.input_data_public:
            done.report.append(_(HIDDEN_INPUTS, name=task.name))
        return
    name = task.judge.get("hidden_inputs") or "input_data.zip"
    single = task.input_data / name
    upload = (stage.file(single) if single.is_file() and len(_files(task.input_data)) == 1
              else stage.zipped(task.input_data))  # fmt: skip
    wall = _wall(bundle, task)
    limits = task.judge.get("code_limits") or ({"wall_seconds": wall} if wall else None)
    code.take_code(problem, upload, name, limits)
    if task.ingestion_program is not None:
        _named(task, "ingestion_program", lambda: code.set_ingestion_program(
            problem, stage.zipped(task.ingestion_program), "ingestion.zip"))  # fmt: skip
        problem.ingestion_during_scoring = task.during_scoring
        _kinds(task, problem, done)


def _kinds(task: Task, problem: Problem, done: Imported) -> None:
    """Results too where the bundle allows both (judge's own export says so, or CodaLab's
    prediction step); else every upload runs through the ingestion program, said so."""
    if not can_take_both(problem):
        return
    if task.judge.get("takes_results", task.takes_results) is True:
        code.set_takes_results(problem, True)
        done.report.append(_(BOTH_KINDS, name=task.name))
        return
    done.report.append(_(CODE_ONLY, name=task.name))


def _wall(bundle: Bundle, task: Task) -> int | None:
    """Codabench's execution_time_limit (its first phase's): the wall-clock limit of the
    code's run and of the scoring program's, as in Codabench's compute worker."""
    walls = [p.wall_seconds for p in _phases_of(bundle, task) if p.wall_seconds]
    return _within_ceiling(walls[0]) if walls else None


def _within_ceiling(seconds: int) -> int:
    if seconds > code_limits.CEILINGS["wall_seconds"]:
        raise Invalid(_("execution_time_limit: %(value)d s is more than judge allows "
                        "(%(most)d s).", value=seconds,
                        most=code_limits.CEILINGS["wall_seconds"]))  # fmt: skip
    return seconds


def _scoring_wall(bundle: Bundle, task: Task, done: Imported) -> int | None:
    """The scoring program's wall-clock limit: judge's own export says it (empty: the
    operator's), else the phase's execution_time_limit (said in the report)."""
    if "scoring_wall_seconds" in task.judge:
        own = whole(task.judge["scoring_wall_seconds"])
        return None if own is None else _within_ceiling(own)
    wall = _wall(bundle, task)
    if wall is not None:
        done.report.append(_(SCORING_WALL, name=task.name, seconds=wall))
    return wall


def _solution(bundle: Bundle, task: Task, problem: Problem, done: Imported,
              stage: Stager) -> None:  # fmt: skip
    """The bundle's first solution for this task, kept (zipped) as the baseline the organizer
    may run before publishing; hidden like the reference data."""
    mine = [s for s in bundle.solutions if task.key in s.task_keys]
    if not mine:
        return
    problem.bundle_solution_key = storage.put(stage.zipped(mine[0].folder))
    problem.bundle_solution_name = mine[0].name
    done.report.append(_(SOLUTION_KEPT, name=task.name, solution=mine[0].name))
    for other in mine[1:]:
        done.report.append(_("Task “%(name)s”: the solution “%(solution)s” (%(path)s) is not "
                             "kept; judge keeps one solution a task, the first.", name=task.name,
                             solution=other.name, path=other.source))  # fmt: skip


def _public_files(problem: Problem, folder: Path, part: str, stage: Stager) -> None:
    files = _files(folder)
    if any(f.parent != folder for f in files):
        problems.add_public_file(problem, stage.zipped(folder), f"{part}.zip")
        return
    for path in files:
        if not any(f.filename == path.name for f in problem.files):
            problems.add_public_file(problem, stage.file(path), path.name)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _slugify(name: str, number: int) -> str:
    """The title's ASCII words, lower case, joined by hyphens (a Korean title keeps none:
    ``task-<number>``, the task's place in the bundle)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    return slug if len(slug) >= 3 else f"task-{number}"


def _free_slug(competition: Competition, slug: str) -> str:
    taken = set(db.session.scalars(
        sa.select(Problem.slug).where(Problem.competition_id == competition.id)))  # fmt: skip
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug[:58]}-{n}", n + 1
    return candidate
