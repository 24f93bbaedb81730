"""Forms for a problem with phases: the series, a phase, a task, and their edits."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from judge.competitions.forms import local_datetime_field, read_local, to_local
from judge.problems.forms import SPLIT_CHOICES
from judge.problems.models import Carry, Problem, ProblemSeries, SplitMethod
from judge.scoring import metrics

LIMITS = ("daily_limit", "total_limit", "max_final_selections")
WINDOW = ("opens_at", "closes_at")


class SeriesFields(FlaskForm):
    """What the whole series shares: its title, description and scoring."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description (Markdown)"))
    score_decimals = IntegerField(
        _l("Decimals shown in scores"), default=5,
        validators=[InputRequired(), NumberRange(
            min=0, max=10, message=_l("Scores are shown with 0 to 10 decimals."))],
    )  # fmt: skip

    def shared(self) -> dict[str, Any]:
        return {"title": self.title.data,
                "description": (self.description.data or "").replace("\r\n", "\n"),
                "score_decimals": self.score_decimals.data}  # fmt: skip


class SeriesSettingsForm(SeriesFields):
    @classmethod
    def of(cls, series: ProblemSeries, first: Problem, **kwargs: Any) -> SeriesSettingsForm:
        data = {"title": series.title, "description": series.description,
                "score_decimals": first.score_decimals}  # fmt: skip
        return cls(data=data, **kwargs)


class PhaseFields(FlaskForm):
    """A phase's name, window and limits (the same on each of its task rows)."""

    phase_name = StringField(_l("Phase name (e.g. 예선, 본선; empty: “Phase N”)"),
                             validators=[Length(max=100)])  # fmt: skip
    opens_at = local_datetime_field(_l("Submissions open (empty: the competition's date)"))
    closes_at = local_datetime_field(_l("Submissions close (empty: the competition's date)"))
    daily_limit = IntegerField(_l("Submissions per day (empty: no limit)"), default=5,
                               validators=[Optional()])  # fmt: skip
    total_limit = IntegerField(_l("Total submissions (empty: no limit)"), validators=[Optional()])
    max_final_selections = IntegerField(_l("Final submissions a team may select"), default=2,
                                        validators=[InputRequired()])  # fmt: skip

    def phase_settings(self, tz_name: str) -> dict[str, Any]:
        values = {name: self[name].data for name in LIMITS}
        return values | {name: read_local(self[name].data, tz_name) for name in WINDOW}


class PhaseSettingsForm(PhaseFields):
    """A phase's window and limits as they are; its name is renamed on its own form."""

    @classmethod
    def of(cls, first: Problem, **kwargs: Any) -> PhaseSettingsForm:
        tz_name = first.competition.timezone
        data = {name: getattr(first, name) for name in LIMITS}
        data |= {name: to_local(getattr(first, name), tz_name) for name in WINDOW}
        data["phase_name"] = first.phase_name or ""
        return cls(data=data, **kwargs)

    def settings_of(self, first: Problem) -> dict[str, Any]:
        """The window and limits as typed; a date left as shown (to the minute) keeps its
        seconds."""
        tz_name = first.competition.timezone
        values = self.phase_settings(tz_name)
        for name in WINDOW:
            shown = to_local(getattr(first, name), tz_name)
            if shown is not None and shown.replace(second=0, microsecond=0) == self[name].data:
                values[name] = getattr(first, name)
        return values


class RenameForm(FlaskForm):
    phase_name = StringField(_l("Phase name (e.g. 예선, 본선; empty: “Phase N”)"),
                             validators=[Length(max=100)])  # fmt: skip


class TaskFields(FlaskForm):
    """A task row's own: its address, its solution and how the solution is read."""

    slug = StringField(_l("Short name of the task (used in addresses)"),
                       validators=[DataRequired()])  # fmt: skip
    id_column = StringField(_l("Id column"), default="id", validators=[DataRequired()])
    prediction_columns = StringField(
        _l("Prediction columns (comma-separated; empty: every other column of the solution)")
    )
    split_method = SelectField(_l("Public/private split"), choices=SPLIT_CHOICES)
    solution = FileField(_l("Solution (CSV, UTF-8)"), validators=[FileRequired()])

    def task_settings(self) -> dict[str, Any]:
        columns = (self.prediction_columns.data or "").split(",")
        return {"id_column": self.id_column.data,
                "prediction_columns": [c.strip() for c in columns if c.strip()],
                "split_method": SplitMethod(self.split_method.data)}  # fmt: skip


class NewTaskForm(TaskFields):
    pass


class NewPhaseForm(PhaseFields, TaskFields):
    """A later phase with its first task: how entries enter it, and whether it decides."""

    carry = SelectField(
        _l("How teams enter this phase"),
        choices=[
            SelectChoice(Carry.NONE.value, _l("Every team may upload")),
            SelectChoice(Carry.ALL.value, _l("Every team's entry of the earlier phase")),
            SelectChoice(Carry.TOP_N.value, _l("The top N teams of the earlier phase")),
        ],
    )  # fmt: skip
    carry_top_n = IntegerField(_l("N (for the top N teams)"), validators=[Optional()])
    scoring_only = BooleanField(_l("Takes no uploads: only scores the carried entries"))
    decides_ranking = BooleanField(_l("This phase decides the final ranking"))

    def phase_options(self) -> dict[str, Any]:
        carry = Carry(self.carry.data)
        return {"carry": carry,
                "carry_top_n": self.carry_top_n.data if carry == Carry.TOP_N else None,
                "scoring_only": bool(self.scoring_only.data),
                "decides_ranking": bool(self.decides_ranking.data),
                "phase_name": self.phase_name.data}  # fmt: skip


class NewSeriesForm(SeriesFields, PhaseFields, TaskFields):
    """The series and its first phase with its first task, created at once."""

    series_slug = StringField(_l("Short name (used in addresses)"), validators=[DataRequired()])
    sponsor_id = SelectField(_l("Sponsor"), coerce=int)
    metric = SelectField(_l("Metric"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metric.choices = [
            SelectChoice(m.name, f"{m.label} ({m.name})") for m in metrics.REGISTRY.values()
        ]


class DecideForm(FlaskForm):
    """The confirm page's form of "this phase decides the ranking" (CSRF only)."""
