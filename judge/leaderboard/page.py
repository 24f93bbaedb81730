"""The web board's page: each row written once per board version and way of showing it.

A page of the web board is 100 rows of text: ranks and entries with the reader's digit
grouping, a time in the competition's zone and the reader's language, scores with the
problem's decimals. Formatting them with Babel and rendering them on every request was
most of the page's time (``benchmarks/leaderboard_api.py``). So each page's rows are kept
as HTML in this process (``judge.leaderboard.cache``, the pages' store) under the board's
version and everything else their text depends on (:class:`Look`): the board, division
and page, the reader's language, the competition's time zone and division names, the
columns the reader may see and their decimals, the blend, the medals, and the links' root.

Nothing of one reader is kept: the reader's own row (highlighted, labelled) is written on
each request. Who may see the board is decided by the view, on every request, before
anything here is read. A view helper: it renders HTML in the request's context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from flask import get_template_attribute, request, url_for
from markupsafe import Markup

from judge.charts import series
from judge.client.scores import score_text
from judge.core import i18n
from judge.finals.formula import medal_of
from judge.leaderboard import cache
from judge.leaderboard import services as leaderboard
from judge.leaderboard.services import Row
from judge.problems.models import Problem
from judge.scoring.programs.columns import Column

ROW_MACRO = ("leaderboard/_row.html", "board_row")
DASH = "—"  # no score


class Look(NamedTuple):
    """Everything a row's text depends on besides the board's own rows."""

    private: bool
    division_id: int | None
    locale: str
    timezone: str
    divisions: tuple[tuple[int, str], ...]
    columns: tuple[Column, ...]  # those the reader may see
    score_decimals: int
    blended: bool  # the private board shows the private score beside the blend
    medals: bool
    root: str  # where the site's links start (the request's script root)


class Cells(NamedTuple):
    """One row's text as the board shows it."""

    team_id: int
    rank: str
    href: str
    team: str
    division: str
    scores: tuple[str, ...]  # the ranking column, the others, then public / private
    medal: str | None
    auto_selected: bool
    entries: str
    submitted_at: str


class Ranked(NamedTuple):
    """Kept once per board version: each team's row by id, and how the scores spread."""

    by_team: dict[int, Row]
    spread: dict


class Page(NamedTuple):
    """What the view shows of one page; ``rows`` are (team id, HTML), ``own`` the reader's
    team's row anywhere on the board, ``own_html`` its highlighted row when on this page."""

    rows: Sequence[tuple[int, Markup]]
    teams: int
    number: int
    pages: int
    own: Row | None
    own_html: Markup | None
    spread: dict


def look(problem: Problem, private: bool, division_id: int | None,
         divisions: dict[int, str], columns: list[Column]) -> Look:  # fmt: skip
    """How this request shows the board's rows."""
    blended = private and problem.blend_public_weight is not None
    return Look(private, division_id, i18n.locale_code(), problem.competition.timezone,
                tuple(divisions.items()), tuple(columns), problem.score_decimals, blended,
                bool(problem.medals) and private and division_id is None,
                request.script_root)  # fmt: skip


def read(problem: Problem, shown: Look, asked: int, size: int, own_team_id: int | None) -> Page:
    """Page ``asked`` (kept within the board) of the board ``shown`` describes, for a reader
    whose team is ``own_team_id``. The caller has checked that the reader may see it, and
    changed nothing before (the version is the one loaded with the problem)."""
    version = leaderboard.loaded_version(problem)
    board = leaderboard.private_board if shown.private else leaderboard.public_board
    rows = board(problem, shown.division_id, version)
    which = (shown.private, shown.division_id)
    ranked = leaderboard.kept(problem, ("ranked", *which), lambda: _ranked(rows), version=version)
    pages = max(1, -(-len(rows) // size))
    number = min(max(asked, 1), pages)
    start = (number - 1) * size
    html = leaderboard.kept(problem, ("page", number, size, shown),
                            lambda: _render(rows[start : start + size], len(rows), shown, False),
                            cache.PAGES, version)  # fmt: skip
    own = ranked.by_team.get(own_team_id) if own_team_id is not None else None
    own_html = None
    if own is not None and start < own.rank <= start + size:
        own_html = _render([own], len(rows), shown, True)[0][1]
    return Page(html, len(rows), number, pages, own, own_html, ranked.spread)


def _ranked(rows: list[Row]) -> Ranked:
    spread = series.distribution([row.score for row in rows]).as_dict()
    return Ranked({row.team_id: row for row in rows}, spread)


def _render(rows: Sequence[Row], teams: int, shown: Look,
            mine: bool) -> tuple[tuple[int, Markup], ...]:  # fmt: skip
    macro = get_template_attribute(*ROW_MACRO)
    return tuple((row.team_id, macro(cells(row, teams, shown), mine)) for row in rows)


def cells(row: Row, teams: int, shown: Look) -> Cells:
    """``row``'s text as ``shown`` writes it."""
    divisions = dict(shown.divisions)
    medal = medal_of(row.rank, teams) if shown.medals else None
    return Cells(row.team_id, i18n.number(row.rank), url_for("teams.show", team_id=row.team_id),
                 row.team, divisions.get(row.division_id, ""), _scores(row, shown), medal,
                 shown.private and row.auto_selected, i18n.number(row.entries),
                 i18n.local_datetime(row.submitted_at, shown.timezone))  # fmt: skip


def _scores(row: Row, shown: Look) -> tuple[str, ...]:
    decimals = shown.score_decimals
    if shown.columns:
        first, *others = shown.columns
        texts = [_text(row.score, first.precision)]
        texts += [_text((row.details or {}).get(c.key), c.precision) for c in others]
    else:
        texts = [_text(row.score, decimals)]
    if shown.private:
        texts.append(_text(row.public_score, decimals))
        if shown.blended:
            texts.append(_text(row.private_score, decimals))
    return tuple(texts)


def _text(value: float | None, decimals: int) -> str:
    return score_text(value, decimals) or DASH
