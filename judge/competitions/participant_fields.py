"""What a competition asks each participant (school, student status, student ID for one
division...) and their answers, each confirmed as true. A participant fills them when
accepting the rules and may change them until the team-change deadline; after it only the
competition's organizers may, and their changes are audited. Services flush, never commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import policy, texts
from judge.competitions.models import (
    Competition,
    Division,
    ParticipantAnswer,
    ParticipantField,
)
from judge.core.errors import Forbidden, Invalid, NotFound
from judge.core.extensions import db
from judge.core.tokens import absolute_url
from judge.teams.models import Membership, Team

MAX_LABEL = 100
MAX_VALUE = 200
MAX_FIELDS = 20


def input_name(field: ParticipantField) -> str:
    """The name of the field's input in forms (and of the error it gets)."""
    return f"field-{field.id}"


def active(competition: Competition) -> list[ParticipantField]:
    """The fields the competition asks now, in the order they were added."""
    query = sa.select(ParticipantField).where(
        ParticipantField.competition_id == competition.id, ParticipantField.removed_at.is_(None)
    )
    return list(db.session.scalars(query.order_by(ParticipantField.id)))


def add_field(competition: Competition, label_ko: str, label_en: str, required: bool,
              division: Division | None, actor: User,
              now: datetime) -> ParticipantField:  # fmt: skip
    """Ask every participant (or those of ``division``) one more thing; audited."""
    label_ko = texts.clean(label_ko, MAX_LABEL, "label_ko")
    label_en = texts.clean(label_en, MAX_LABEL, "label_en")
    if not label_ko or not label_en:
        raise Invalid(_("Please name the field in Korean and in English."), field="label_ko")
    if len(active(competition)) >= MAX_FIELDS:
        raise Invalid(_("A competition asks at most %(n)d fields.", n=MAX_FIELDS))
    field = ParticipantField(
        competition_id=competition.id, label_ko=label_ko, label_en=label_en,
        required=required, division=division, created_at=now,
    )  # fmt: skip
    db.session.add(field)
    db.session.flush()
    after = {"required": required, "division": division.name if division else None}
    audit.record(actor, "participant_field_added", competition.id, label_en, None, after)
    return field


def remove_field(competition: Competition, field_id: int, actor: User, now: datetime) -> None:
    """Stop asking a field; the answers given stay on the participants page; audited."""
    field = db.session.get(ParticipantField, field_id)
    if field is None or field.competition_id != competition.id or field.removed_at is not None:
        raise NotFound(_("No such participant field in this competition."))
    field.removed_at = now
    audit.record(actor, "participant_field_removed", competition.id, field.label_en,
                 {"required": field.required}, None)  # fmt: skip
    db.session.flush()


def asked_of(competition: Competition, division: Division | None) -> list[ParticipantField]:
    """The fields for everyone, and those of ``division`` when given."""
    return [f for f in active(competition) if f.division_id in (None, getattr(division, "id", 0))]


def answers_of(user: User, competition: Competition) -> dict[int, ParticipantAnswer]:
    """``user``'s answers in ``competition`` (removed fields too), by field id."""
    rows = db.session.scalars(
        sa.select(ParticipantAnswer)
        .join(ParticipantField)
        .where(ParticipantField.competition_id == competition.id)
        .where(ParticipantAnswer.user_id == user.id)
    )
    return {row.field_id: row for row in rows}


def division_of(user: User, competition: Competition) -> Division | None:
    """The division of ``user``'s team in ``competition``, if they are on one."""
    return db.session.scalar(
        sa.select(Division)
        .join(Team, Team.division_id == Division.id)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.competition_id == competition.id, Membership.user_id == user.id)
    )


def missing(
    user: User, competition: Competition, division: Division | None
) -> list[ParticipantField]:
    """Required fields for ``division`` (or for everyone) that ``user`` has not answered."""
    answered = answers_of(user, competition)
    return [f for f in asked_of(competition, division) if f.required and f.id not in answered]


def check_complete(user: User, competition: Competition, division: Division) -> None:
    """Forbidden, with a link, while a required field for ``division`` is unanswered."""
    gaps = missing(user, competition, division)
    if gaps:
        link = absolute_url("competitions.show", slug=competition.slug, _anchor="details")
        raise Forbidden(
            _("The division “%(division)s” asks for “%(field)s”. Please fill it in on the "
              "competition page first: %(link)s",
              division=division.name, field=gaps[0].label(str(get_locale())), link=link)
        )  # fmt: skip


def save(competition: Competition, user: User, values: dict[int, str], confirmed: bool,
         now: datetime, actor: User | None = None) -> list[ParticipantAnswer]:  # fmt: skip
    """Store ``user``'s answers (by field id) after checking them all: the required fields
    of everyone and of the user's division filled, each short and plain, and the whole
    confirmed as true. ``actor`` (default: the user) may be an organizer (audited)."""
    actor = actor or user
    answered = answers_of(user, competition)
    division = division_of(user, competition)
    fields = active(competition)
    cleaned = _cleaned(fields, values, answered)
    _check_required(fields, cleaned, division)
    changed = [f for f in fields if cleaned.get(f.id, "") != _value(answered.get(f.id))]
    if changed:
        _check_may_edit(competition, user, actor, now)
    if changed and not confirmed:
        raise Invalid(_("Please confirm that what you entered is true."), field="confirm")
    before = {f.label_en: _value(answered.get(f.id)) for f in changed}
    rows = [_write(f, user, cleaned.get(f.id, ""), answered.get(f.id), now) for f in changed]
    if actor.id != user.id:
        after = {f.label_en: cleaned.get(f.id, "") for f in changed}
        audit.record(actor, "participant_answers_changed", competition.id, user.name, before, after)
    db.session.flush()
    return [row for row in rows if row is not None]


def _check_may_edit(competition: Competition, user: User, actor: User, now: datetime) -> None:
    if actor.id != user.id:
        if not policy.is_organizer(actor, competition):
            raise Forbidden(_("Only the competition's organizers may change someone's details."))
        return
    deadline = competition.team_change_deadline
    if deadline is not None and now >= deadline:
        raise Forbidden(_("The team-change deadline has passed; please ask the organizers to "
                          "correct your details."))  # fmt: skip


def _cleaned(fields: list[ParticipantField], values: dict[int, str],
             answered: dict[int, ParticipantAnswer]) -> dict[int, str]:  # fmt: skip
    """Each field's new value (or its stored one when not given), checked."""
    out = {}
    for field in fields:
        given = values[field.id] if field.id in values else _value(answered.get(field.id))
        out[field.id] = texts.clean(given, MAX_VALUE, input_name(field))
    return out


def _check_required(fields: list[ParticipantField], cleaned: dict[int, str],
                    division: Division | None) -> None:  # fmt: skip
    for field in fields:
        asked = field.division_id is None or field.division_id == getattr(division, "id", None)
        if field.required and asked and not cleaned[field.id]:
            raise Invalid(
                _("Please fill in “%(field)s”.", field=field.label(str(get_locale()))),
                field=input_name(field),
            )


def _value(answer: ParticipantAnswer | None) -> str:
    return answer.value if answer is not None else ""


def _write(field: ParticipantField, user: User, value: str, answer: ParticipantAnswer | None,
           now: datetime) -> ParticipantAnswer | None:  # fmt: skip
    """Set, change or (an emptied optional field) delete one answer."""
    if not value:
        if answer is not None:
            db.session.delete(answer)
        return None
    if answer is None:
        answer = ParticipantAnswer(field_id=field.id, user_id=user.id)
        db.session.add(answer)
    answer.value, answer.confirmed_at = value, now
    return answer
