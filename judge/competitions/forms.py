"""Forms for creating and setting up competitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from judge.competitions.models import Competition, Division, ParticipantField, Role, Sponsor
from judge.competitions.participant_fields import input_name
from judge.competitions.services import DATE_FIELDS, Entry
from judge.core.timefmt import from_local, is_timezone

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
TEXT_FIELDS = ("title", "description", "rules", "timezone", "max_team_size")
COMMON_TIMEZONES = ("Asia/Seoul", "Asia/Tokyo", "UTC", "Europe/London", "America/New_York")


def local_datetime_field(label) -> DateTimeLocalField:
    return DateTimeLocalField(
        label, format=[LOCAL_FORMAT, LOCAL_FORMAT + ":%S"], validators=[Optional()]
    )


def to_local(value: datetime | None, tz_name: str) -> datetime | None:
    """A stored UTC timestamp as the naive local time a date input shows."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(tz_name)).replace(tzinfo=None)


def read_local(naive: datetime | None, tz_name: str) -> datetime | None:
    """Typed local time as UTC; an unknown zone is left for the service to report."""
    return from_local(naive, tz_name if is_timezone(tz_name) else "UTC")


def sponsor_choices(sponsors: list[Sponsor]) -> list[SelectChoice]:
    return [SelectChoice(s.id, s.name) for s in sponsors]


class CompetitionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description (Markdown)"))
    rules = TextAreaField(_l("Rules (Markdown)"))
    timezone = StringField(
        _l("Timezone"), default="Asia/Seoul", validators=[DataRequired(), Length(max=64)]
    )
    registration_opens_at = local_datetime_field(_l("Registration opens"))
    registration_closes_at = local_datetime_field(_l("Registration closes"))
    submissions_open_at = local_datetime_field(_l("Submissions open"))
    submissions_close_at = local_datetime_field(_l("Submissions close"))
    results_at = local_datetime_field(_l("Results announced"))
    team_change_deadline = local_datetime_field(_l("Team-change deadline"))
    max_team_size = IntegerField(_l("Maximum team size"), default=5, validators=[InputRequired()])

    @classmethod
    def of(cls, competition: Competition, **kwargs: Any) -> CompetitionForm:
        """A form showing ``competition``'s settings, dates in its own timezone."""
        data = {name: getattr(competition, name) for name in TEXT_FIELDS}
        for name in DATE_FIELDS:
            data[name] = to_local(getattr(competition, name), competition.timezone)
        return cls(formdata=None, data=data, **kwargs)

    def settings(self) -> dict[str, Any]:
        """The fields as keyword arguments for the competition services."""
        values = {name: getattr(self, name).data for name in TEXT_FIELDS}
        values["description"] = values["description"] or ""
        values["rules"] = values["rules"] or ""
        for name in DATE_FIELDS:
            values[name] = read_local(getattr(self, name).data, values["timezone"] or "")
        return values


class NewCompetitionForm(CompetitionForm):
    slug = StringField(_l("Short name (used in addresses)"), validators=[DataRequired()])
    divisions = TextAreaField(_l("Divisions, one per line (name | eligibility)"))

    def division_lines(self) -> list[tuple[str, str]]:
        lines = (line.partition("|") for line in (self.divisions.data or "").splitlines())
        return [(name.strip(), rest.strip()) for name, _sep, rest in lines if name.strip()]


class DivisionForm(FlaskForm):
    name = StringField(_l("Division name"), validators=[DataRequired(), Length(max=100)])
    eligibility = StringField(_l("Who may enter"))


class SponsorForm(FlaskForm):
    name = StringField(_l("Sponsor name"), validators=[DataRequired(), Length(max=200)])
    website = StringField(_l("Website"), validators=[Length(max=300)])
    description = TextAreaField(_l("About the sponsor"))


class SponsorMemberForm(FlaskForm):
    sponsor_id = SelectField(_l("Sponsor"), coerce=int)
    email = EmailField(_l("Email address"), validators=[DataRequired()])


class RoleForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired()])
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.ORGANIZER.value, _l("Organizer")),
            SelectChoice(Role.JUDGE.value, _l("Judge")),
        ],
    )


class ConsentForm(FlaskForm):
    text_ko = TextAreaField(_l("Consent text in Korean"))
    text_en = TextAreaField(_l("Consent text in English"))
    understood = BooleanField(
        _l("I understand that every participant must accept the new version before they "
           "download data or submit again."),
        validators=[DataRequired(_l("Please tick the box to publish a new version."))],
    )  # fmt: skip


class ParticipantFieldForm(FlaskForm):
    label_ko = StringField(_l("Label in Korean"))
    label_en = StringField(_l("Label in English"))
    required = BooleanField(_l("Required"))
    division_id = SelectField(_l("Asked of"), coerce=int)

    def with_divisions(self, divisions: list[Division]) -> ParticipantFieldForm:
        everyone = SelectChoice(0, _l("Every participant"))
        self.division_id.choices = [everyone, *(SelectChoice(d.id, d.name) for d in divisions)]
        return self


def entry_from(formdata: Any, fields: list[ParticipantField]) -> Entry:
    """What the rules form (or the details form) sent: the ticked consent version, the
    answers to ``fields`` and the confirmation."""
    version = (formdata.get("consent") or "").strip()
    answers = {f.id: formdata[input_name(f)] for f in fields if input_name(f) in formdata}
    return Entry(
        consent_version=int(version) if version.isdigit() else None,
        answers=answers,
        confirmed=formdata.get("confirm") == "yes",
    )


class RemoveForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, remove it"), validators=[DataRequired(_l("Please tick the box to remove it."))]
    )
