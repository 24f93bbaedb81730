"""Editing and removing a competition's divisions and sponsors (organizers). Services flush.

A division that teams belong to, or a sponsor that has problems, is not removed: the teams
and problems would lose what they stand in. Every change is in the audit log.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import ngettext

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions.models import Division, Sponsor
from judge.competitions.services import check_name, check_website
from judge.core.errors import Conflict
from judge.core.extensions import db
from judge.problems.models import Problem
from judge.teams.models import Team

DIVISION_FIELDS = ("name", "eligibility")
SPONSOR_FIELDS = ("name", "website", "description")


def _values(row: Division | Sponsor, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def _change(row: Division | Sponsor, actor: User, action: str, changes: dict[str, str]) -> None:
    """Set ``changes`` (stripped) on ``row``; audit the values that differ."""
    before = _values(row, tuple(changes))
    for name, value in changes.items():
        setattr(row, name, (value or "").strip())
    differ = sorted(n for n in changes if before[n] != getattr(row, n))
    if differ:
        after = {n: getattr(row, n) for n in differ}
        audit.record(actor, action, row.competition_id, row.name,
                     {n: before[n] for n in differ}, after)  # fmt: skip


def update_division(division: Division, actor: User, **changes: str) -> Division:
    """Rename a division or change its eligibility; the name stays unique."""
    if "name" in changes:
        others = [d for d in division.competition.divisions if d.id != division.id]
        changes["name"] = check_name(changes["name"], others, "division")
    _change(division, actor, "division_changed", changes)
    return division


def update_sponsor(sponsor: Sponsor, actor: User, **changes: str) -> Sponsor:
    """Change a sponsor's name, website or description; the name stays unique."""
    if "name" in changes:
        others = [s for s in sponsor.competition.sponsors if s.id != sponsor.id]
        changes["name"] = check_name(changes["name"], others, "sponsor")
    if "website" in changes:
        changes["website"] = check_website(changes["website"])
    _change(sponsor, actor, "sponsor_changed", changes)
    return sponsor


def teams_in(division: Division) -> int:
    return db.session.scalar(sa.select(sa.func.count(Team.id)).where(
        Team.division_id == division.id)) or 0  # fmt: skip


def problems_of(sponsor: Sponsor) -> int:
    return db.session.scalar(sa.select(sa.func.count(Problem.id)).where(
        Problem.sponsor_id == sponsor.id)) or 0  # fmt: skip


def remove_division(division: Division, actor: User) -> None:
    """Remove a division no team belongs to (disbanded teams count: they keep theirs)."""
    held = teams_in(division)
    if held:
        raise Conflict(ngettext(
            "%(num)d team belongs to the division %(name)s; it cannot be removed.",
            "%(num)d teams belong to the division %(name)s; it cannot be removed.",
            held, name=division.name))  # fmt: skip
    audit.record(actor, "division_removed", division.competition_id, division.name,
                 _values(division, DIVISION_FIELDS), None)  # fmt: skip
    division.competition.divisions.remove(division)  # the competition's cascade deletes it
    db.session.flush()


def remove_sponsor(sponsor: Sponsor, actor: User) -> None:
    """Remove a sponsor with no problems; its members lose their access to the competition."""
    held = problems_of(sponsor)
    if held:
        raise Conflict(ngettext(
            "The sponsor %(name)s has %(num)d problem; it cannot be removed.",
            "The sponsor %(name)s has %(num)d problems; it cannot be removed.",
            held, name=sponsor.name))  # fmt: skip
    audit.record(actor, "sponsor_removed", sponsor.competition_id, sponsor.name,
                 _values(sponsor, SPONSOR_FIELDS), None)  # fmt: skip
    sponsor.competition.sponsors.remove(sponsor)
    db.session.flush()
