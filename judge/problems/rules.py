"""Who may change which setting of a problem, in which state: the one table the API and the
pages ask before any change to a problem.

Only a problem's managers (the competition's organizers and its sponsor's members) reach
these questions; the table says which of them may change each field, and when:

========================  =========  =====================  ==========================
field kind                setup      open, closed           results finalized
========================  =========  =====================  ==========================
CONTENT (words, files,    managers   managers               managers
submission limits)
SCORING (metric, id       managers   organizers, audited    nobody: reopen the results
column, runtime, final
selections, solution,
scoring program, code)
ORGANIZER (reveal time,   organizers organizers, audited    nobody: reopen the results
dates, split, blend,
publication)
========================  =========  =====================  ==========================

A sponsor's member does not publish: they submit the problem for review and an organizer
publishes it or sends it back (see problems.review). While it waits in review the sponsor's
members change nothing of it (what the organizers publish is what they reviewed); the
organizers may.

Setup lasts until the problem takes submissions: while it has none and is a draft or not
open yet. Changing a value to what it already is changes nothing and is always allowed (a
client may send back the whole problem); a change of a SCORING or ORGANIZER field is in the
audit log with the values before and after. A field missing from ``FIELDS`` raises
KeyError: whoever adds one must classify it here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy
from judge.competitions.models import Competition
from judge.core.errors import Conflict, DomainError, Forbidden
from judge.core.extensions import db
from judge.finals.models import FinalsSettings
from judge.problems import news
from judge.problems.models import Problem
from judge.submissions.models import Submission


class Kind(enum.Enum):
    CONTENT = "content"
    SCORING = "scoring"
    ORGANIZER = "organizer"


class State(enum.StrEnum):
    SETUP = "setup"
    IN_REVIEW = "in_review"  # a sponsor's draft waiting for the organizers: theirs to change
    OPEN = "open"
    CLOSED = "closed"
    FINALIZED = "finalized"


FIELDS: dict[str, Kind] = {
    # settings (PATCH /problems/<id>, and a new problem's form)
    "title": Kind.CONTENT, "description": Kind.CONTENT, "daily_limit": Kind.CONTENT,
    "min_interval_seconds": Kind.CONTENT, "total_limit": Kind.CONTENT,
    "failed_daily_limit": Kind.CONTENT,
    "metric": Kind.SCORING, "metric_options": Kind.SCORING, "id_column": Kind.SCORING,
    "runtime": Kind.SCORING, "scoring_wall_seconds": Kind.SCORING,
    "max_final_selections": Kind.SCORING, "prediction_columns": Kind.SCORING,
    "reveal_at": Kind.ORGANIZER, "opens_at": Kind.ORGANIZER, "closes_at": Kind.ORGANIZER,
    "split_method": Kind.ORGANIZER, "public_fraction": Kind.ORGANIZER,
    "blend_public_weight": Kind.ORGANIZER, "score_decimals": Kind.CONTENT,
    # uploads and switches
    "file": Kind.CONTENT, "solution": Kind.SCORING, "rescore": Kind.SCORING,
    "program": Kind.SCORING,
    "inputs": Kind.SCORING, "ingestion_program": Kind.SCORING, "limits": Kind.SCORING,
    "submission_kind": Kind.SCORING, "takes_results": Kind.SCORING, "published": Kind.ORGANIZER,
    # sent with the code settings, which change together
    "validation_inputs": Kind.SCORING, "validation_daily_limit": Kind.SCORING,
}  # fmt: skip

# What the audit log records of a field that is not a column of its own name.
RECORDED: dict[str, Callable[[Problem], Any]] = {
    "published": lambda p: p.is_published,
    "program": lambda p: p.score_columns and [c["key"] for c in p.score_columns],
    "inputs": lambda p: p.hidden_inputs_filename,
    "ingestion_program": lambda p: (p.ingestion_program_key or "")[:12] or None,
    "limits": lambda p: p.code_limits,
    "solution": lambda p: None,  # its own entry: solution_replaced
    "file": lambda p: None,
}


def finalized(competition: Competition) -> bool:
    """Whether the competition's results are finalized (nothing that ranks changes)."""
    locked = db.session.scalar(
        sa.select(FinalsSettings.locked_at).where(FinalsSettings.competition_id == competition.id)
    )
    return locked is not None


def has_submissions(problem: Problem) -> bool:
    query = (
        sa.select(Submission.id)
        .where(Submission.problem_id == problem.id, Submission.team_id.is_not(None))
        .limit(1)
    )
    return db.session.scalar(query) is not None


