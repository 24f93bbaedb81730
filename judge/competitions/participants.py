"""The organizers' list of a competition's participants: when each accepted the rules, the
newest version of the consent text they accepted, and their answers to the fields. The page
shows it; an export can read the same rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from judge.accounts.models import User
from judge.competitions import consent, participant_fields
from judge.competitions.models import (
    Competition,
    CompetitionConsentAcceptance,
    ParticipantAnswer,
    ParticipantField,
    RulesAcceptance,
)
from judge.core.extensions import db


@dataclass(frozen=True)
class Participant:
    user: User
    rules_accepted_at: datetime
    consent: CompetitionConsentAcceptance | None
    answers: dict[int, ParticipantAnswer]


def roster(competition: Competition) -> list[Participant]:
    """Everyone who accepted the competition's rules, by name."""
    accepted = db.session.execute(
        sa.select(User, RulesAcceptance.accepted_at)
        .join(RulesAcceptance, RulesAcceptance.user_id == User.id)
        .where(RulesAcceptance.competition_id == competition.id)
        .order_by(User.name, User.id)
    )
    consents = consent.accepted_versions(competition)
    answers = _answers(competition)
    return [Participant(user, at, consents.get(user.id), answers.get(user.id, {}))
            for user, at in accepted]  # fmt: skip


def _answers(competition: Competition) -> dict[int, dict[int, ParticipantAnswer]]:
    rows = db.session.scalars(
        sa.select(ParticipantAnswer)
        .join(ParticipantField)
        .where(ParticipantField.competition_id == competition.id)
    )
    out: dict[int, dict[int, ParticipantAnswer]] = {}
    for row in rows:
        out.setdefault(row.user_id, {})[row.field_id] = row
    return out


def columns(competition: Competition) -> list[ParticipantField]:
    """The fields asked now: the table's columns."""
    return participant_fields.active(competition)
