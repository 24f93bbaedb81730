"""A judge's score sheet: every team the judge scores, on one form, saved at once.

The sheet is checked whole before anything is written: each bad cell gets a message that
names the team and the criterion, and one bad cell keeps the whole sheet from being saved.
A team the judge may not score (a conflict of interest, another problem, another
competition) refuses the sheet outright. A blank cell leaves that criterion as it was.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from judge.accounts.models import User
from judge.competitions.models import Competition
from judge.core.errors import Forbidden, Invalid
from judge.core.extensions import db
from judge.finals import comments, judging, news
from judge.finals.models import Criterion, Finalist
from judge.finals.services import require_open

_CELL = re.compile(r"p-(\d+)-(\d+)")
_COMMENT = re.compile(r"comment-(\d+)")


@dataclass
class Entry:
    """What the form says about one finalist: raw points by criterion id, and a comment."""

    cells: dict[int, str] = field(default_factory=dict)
    comment: str | None = None


@dataclass(frozen=True)
class CellError:
    finalist_id: int
    criterion_id: int | None  # None: the comment
    message: str


class SheetInvalid(Invalid):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


def from_form(form: Mapping[str, str]) -> dict[int, Entry]:
    """The sheet's entries by finalist id, from fields ``p-<finalist>-<criterion>`` and
    ``comment-<finalist>``; blank cells are left out."""
    sheet: dict[int, Entry] = {}
    for name, value in form.items():
        if (cell := _CELL.fullmatch(name)) and value.strip():
            entry = sheet.setdefault(int(cell[1]), Entry())
            entry.cells[int(cell[2])] = value.strip()
        elif comment := _COMMENT.fullmatch(name):
            sheet.setdefault(int(comment[1]), Entry()).comment = value
    return sheet


def save(judge: User, competition: Competition, sheet: dict[int, Entry], now: datetime) -> None:
    """Write the whole sheet, or nothing (SheetInvalid lists every bad cell)."""
    judging.require_judge(judge, competition)
    require_open(competition)
    finalists = _allowed(judge, competition, sheet)
    rubric = {c.id: c for c in judging.criteria(competition)}
    points, errors = _checked(finalists, rubric, sheet)
    if errors:
        raise SheetInvalid(errors)
    for finalist in finalists:
        judging.write_points(judge, finalist, rubric, points[finalist.id], now)
        if sheet[finalist.id].comment is not None:
            comments.write(judge, finalist, sheet[finalist.id].comment, now)
    db.session.flush()
    news.judge_finished(judge, competition, judging.missing(competition), now)


def _allowed(judge: User, competition: Competition, sheet: dict[int, Entry]) -> list[Finalist]:
    mine = {f.id: f for f in judging.finalists_for(judge, competition)}
    for finalist_id in sheet:
        finalist = mine.get(finalist_id)
        if finalist is None:
            raise Forbidden(_("The sheet names a team you do not judge."))
        if judging.conflicted(judge, finalist):
            raise Forbidden(_("You cannot score %(team)s: you share an affiliation with it.",
                              team=finalist.team.name))  # fmt: skip
    return [mine[i] for i in sheet]


Points = dict[int, dict[int, float]]  # by finalist id, then criterion id


def _checked(finalists: list[Finalist], rubric: dict[int, Criterion],
             sheet: dict[int, Entry]) -> tuple[Points, list[CellError]]:  # fmt: skip
    points: Points = {}
    errors: list[CellError] = []
    for finalist in finalists:
        entry = sheet[finalist.id]
        points[finalist.id] = {}
        for criterion_id, raw in entry.cells.items():
            value, message = _cell(finalist, rubric.get(criterion_id), raw)
            if message:
                errors.append(CellError(finalist.id, criterion_id, message))
            else:
                points[finalist.id][criterion_id] = value
        if entry.comment is not None and len(entry.comment.strip()) > comments.MAX_CHARS:
            errors.append(CellError(finalist.id, None, _(
                "%(team)s: keep the comment within %(n)d characters.",
                team=finalist.team.name, n=comments.MAX_CHARS)))  # fmt: skip
    return points, errors


def _cell(finalist: Finalist, criterion: Criterion | None, raw: str) -> tuple[float, str]:
    team = finalist.team.name
    if criterion is None:
        return 0.0, _("%(team)s: the sheet names an unknown criterion.", team=team)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return value, _("%(team)s · %(criterion)s: give a number.", team=team,
                        criterion=criterion.name)  # fmt: skip
    if not 0 <= value <= criterion.max_points:
        most = format(criterion.max_points, "g")
        return value, _("%(team)s · %(criterion)s: give 0 to %(most)s points.", team=team,
                        criterion=criterion.name, most=most)  # fmt: skip
    return value, ""


def progress(views: list[judging.JudgeView]) -> Progress:
    """How many of the teams the judge may score have every criterion scored."""
    mine = [v for v in views if not v.conflicted]
    return Progress(sum(v.total is not None for v in mine), len(mine))
