"""Forms for forming, joining and renaming teams."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from judge.competitions.models import Competition
from judge.teams.models import Team


class CreateTeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=100)])
    division_id = SelectField(_l("Division"), coerce=int)

    @classmethod
    def of(cls, competition: Competition, **kwargs: Any) -> CreateTeamForm:
        """The form with ``competition``'s divisions to choose from."""
        form = cls(**kwargs)
        form.division_id.choices = [SelectChoice(d.id, d.name) for d in competition.divisions]
        return form


class JoinTeamForm(FlaskForm):
    code = StringField(_l("Invite code"), validators=[DataRequired(), Length(max=32)])


class RenameTeamForm(FlaskForm):
    name = StringField(_l("New team name"), validators=[DataRequired(), Length(max=100)])


class InviteByEmailForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])


class ModerationForm(FlaskForm):
    """An organizer's act on a team: the reason its members read, and the confirmation."""

    name = StringField(_l("New team name"), validators=[Length(max=100)])
    reason = TextAreaField(
        _l("Reason (the team's members read it)"),
        validators=[DataRequired(_l("Give the reason; the team's members will read it.")),
                    Length(max=2000)],
    )  # fmt: skip
    confirm = BooleanField(
        _l("I have read what will happen"),
        validators=[DataRequired(_l("Tick the box to confirm; nothing was changed."))],
    )


class DivisionForm(FlaskForm):
    division_id = SelectField(_l("Division"), coerce=int)

    @classmethod
    def of(cls, competition: Competition, **kwargs: Any) -> DivisionForm:
        form = cls(**kwargs)
        form.division_id.choices = [SelectChoice(d.id, d.name) for d in competition.divisions]
        return form


class MergeRequestForm(FlaskForm):
    # The service decides which teams may merge (and says why not); any id reaches it.
    team_id = SelectField(_l("Team to merge into yours"), coerce=int, validate_choice=False)

    @classmethod
    def of(cls, teams: list[Team], **kwargs: Any) -> MergeRequestForm:
        form = cls(**kwargs)
        form.team_id.choices = [SelectChoice(t.id, t.name) for t in teams]
        return form
