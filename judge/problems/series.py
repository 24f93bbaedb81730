"""A series: one problem as participants see it, with phases and tasks (docs/design/phases.md).

Each phase × task is a problem row of its own (window, limits, solution, board), so
everything keyed by a problem works on it unchanged; the series groups the rows. Fields the
whole series shares (``SHARED``) are copied on every row and changed on all of them at once
here; fields a phase shares (``PHASE_SHARED``) on the rows of that phase. A row's own fields
(its solution, split, programs, columns) are changed on the row as for any problem.

Services flush; callers commit. A change refused on one row raises, and the caller's unit of
work keeps none of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy
from judge.competitions.models import Competition, Sponsor
from judge.competitions.services import check_slug
from judge.core import storage
from judge.core.errors import Conflict, Forbidden, Invalid, NotFound
from judge.core.extensions import db
from judge.finals.models import Finalist
from judge.problems import rules
from judge.problems import services as problems
from judge.problems.models import Carry, Problem, ProblemSeries

#: Copied on every row of a series: what the participant sees as the one problem.
SHARED = problems.SERIES_SHARED
#: Copied on every row of one phase: its window, its limits and its reveal.
PHASE_SHARED = problems.PHASE_SHARED


def create_series(competition: Competition, *, slug: str, title: str, actor: User,
                  description: str = "") -> ProblemSeries:  # fmt: skip
    """A new series with no rows yet; only the competition's organizers make one."""
    if not policy.is_organizer(actor, competition):
        raise Forbidden(_("Only the competition's organizers may create a problem with phases."))
    slug = check_slug(slug)
    if not (title or "").strip():
        raise Invalid(_("Please give the problem a title."), field="title")
    taken = sa.select(ProblemSeries.id).where(
        ProblemSeries.competition_id == competition.id, ProblemSeries.slug == slug
    )
    if db.session.scalar(taken):
        raise Conflict(_("This competition already has a problem with phases with that short "
                         "name."), field="slug")  # fmt: skip
    series = ProblemSeries(competition_id=competition.id, slug=slug, title=title.strip()[:200],
                           description=(description or "").strip())  # fmt: skip
    db.session.add(series)
    db.session.flush()
    return series


def get_series(competition: Competition, slug: str) -> ProblemSeries:
    series = db.session.scalar(sa.select(ProblemSeries).where(
        ProblemSeries.competition_id == competition.id, ProblemSeries.slug == slug))  # fmt: skip
    if series is None:
        raise NotFound(_("No such problem."))
    return series


def rows(series: ProblemSeries) -> list[Problem]:
    """The series' problem rows, by phase, then task."""
    return list(db.session.scalars(
        sa.select(Problem).where(Problem.series_id == series.id)
        .order_by(Problem.phase_index, Problem.task_index)))  # fmt: skip


def phase_rows(series: ProblemSeries, phase_index: int) -> list[Problem]:
    return [row for row in rows(series) if row.phase_index == phase_index]


def phase_count(series: ProblemSeries) -> int:
    return 1 + max((row.phase_index for row in rows(series)), default=-1)


def add_phase(series: ProblemSeries, *, slug: str, solution_upload: storage.StagedFile,
              solution_filename: str, actor: User, sponsor: Sponsor | None = None,
              carry: Carry = Carry.NONE, carry_top_n: int | None = None,
              scoring_only: bool = False, decides_ranking: bool = False,
              reference_files: bool = False, phase_name: str | None = None,
              **settings: Any) -> Problem:  # fmt: skip
    """A new last phase with its first task row. The series' first row sets the shared fields
    (``SHARED``, given here) and decides the ranking; a later phase takes them from the
    series, and decides the ranking only with ``decides_ranking``. ``phase_name`` names the
    phase (예선, 본선); without one it is shown as "Phase N"."""
    phase = phase_count(series)
    _check_carry(phase, carry, carry_top_n, scoring_only)
    phase_name = _check_phase_name(phase_name)
    row = _add_row(series, phase, 0, slug=slug, solution_upload=solution_upload,
                   solution_filename=solution_filename, actor=actor, sponsor=sponsor,
                   reference_files=reference_files, settings=settings)  # fmt: skip
    row.carry, row.carry_top_n, row.scoring_only = carry, carry_top_n, scoring_only
    row.phase_name = phase_name
    row.decides_ranking = phase == 0
    db.session.flush()
    if decides_ranking and phase > 0:
        set_decides_ranking(series, row, actor)
    return row


