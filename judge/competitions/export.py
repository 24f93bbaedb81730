"""The organizers' export of a competition's participants, as CSV or XLSX.

One row per person who accepted the rules (the participants page's roster) with their
team, division and, once the results are published, their team's awards. Headers are in
the reader's language. The CSV is UTF-8 with a byte-order mark so that Excel reads Korean;
a cell that a spreadsheet would run as a formula (``= + - @`` …) gets a leading
apostrophe, as in the leaderboard export. Each export is audited: who, when
and how many rows of personal data left the site.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl import Workbook

from judge.accounts.models import User
from judge.audit import log as audit
from judge.client.output import safe_cell
from judge.competitions import participants
from judge.competitions.models import Competition
from judge.core.errors import NotFound
from judge.core.extensions import db
from judge.core.timefmt import local
from judge.finals import results
from judge.teams.models import Membership, Team

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Export:
    filename: str
    mimetype: str
    data: bytes


def export(competition: Competition, fmt: str, actor: User, now: datetime) -> Export:
    """The participants of ``competition`` as a ``fmt`` file; the export is audited."""
    if fmt not in FORMATS:
        raise NotFound(_("No such export format."))
    table = [headers(competition), *rows(competition)]
    audit.record(actor, "participants_exported", competition.id, competition.title,
                 None, {"format": fmt, "rows": len(table) - 1})  # fmt: skip
    data = _csv(table) if fmt == "csv" else _xlsx(table)
    filename = f"{competition.slug}-participants-{now:%Y%m%d}.{fmt}"
    return Export(filename, FORMATS[fmt], data)


def headers(competition: Competition) -> list[str]:
    locale = str(get_locale())
    fields = [f.label(locale) for f in participants.columns(competition)]
    names = [_("Name"), _("Email"), _("Affiliation"), _("Division"), _("Team"), _("Leader"),
             _("Rules accepted"), _("Consent version"), *fields, _("Award")]  # fmt: skip
    return [safe_cell(name) for name in names]


def rows(competition: Competition) -> list[list[str]]:
    """One neutralised row per participant, in the roster's order."""
    teams = _teams_by_user(competition)
    awards = _awards(competition)
    fields = participants.columns(competition)
    out = []
    for person in participants.roster(competition):
        team = teams.get(person.user.id)
        answers = [person.answers[f.id].value if f.id in person.answers else "" for f in fields]
        out.append([safe_cell(cell or "") for cell in [
            person.user.name, person.user.email, person.user.affiliation,
            team.division.name if team else "", team.name if team else "",
            _("Yes") if team and team.leader_id == person.user.id else "",
            local(person.rules_accepted_at, competition.timezone),
            str(person.consent.consent.version) if person.consent else "",
            *answers, awards.get(team.id, "") if team else "",
        ]])  # fmt: skip
    return out


def _teams_by_user(competition: Competition) -> dict[int, Team]:
    found = db.session.execute(
        sa.select(Membership.user_id, Team)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.competition_id == competition.id)
    )
    return {user_id: team for user_id, team in found}


def _awards(competition: Competition) -> dict[int, str]:
    """Each awarded team's awards, once the results are published."""
    entries = results.published(competition)
    if entries is None:
        return {}
    locale = str(get_locale())
    named: dict[int, list[str]] = {}
    for entry in entries:
        if entry.tier is not None:
            name = entry.tier.name_ko if locale == "ko" else entry.tier.name_en
            named.setdefault(entry.finalist.team_id, []).append(
                f"{name} ({entry.finalist.problem.title})"
            )
    for prize in results.special_prizes(competition):
        named.setdefault(prize.team_id, []).append(prize.name)
    return {team_id: "; ".join(names) for team_id, names in named.items()}


def _csv(table: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return out.getvalue().encode("utf-8-sig")


def _xlsx(table: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Participants"
    for line in table:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
