"""Forms for setting up a problem and uploading its files."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from judge.competitions.forms import local_datetime_field, read_local
from judge.problems.models import SplitMethod
from judge.scoring import metrics

NUMBERS = ("public_fraction", "daily_limit", "total_limit", "max_final_selections")


class NewProblemForm(FlaskForm):
    slug = StringField(_l("Short name (used in addresses)"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    sponsor_id = SelectField(_l("Sponsor"), coerce=int)
    description = TextAreaField(_l("Description (Markdown)"))
    metric = SelectField(_l("Metric"))
    metric_options = StringField(
        _l("Metric settings"),
        description=_l("Only for metrics that take them, as name=value separated by ';': "
                       "k=10 (ranked lists), season=7 (mase), quantiles=0.1 0.5 0.9 (pinball), "
                       "height=256; width=256; empty=one (masks)."),
    )  # fmt: skip
    id_column = StringField(_l("Id column"), default="id", validators=[DataRequired()])
    prediction_columns = StringField(
        _l("Prediction columns (comma-separated; empty: every other column of the solution)")
    )
    split_method = SelectField(
        _l("Public/private split"),
        choices=[
            SelectChoice(
                SplitMethod.FRACTION.value, _l("A share of rows, chosen by a salted hash of the id")
            ),
            SelectChoice(SplitMethod.USAGE_COLUMN.value, _l("The solution's Usage column")),
        ],
    )
    public_fraction = FloatField(_l("Public share (0–1)"), default=0.3, validators=[Optional()])
    daily_limit = IntegerField(
        _l("Submissions per day (empty: no limit)"), default=5, validators=[Optional()]
    )
    min_interval_seconds = IntegerField(
        _l("Seconds between submissions"), default=0, validators=[Optional(), NumberRange(min=0)]
    )
    total_limit = IntegerField(_l("Total submissions (empty: no limit)"), validators=[Optional()])
    max_final_selections = IntegerField(
        _l("Final submissions a team may select"), default=2, validators=[InputRequired()]
    )
    opens_at = local_datetime_field(_l("Submissions open (empty: the competition's date)"))
    closes_at = local_datetime_field(_l("Submissions close (empty: the competition's date)"))
    solution = FileField(_l("Solution (CSV, UTF-8)"), validators=[FileRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metric.choices = [
            SelectChoice(m.name, f"{m.label} ({m.name})") for m in metrics.REGISTRY.values()
        ]

    def validate_metric_options(self, field: StringField) -> None:
        try:
            metrics.parse_options(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def settings(self, tz_name: str) -> dict[str, Any]:
        """Keyword arguments for ``create_problem``; dates read in ``tz_name``."""
        values = {name: getattr(self, name).data for name in NUMBERS}
        columns = (self.prediction_columns.data or "").split(",")
        return values | {
            "title": self.title.data,
            "description": self.description.data or "",
            "metric": self.metric.data,
            "metric_options": metrics.parse_options(self.metric_options.data) or None,
            "id_column": self.id_column.data,
            "prediction_columns": [c.strip() for c in columns if c.strip()],
            "split_method": SplitMethod(self.split_method.data),
            "min_interval_seconds": self.min_interval_seconds.data or 0,
            "opens_at": read_local(self.opens_at.data, tz_name),
            "closes_at": read_local(self.closes_at.data, tz_name),
        }


class PublicFileForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])
    description = StringField(_l("What it contains"), validators=[Length(max=500)])


class ProgramForm(FlaskForm):
    program = FileField(_l("Scoring program (zip with metadata.yaml)"), validators=[FileRequired()])
    columns = TextAreaField(
        _l("Leaderboard columns"),
        description=_l("One per line: key, label, higher or lower, decimals. The first ranks; "
                       "the others break ties in order."),
        default=lambda: f"score, {_l('Score')}, higher, 4",  # the label in the reader's language
    )  # fmt: skip


class CodeForm(FlaskForm):
    inputs = FileField(_l("Hidden test inputs (one file or a zip; keep empty to keep the current)"))
    cpu_seconds = IntegerField(_l("CPU time (seconds)"), validators=[InputRequired(),
                               NumberRange(min=1, max=21600)], default=600)  # fmt: skip
    wall_seconds = IntegerField(_l("Wall time (seconds)"), validators=[InputRequired(),
                                NumberRange(min=1, max=21600)], default=900)  # fmt: skip
    memory_mb = IntegerField(_l("Memory (MiB)"), validators=[InputRequired(),
                             NumberRange(min=1, max=32768)], default=4096)  # fmt: skip
    output_mb = IntegerField(_l("Output (MiB)"), validators=[InputRequired(),
                             NumberRange(min=1, max=4096)], default=256)  # fmt: skip
    disk_mb = IntegerField(_l("Scratch disk /tmp (MiB)"), validators=[InputRequired(),
                           NumberRange(min=1, max=16384)], default=1024)  # fmt: skip

    validation_inputs = FileField(
        _l("Validation inputs: PUBLIC inputs in the same layout, for teams' validation runs "
           "(optional; empty keeps the current)")
    )  # fmt: skip
    validation_daily_limit = IntegerField(_l("Validation runs per team a day"), validators=[
        Optional(), NumberRange(min=1, max=100)], default=5)  # fmt: skip

    LIMITS = ("cpu_seconds", "wall_seconds", "memory_mb", "output_mb", "disk_mb")

    def limits(self) -> dict[str, int]:
        return {name: getattr(self, name).data for name in self.LIMITS}


class SolutionForm(FlaskForm):
    solution = FileField(_l("New solution (CSV, UTF-8)"), validators=[FileRequired()])