def add_task(series: ProblemSeries, phase_index: int, *, slug: str,
             solution_upload: storage.StagedFile, solution_filename: str, actor: User,
             sponsor: Sponsor | None = None, reference_files: bool = False,
             **settings: Any) -> Problem:  # fmt: skip
    """Another task row of an existing phase: the phase's window, limits and carrying, the
    series' shared fields, and the task's own solution and settings."""
    siblings = phase_rows(series, phase_index)
    if not siblings:
        raise NotFound(_("The problem has no phase %(number)d.", number=phase_index + 1))
    first = siblings[0]
    own = {name: getattr(first, name) for name in PHASE_SHARED} | settings
    row = _add_row(series, phase_index, len(siblings), slug=slug, sponsor=sponsor,
                   solution_upload=solution_upload, solution_filename=solution_filename,
                   actor=actor, reference_files=reference_files, settings=own)  # fmt: skip
    for name in ("carry", "carry_top_n", "scoring_only", "phase_name"):  # the phase's own
        setattr(row, name, getattr(first, name))
    db.session.flush()
    return row


def _add_row(series: ProblemSeries, phase_index: int, task_index: int, *, slug: str,
             solution_upload: storage.StagedFile, solution_filename: str, actor: User,
             sponsor: Sponsor | None, reference_files: bool,
             settings: dict[str, Any]) -> Problem:  # fmt: skip
    existing = rows(series)
    _refuse_shared(settings, SHARED if existing else ("title", "description"))
    if existing:
        settings = settings | {name: getattr(existing[0], name) for name in SHARED}
    settings = settings | {"title": series.title, "description": series.description}
    competition = db.session.get(Competition, series.competition_id)
    sponsor = sponsor or (existing[0].sponsor if existing else None)
    if sponsor is None:
        raise Invalid(_("Choose the sponsor of the problem."), field="sponsor_id")
    row = problems.create_problem(competition, sponsor, slug=slug, actor=actor,
                                  solution_upload=solution_upload,
                                  solution_filename=solution_filename,
                                  reference_files=reference_files, **settings)  # fmt: skip
    row.series_id, row.phase_index, row.task_index = series.id, phase_index, task_index
    row.decides_ranking = False  # until the caller says which row decides (one per series)
    db.session.flush()
    return row


def _refuse_shared(settings: dict[str, Any], shared: tuple[str, ...]) -> None:
    """The series sets its title and description; its first row, the other shared fields."""
    given = [name for name in shared if name in settings]
    if given:
        raise Invalid(_("%(fields)s belong to the whole problem and are set on it, not on one "
                        "phase or task.", fields=", ".join(given)), field=given[0])  # fmt: skip


def _check_carry(phase: int, carry: Carry, top_n: int | None, scoring_only: bool) -> None:
    carry = Carry(carry)
    if phase == 0 and carry != Carry.NONE:
        raise Invalid(_("The first phase has no earlier phase to take entries from."),
                      field="carry")  # fmt: skip
    if carry == Carry.TOP_N and (top_n is None or top_n < 1):
        raise Invalid(_("Say how many of the best teams enter this phase (at least 1)."),
                      field="carry_top_n")  # fmt: skip
    if carry != Carry.TOP_N and top_n is not None:
        raise Invalid(_("A number of teams applies only when the top teams enter this phase."),
                      field="carry_top_n")  # fmt: skip
    if scoring_only and carry == Carry.NONE:
        raise Invalid(_("A phase that takes no uploads must take the earlier phase's entries."),
                      field="scoring_only")  # fmt: skip


def edit_series(series: ProblemSeries, actor: User, settings: dict[str, Any],
                now: datetime) -> list[str]:  # fmt: skip
    """Change fields the whole series shares on every row at once, each row as the problem
    rules allow ``actor`` (audited where they say so); the names of the fields that changed."""
    _only(settings, SHARED)
    if "title" in settings and not (settings["title"] or "").strip():
        raise Invalid(_("Please give the problem a title."), field="title")
    changed: set[str] = set()
    for row in rows(series):
        changed.update(problems.change_settings(row, actor, settings, now, in_series=True))
    if "title" in settings:
        series.title = settings["title"].strip()[:200]
    if "description" in settings:
        series.description = (settings["description"] or "").strip()
    db.session.flush()
    return sorted(changed)


