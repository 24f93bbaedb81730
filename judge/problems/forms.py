"""Forms for setting up a problem and uploading its files."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
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

from judge.competitions.forms import local_datetime_field, read_local, to_local
from judge.problems.models import Problem, SplitMethod
from judge.scoring import metrics

NUMBERS = ("public_fraction", "daily_limit", "total_limit", "max_final_selections",
           "score_decimals")  # fmt: skip
SHOWN = ("title", "description", "metric", "id_column", "public_fraction", "daily_limit",
         "min_interval_seconds", "total_limit", "failed_daily_limit", "max_final_selections",
         "runtime", "blend_public_weight", "score_decimals", "scoring_wall_seconds")  # fmt: skip


#: How a solution's rows split between the boards, as the problem forms offer it.
SPLIT_CHOICES = [
    SelectChoice(
        SplitMethod.FRACTION.value, _l("A share of rows, chosen by a salted hash of the id")
    ),
    SelectChoice(SplitMethod.USAGE_COLUMN.value, _l("The solution's Usage column")),
    SelectChoice(
        SplitMethod.ALL.value,
        _l("Every row on both boards (the private board equals the public one)"),
    ),
]


class _ProblemFields(FlaskForm):
    """The settings a new problem's form and a problem's settings form share."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
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
    split_method = SelectField(_l("Public/private split"), choices=SPLIT_CHOICES)
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
    score_decimals = IntegerField(
        _l("Decimals shown in scores"), default=5,
        validators=[Optional(), NumberRange(
            min=0, max=10, message=_l("Scores are shown with 0 to 10 decimals."))],
        description=_l("Every score of this problem shows this many decimals: on the "
                       "leaderboard, in submission lists, the API and the command line."),
    )  # fmt: skip
    opens_at = local_datetime_field(_l("Submissions open (empty: the competition's date)"))
    closes_at = local_datetime_field(_l("Submissions close (empty: the competition's date)"))

    DATES = ("opens_at", "closes_at")

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
        if values["score_decimals"] is None:  # left empty: the default, or the problem's own
            del values["score_decimals"]
        columns = (self.prediction_columns.data or "").split(",")
        return (
            values
            | {
                "title": self.title.data,
                "description": (self.description.data or "").replace("\r\n", "\n"),
                "metric": self.metric.data,
                "metric_options": metrics.parse_options(self.metric_options.data) or None,
                "id_column": self.id_column.data,
                "prediction_columns": [c.strip() for c in columns if c.strip()],
                "split_method": SplitMethod(self.split_method.data),
                "min_interval_seconds": self.min_interval_seconds.data or 0,
            }
            | {name: read_local(getattr(self, name).data, tz_name) for name in self.DATES}
        )


class NewProblemForm(_ProblemFields):
    slug = StringField(_l("Short name (used in addresses)"), validators=[DataRequired()])
    sponsor_id = SelectField(_l("Sponsor"), coerce=int)
    solution = FileField(_l("Solution (CSV, UTF-8)"), validators=[FileRequired()])


class ProblemSettingsForm(_ProblemFields):
    """Every setting ``PATCH /api/v1/problems/<id>`` changes, shown with the problem's values."""

    failed_daily_limit = IntegerField(
        _l("Failed submissions per day that do not count"),
        validators=[InputRequired(), NumberRange(min=0)],
    )
    runtime = SelectField(_l("Python runtime for scoring programs and code"))
    reveal_at = local_datetime_field(_l("Private leaderboard revealed (empty: by an organizer)"))
    blend_public_weight = FloatField(
        _l("Public score weight in the private ranking (0–1; empty: private score only)"),
        validators=[Optional(), NumberRange(min=0, max=1)],
    )

    scoring_wall_seconds = IntegerField(
        _l("Scoring time limit (seconds; empty: the operator's limit)"),
        validators=[Optional()],
        description=_l("How long the scoring program may run on one submission (Codabench's "
                       "execution_time_limit). A program that runs longer fails on the "
                       "organizer's side and the team gets its count back."),
    )  # fmt: skip

    DATES = ("opens_at", "closes_at", "reveal_at")
    locked: frozenset[str] = frozenset()

    @classmethod
    def of(cls, problem: Problem, runtimes: list[str], **kwargs: Any) -> ProblemSettingsForm:
        """The problem's settings, dates in its competition's zone; ``kwargs`` as for a form."""
        tz_name = problem.competition.timezone
        data = {name: getattr(problem, name) for name in SHOWN}
        data |= {name: to_local(getattr(problem, name), tz_name) for name in cls.DATES}
        data["split_method"] = problem.split_method.value
        data["prediction_columns"] = ", ".join(problem.prediction_columns or [])
        data["metric_options"] = options_text(problem.metric_options)
        form = cls(data=data, **kwargs)
        form.runtime.choices = [SelectChoice(name, name) for name in runtimes]
        return form

    def lock(self, reasons: dict[str, str]) -> None:
        """Show each field of ``reasons`` read-only, with why; its value is not sent."""
        for name, reason in reasons.items():
            if name in self:
                self[name].render_kw = {"disabled": True}
                self[name].validators = []
                self[name].description = reason
        self.locked = frozenset(reasons)

    def settings_of(self, problem: Problem) -> dict[str, Any]:
        """The settings as typed, but for the locked ones; a date left as shown (to the
        minute) keeps its seconds."""
        tz_name = problem.competition.timezone
        values = self.settings(tz_name) | {
            "failed_daily_limit": self.failed_daily_limit.data,
            "runtime": self.runtime.data,
            "blend_public_weight": self.blend_public_weight.data,
        }
        if problem.mode.scored_by_program:
            values["scoring_wall_seconds"] = self.scoring_wall_seconds.data
        for name in self.DATES:
            shown = to_local(getattr(problem, name), tz_name)
            if shown is not None and shown.replace(second=0, microsecond=0) == self[name].data:
                values[name] = getattr(problem, name)
        return {name: value for name, value in values.items() if name not in self.locked}


def options_text(options: dict[str, Any] | None) -> str:
    """A problem's metric settings as the form takes them: ``k=10; quantiles=0.1 0.5``."""
    return "; ".join(
        f"{name}={' '.join(map(str, value)) if isinstance(value, list) else value}"
        for name, value in (options or {}).items()
    )


class PublicFileForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])
    description = StringField(_l("What it contains"), validators=[Length(max=500)])


class ProgramForm(FlaskForm):
    program = FileField(_l("Scoring program (zip with metadata.yaml)"), validators=[FileRequired()])
    columns = TextAreaField(
        _l("Leaderboard columns"),
        description=_l("One per line: key, label, higher or lower, decimals, and “hidden” for "
                       "a column only staff see. The first ranks; the others break ties in "
                       "order. A column the platform computes from others ends in “avg of”, "
                       "“sum of”, “min of” or “max of” and their keys, e.g. “best, Best, "
                       "higher, 2, max of acc_1 acc_2”."),
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


class BaselineForm(FlaskForm):
    file = FileField(_l("Baseline file (as a team would submit it)"),
                     validators=[FileRequired(_l("Choose the baseline file."))])  # fmt: skip


class PublishReviewedForm(FlaskForm):
    confirm = BooleanField(
        _l("I checked the problem: show it to the participants now"),
        validators=[DataRequired(_l("Please tick the box to publish the problem."))],
    )


class SendBackForm(FlaskForm):
    comment = TextAreaField(
        _l("What the sponsor should change"),
        validators=[DataRequired(_l("Please say what the sponsor should change."))],
    )