def outdates_scores(problem: Problem, names: Iterable[str]) -> bool:
    """Whether changing ``names`` leaves existing scores on the old rule until re-scored."""
    return any(FIELDS[n] is Kind.SCORING for n in names) and has_submissions(problem)


def state_of(problem: Problem, now: datetime) -> State:
    if finalized(problem.competition):
        return State.FINALIZED
    opens, closes = problem.window()
    started = problem.is_published and (opens is None or now >= opens)
    if not started and not has_submissions(problem):
        return State.IN_REVIEW if problem.in_review else State.SETUP
    if closes is not None and now >= closes:
        return State.CLOSED
    return State.OPEN


def refusal(user: User, competition: Competition, name: str, state: State) -> DomainError | None:
    """Why ``user`` (a manager of the problem) may not change ``name`` now, or None."""
    kind = FIELDS[name]
    if state is State.IN_REVIEW and not policy.is_organizer(user, competition):
        return Conflict(_("The organizers are reviewing this problem: ask them to send it back "
                          "before changing “%(field)s”.", field=name), field=name)  # fmt: skip
    if kind is Kind.CONTENT:
        return None
    if state is State.FINALIZED:
        return Conflict(_("The results are published: reopen them before changing “%(field)s”.",
                          field=name), field=name)  # fmt: skip
    if policy.is_organizer(user, competition):
        return None
    if name == "published":
        return Forbidden(_("A sponsor's problem is published by the organizers: submit it for "
                           "review."), field=name)  # fmt: skip
    if kind is Kind.ORGANIZER:
        return Forbidden(_("Only the competition's organizers may change “%(field)s”.",
                           field=name), field=name)  # fmt: skip
    if state not in (State.SETUP, State.IN_REVIEW):
        return Forbidden(_("Submissions have opened: only the competition's organizers may "
                           "change “%(field)s” now.", field=name), field=name)  # fmt: skip
    return None


def refusals(user: User, problem: Problem, names: Iterable[str], now: datetime) -> dict[str, str]:
    """Why ``user`` may not change each of ``names`` now: what a page shows beside the field."""
    state = state_of(problem, now)
    found = {name: refusal(user, problem.competition, name, state) for name in names}
    return {name: error.message for name, error in found.items() if error is not None}


def require(user: User, problem: Problem, names: Iterable[str], now: datetime) -> None:
    """Refuse (403 or 409, naming the field) the first of ``names`` ``user`` may not change."""
    state = state_of(problem, now)
    for name in names:
        error = refusal(user, problem.competition, name, state)
        if error is not None:
            raise error


def require_new(user: User, competition: Competition, settings: dict[str, Any],
                defaults: dict[str, Any]) -> None:  # fmt: skip
    """A new problem is in setup: its creator may set what differs from the defaults."""
    for name, value in settings.items():
        if value != defaults.get(name):
            error = refusal(user, competition, name, State.SETUP)
            if error is not None:
                raise error


def changes(problem: Problem, settings: dict[str, Any]) -> dict[str, Any]:
    """The settings whose value differs from the problem's."""
    return {name: value for name, value in settings.items()
            if _comparable(getattr(problem, name)) != _comparable(value)}  # fmt: skip


def _comparable(value: Any) -> Any:
    """Strings as stored (stripped), enums by value; datetimes compare as instants."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _plain(value: Any) -> Any:
    """A value as the audit log's JSON keeps it."""
    return value.isoformat() if isinstance(value, datetime) else _comparable(value)


def _value(problem: Problem, name: str) -> Any:
    return _plain(RECORDED[name](problem) if name in RECORDED else getattr(problem, name))


def _recorded(problem: Problem, names: Iterable[str]) -> dict[str, Any]:
    return {n: _value(problem, n) for n in names if FIELDS[n] is not Kind.CONTENT}


@contextmanager
def changing(user: User, problem: Problem, names: Iterable[str], now: datetime) -> Iterator[None]:
    """Refuse what ``user`` may not change; once changed, audit the ranking and visibility
    settings that did change, and tell the organizers of a sponsor's change that matters
    (inside the caller's unit of work)."""
    names = list(names)
    require(user, problem, names, now)
    before = _recorded(problem, names)
    watched_before = news.watched(problem, names, _value)
    yield
    after = _recorded(problem, names)
    news.changed(problem, user, watched_before, news.watched(problem, names, _value), now)
    differ = sorted(n for n in before if before[n] != after[n])
    if differ:
        audit.record(user, "problem_settings_changed", problem.competition_id, problem.title,
                     {n: before[n] for n in differ}, {n: after[n] for n in differ})  # fmt: skip