PHASE_NAME_LENGTH = 100


def _check_phase_name(name: str | None) -> str | None:
    name = (name or "").strip()
    if len(name) > PHASE_NAME_LENGTH:
        raise Invalid(_("A phase's name may be at most %(count)d characters.",
                        count=PHASE_NAME_LENGTH), field="phase_name")  # fmt: skip
    return name or None


def phase_label(row: Problem) -> str:
    """What the phase of ``row`` is called on pages: its name, or "Phase N"."""
    return row.phase_name or _("Phase %(number)d", number=(row.phase_index or 0) + 1)


def rename_phase(series: ProblemSeries, phase_index: int, name: str | None,
                 actor: User) -> list[Problem]:  # fmt: skip
    """Give a phase a name (every row of it); empty: "Phase N" again. Organizers only."""
    if not policy.is_organizer(actor, db.session.get(Competition, series.competition_id)):
        raise Forbidden(_("Only the competition's organizers may rename a phase."))
    siblings = phase_rows(series, phase_index)
    if not siblings:
        raise NotFound(_("The problem has no phase %(number)d.", number=phase_index + 1))
    name = _check_phase_name(name)
    before = siblings[0].phase_name
    if name == before:
        return siblings
    for row in siblings:
        row.phase_name = name
    db.session.flush()
    audit.record(actor, "problem_settings_changed", series.competition_id, series.title,
                 {"phase": phase_index + 1, "phase_name": before},
                 {"phase": phase_index + 1, "phase_name": name})  # fmt: skip
    return siblings


def edit_phase(series: ProblemSeries, phase_index: int, actor: User, settings: dict[str, Any],
               now: datetime) -> list[str]:  # fmt: skip
    """Change a phase's window, limits or reveal on each of its task rows at once."""
    _only(settings, PHASE_SHARED)
    siblings = phase_rows(series, phase_index)
    if not siblings:
        raise NotFound(_("The problem has no phase %(number)d.", number=phase_index + 1))
    changed: set[str] = set()
    for row in siblings:
        changed.update(problems.change_settings(row, actor, settings, now, in_series=True))
    return sorted(changed)


def _only(settings: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(settings) - set(allowed))
    if unknown:
        raise Invalid(_("Unknown field: %(name)s", name=", ".join(unknown)))


def set_decides_ranking(series: ProblemSeries, row: Problem, actor: User) -> Problem:
    """Make ``row`` the one whose private board shortlists, awards and certificates use;
    audited, as it changes what ranks the teams."""
    if row.series_id != series.id:
        raise NotFound(_("No such problem."))
    if not policy.is_organizer(actor, db.session.get(Competition, series.competition_id)):
        raise Forbidden(_("Only the competition's organizers may choose the phase that "
                          "decides the ranking."))  # fmt: skip
    before = next((r for r in rows(series) if r.decides_ranking), None)
    if before is row:
        return row
    if rules.finalized(row.competition):
        raise Conflict(_("The results are published: reopen them before choosing another "
                         "phase to decide the ranking."))  # fmt: skip
    if _shortlisted(series.competition_id):
        raise Conflict(_("The competition has a shortlist: the phase that decides the ranking "
                         "can no longer change."))  # fmt: skip
    if before is not None:
        before.decides_ranking = False
        db.session.flush()  # one row of a series decides: the unique index checks each step
    row.decides_ranking = True
    db.session.flush()
    audit.record(actor, "problem_settings_changed", series.competition_id, series.title,
                 {"decides_ranking": before.slug if before else None},
                 {"decides_ranking": row.slug})  # fmt: skip
    return row


def _shortlisted(competition_id: int) -> bool:
    return db.session.scalar(
        sa.select(Finalist.id).join(Problem, Problem.id == Finalist.problem_id)
        .where(Problem.competition_id == competition_id).limit(1)) is not None  # fmt: skip


def deciding_row(series: ProblemSeries) -> Problem | None:
    return next((row for row in rows(series) if row.decides_ranking), None)
