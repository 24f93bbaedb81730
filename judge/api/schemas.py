"""Marshmallow schemas: they parse API requests, shape answers and make the OpenAPI document."""

from __future__ import annotations

from datetime import UTC

import marshmallow as ma
from flask import url_for
from marshmallow import fields, validate
from werkzeug.datastructures import FileStorage

from judge.client.scores import score_text
from judge.competitions.models import Role
from judge.core.i18n import N_, stored_message
from judge.core.routing import MAX_ID
from judge.problems.models import SplitMethod
from judge.scoring import metrics
from judge.submissions import details as score_details
from judge.teams.moderation import ACTS as MODERATION_ACTS


class Schema(ma.Schema):
    class Meta:
        ordered = True


def reference(**kwargs) -> fields.Integer:
    """The id of a row named in a request: a number a database id column can hold."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def count(**kwargs) -> fields.Integer:
    """A count or a number of seconds set in a request, stored in a 32-bit column."""
    return fields.Integer(validate=validate.Range(min=0, max=MAX_ID), **kwargs)


def when(**kwargs) -> fields.AwareDateTime:
    """A timestamp in ISO 8601; one without an offset is read as UTC."""
    return fields.AwareDateTime(default_timezone=UTC, allow_none=True, **kwargs)


class MetricOptions(fields.Field):
    """The metric's settings: an object, or in a multipart form ``k=10; season=7``."""

    def _deserialize(self, value, attr, data, **kwargs) -> dict | None:
        if value is None or isinstance(value, dict):
            return value
        if not isinstance(value, str):
            raise ma.ValidationError(N_("Give the metric's settings as an object."))
        try:
            return metrics.parse_options(value)
        except ValueError as exc:
            raise ma.ValidationError(str(exc)) from None


class ErrorDetail(Schema):
    code = fields.String(required=True, metadata={"description": "Machine-readable reason"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for people"})
    field = fields.String(metadata={"description": "The request field at fault"})
    details = fields.Dict()
    field_errors = fields.Dict(
        data_key="fields", metadata={"description": "Per-field validation messages"}
    )


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetail, required=True)


# accounts


class TokenRequest(Schema):
    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(load_default="", validate=validate.Length(max=100))


class Token(Schema):
    id = fields.Integer()
    name = fields.String()
    prefix = fields.String(metadata={"description": "The token's first characters"})
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    active = fields.Boolean()


class NewToken(Token):
    token = fields.String(
        attribute="secret", metadata={"description": "The secret; shown only in this answer"}
    )


class Me(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    affiliation = fields.String()
    is_admin = fields.Boolean()
    locale = fields.String(
        allow_none=True,
        metadata={
            "description": "Language of pages and messages (ko, en); null follows the browser"
        },
    )


class MeUpdate(Schema):
    locale = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(["ko", "en"]),
        metadata={"description": "ko or en; null follows the browser's Accept-Language"},
    )


# competitions


class DivisionIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    eligibility = fields.String(load_default="")


class DivisionChange(Schema):
    name = fields.String(validate=validate.Length(min=1, max=100))
    eligibility = fields.String()


class Division(DivisionIn):
    id = fields.Integer(dump_only=True)


class SponsorIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    website = fields.String(load_default="", validate=validate.Length(max=300))
    description = fields.String(load_default="")


class SponsorChange(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    website = fields.String(validate=validate.Length(max=300))
    description = fields.String()


class Sponsor(SponsorIn):
    id = fields.Integer(dump_only=True)


class NoticeIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    body = fields.String(required=True, validate=validate.Length(min=1, max=20_000),
                         metadata={"description": "Markdown"})  # fmt: skip
    problem_id = reference(load_default=None, allow_none=True,
                           metadata={"description": "Omit for the whole competition"})  # fmt: skip
    pinned = fields.Boolean(load_default=False)
    email_participants = fields.Boolean(
        load_default=False, metadata={"description": "Notify everyone who accepted the rules"}
    )


class Notice(Schema):
    id = fields.Integer()
    title = fields.String()
    body = fields.String(metadata={"description": "Markdown"})
    problem_id = fields.Integer(allow_none=True)
    pinned = fields.Boolean()
    emailed = fields.Boolean()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime(allow_none=True)


class Ref(Schema):
    id = fields.Integer()
    name = fields.String()


class Person(Schema):
    id = fields.Integer()
    name = fields.String()


class EmailIn(Schema):
    email = fields.String(required=True)


class SponsorMember(Schema):
    id = fields.Integer()
    user = fields.Nested(Person)


class RoleIn(Schema):
    email = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))


class RoleOut(Schema):
    id = fields.Integer()
    role = fields.Function(lambda r: r.role.value)
    user = fields.Nested(Person)


class StaffInvitationOut(Schema):
    """A pending offer of a role or a sponsor's membership to an address (202 answers)."""

    id = fields.Integer()
    status = fields.Constant("invited")
    email = fields.String()
    role = fields.Function(lambda i: i.role.value if i.role else None)
    sponsor_id = fields.Integer(allow_none=True)
    expires_at = fields.DateTime()


class CompetitionFields(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String()
    rules = fields.String()
    timezone = fields.String(metadata={"example": "Asia/Seoul"})
    registration_opens_at = when()
    registration_closes_at = when()
    submissions_open_at = when()
    submissions_close_at = when()
    results_at = when()
    team_change_deadline = when()
    max_team_size = fields.Integer(validate=validate.Range(min=1, max=100))


class CompetitionCreate(CompetitionFields):
    slug = fields.String(required=True, metadata={"example": "ai-innovation-2026"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    divisions = fields.List(fields.Nested(DivisionIn), load_default=list)


class Competition(CompetitionFields):
    id = fields.Integer()
    slug = fields.String()
    state = fields.String(
        metadata={"enum": ["draft", "published", "archived"],
                  "description": "A draft is seen by its staff only; archived is read-only."}
    )  # fmt: skip
    created_at = fields.DateTime()
    divisions = fields.List(fields.Nested(Division))
    sponsors = fields.List(fields.Nested(Sponsor))


class RulesAcceptanceIn(Schema):
    consent_version = fields.Integer(load_default=None)
    answers = fields.Dict(keys=fields.Integer(), values=fields.String(), load_default=dict)
    confirm = fields.Boolean(load_default=False)


class RulesAcceptance(Schema):
    competition = fields.String()
    accepted_at = fields.DateTime()
    consent_version = fields.Integer(allow_none=True)


# problems


class FileField(fields.Raw):
    """An uploaded file; anything else in its place is refused."""

    default_error_messages = {"invalid": N_("Send a file here (multipart/form-data).")}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise self.make_error("invalid")
        return value


def upload(description: str) -> FileField:
    return FileField(
        required=True, metadata={"type": "string", "format": "binary", "description": description}
    )


def _split_columns(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


class ProblemSettings(Schema):
    reveal_at = when()
    blend_public_weight = fields.Float(allow_none=True, validate=validate.Range(min=0, max=1))
    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String()
    metric = fields.String(validate=validate.OneOf(metrics.names()))
    metric_options = MetricOptions(
        allow_none=True,
        metadata={"type": "object", "description": "The metric's settings by name, e.g. "
                  "{\"k\": 10} (ranked lists), {\"season\": 7} (mase), {\"quantiles\": "
                  "[0.1, 0.5, 0.9]} (pinball), {\"height\": 256, \"width\": 256, \"empty\": "
                  "\"one\"} (masks); in a multipart form: k=10; season=7"},
    )  # fmt: skip
    id_column = fields.String(validate=validate.Length(min=1, max=100))
    split_method = fields.String(validate=validate.OneOf([m.value for m in SplitMethod]))
    public_fraction = fields.Float(allow_none=True)
    daily_limit = count(allow_none=True)
    min_interval_seconds = count()
    total_limit = count(allow_none=True)
    failed_daily_limit = count()
    max_final_selections = count()
    opens_at = when()
    closes_at = when()
    runtime = fields.String(
        metadata={"description": "The Python its scoring program and teams' code run on"}
    )
    score_decimals = fields.Integer(
        validate=validate.Range(min=0, max=10),
        metadata={"description": "Every score of the problem is shown with this many decimals"},
    )
    scoring_wall_seconds = count(
        allow_none=True,
        metadata={"description": "Wall-clock seconds the problem's own scoring program may "
                  "run (Codabench's execution_time_limit); null: the operator's limit"},
    )  # fmt: skip


class ProblemCreate(ProblemSettings):
    """The multipart request that creates a problem with its solution."""

    solution = upload("The hidden solution CSV")
    slug = fields.String(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    sponsor_id = reference(required=True)
    metric = fields.String(required=True, validate=validate.OneOf(metrics.names()))
    prediction_columns = fields.String(
        load_default="",
        metadata={"description": "Comma-separated; empty means every solution column but the id"},
    )

    @ma.post_load
    def columns_as_list(self, data: dict, **kwargs) -> dict:
        data["prediction_columns"] = _split_columns(data.get("prediction_columns", ""))
        return data


class SolutionUpload(Schema):
    solution = upload("The hidden solution CSV")
    rescore = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Also queue every scored or failed submission to be scored "
            "again against the new answers; required once the private leaderboard is "
            "revealed"
        },
    )


class ScoreColumn(Schema):
    key = fields.String(required=True, metadata={"description": "The key the program reports"})
    label = fields.String()
    higher_is_better = fields.Boolean(load_default=True)
    precision = fields.Integer(load_default=4)
    hidden = fields.Boolean(
        load_default=False, metadata={"description": "Shown to organizers and the sponsor only"}
    )
    computation = fields.String(
        allow_none=True,
        metadata={"description": "avg, sum, min or max: a computed column (Codabench's "
                  "computation), which the platform computes from `inputs`; absent: reported"},
    )  # fmt: skip
    inputs = fields.List(
        fields.String(),
        metadata={"description": "A computed column's inputs: keys of columns the program reports"},
    )


class ProgramUpload(Schema):
    program = upload("The scoring program: a zip with metadata.yaml (Codabench/CodaLab format)")
    columns = fields.String(
        required=True,
        metadata={"description": 'Leaderboard columns as JSON, the first ranks: '
                  '[{"key": "dice", "label": "Dice", "higher_is_better": true, "precision": 4}]; '
                  'a computed column names its computation and inputs: {"key": "best", '
                  '"computation": "max", "inputs": ["dice", "iou"]}'},
    )  # fmt: skip


class CodeSettings(Schema):
    inputs = FileField(
        metadata={"type": "string", "format": "binary",
                  "description": "The hidden test inputs: one file or a zip (optional once set)"},
    )  # fmt: skip
    ingestion_program = FileField(
        metadata={"type": "string", "format": "binary",
                  "description": "Optional: the sponsor's ingestion program (a zip with "
                  "metadata.yaml) that runs each team's code from $submission_program"},
    )  # fmt: skip
    limits = fields.String(
        metadata={"description": 'The code\'s limits as JSON, e.g. {"cpu_seconds": 600, '
                  '"wall_seconds": 900, "memory_mb": 4096, "output_mb": 256, "disk_mb": 1024}'},
    )  # fmt: skip
    validation_inputs = FileField(
        metadata={"type": "string", "format": "binary",
                  "description": "Optional: PUBLIC inputs in the hidden inputs' layout, for "
                  "teams' validation runs (their whole output is shown to the team)"},
    )  # fmt: skip
    validation_daily_limit = count(metadata={"description": "Validation runs per team a day"})
    takes_results = fields.Boolean(metadata={
        "description": "Take results too (needs an ingestion program and a scoring program): "
                       "an upload with metadata.yaml or metadata at its zip's root is code, "
                       "anything else results that the scoring program reads directly",
    })  # fmt: skip


class FileUpload(Schema):
    file = upload("A public file")
    description = fields.String(load_default="", validate=validate.Length(max=500))


class ProblemFile(Schema):
    id = fields.Integer()
    filename = fields.String()
    description = fields.String()
    size = fields.Integer()
    uploaded_at = fields.DateTime()


class SolutionInfo(Schema):
    filename = fields.String()
    size = fields.Integer()
    rows = fields.Integer()
    public_rows = fields.Integer()
    private_rows = fields.Integer()
    uploaded_at = fields.DateTime()


class ScoringSetup(Schema):
    """What ``judge score --problem`` needs to score a file as the platform does."""

    problem_id = fields.Integer()
    metric = fields.String()
    options = fields.Dict(metadata={"description": "The metric's settings"})
    higher_is_better = fields.Boolean()
    id_column = fields.String()
    prediction_columns = fields.List(fields.String())
    target_columns = fields.List(fields.String(), metadata={"description": "The solution's"})
    split_method = fields.String(
        metadata={"description": "fraction, usage_column or all (every row on both boards)"}
    )
    public_fraction = fields.Float(allow_none=True)
    split_salt = fields.String(
        metadata={"description": "The secret key of the split by id (reading it is audited)"}
    )
    decimals = fields.Integer(metadata={"description": "Scores are shown with this many"})
    max_bytes = fields.Integer(metadata={"description": "The largest submission scored"})


class Problem(ProblemSettings):
    id = fields.Integer()
    slug = fields.String()
    competition = fields.Function(lambda p: p.competition.slug)
    sponsor = fields.Nested(Ref)
    higher_is_better = fields.Boolean()
    prediction_columns = fields.List(fields.String())
    published = fields.Boolean(attribute="is_published")
    submissions_open_at = fields.Function(lambda p: _iso(p.window()[0]))
    submissions_close_at = fields.Function(lambda p: _iso(p.window()[1]))
    files = fields.List(fields.Nested(ProblemFile))
    score_columns = fields.List(
        fields.Nested(ScoreColumn), allow_none=True, attribute="shown_score_columns",
        metadata={"description": "The organizers and the sponsor see hidden columns too"},
    )  # fmt: skip
    submission_kind = fields.String(
        metadata={"description": "predictions: upload files; code: upload a zip that runs"}
    )
    takes_results = fields.Function(
        lambda p: p.mode.takes_both,
        metadata={"type": "boolean", "description": "A code problem that takes results too: "
                  "a zip with metadata.yaml or metadata at its root is code, anything else "
                  "results (Codabench's rule)"},
    )  # fmt: skip
    validation_runs = fields.Function(
        lambda p: p.takes_validation_runs,
        metadata={"type": "boolean", "description": "Whether teams may run their code on "
                  "public validation inputs (POST /problems/<id>/validation-runs)"},
    )  # fmt: skip
    validation_daily_limit = fields.Integer()
    phase = fields.Function(
        lambda p: None if p.phase_index is None else p.phase_index + 1,
        metadata={"type": "integer", "nullable": True, "description": "A problem with phases: "
                  "the phase this task row belongs to (from 1); None for a problem on its own"},
    )  # fmt: skip
    task = fields.Function(
        lambda p: None if p.task_index is None else p.task_index + 1,
        metadata={"type": "integer", "nullable": True, "description": "A problem with phases: "
                  "the task's place in its phase (from 1); None for a problem on its own"},
    )  # fmt: skip
    takes_uploads = fields.Function(
        lambda p: p.series_id is None or (p.task_index == 0 and not p.scoring_only),
        metadata={"type": "boolean", "description": "False on a phase's other tasks (upload "
                  "to its first task: the upload is scored on every task) and on a "
                  "scoring-only phase"},
    )  # fmt: skip


class ManagedProblem(Problem):
    """What organizers and the problem's sponsor see in addition."""

    scoring_program = fields.Function(lambda p: p.mode.scored_by_program)
    score_columns = fields.List(fields.Nested(ScoreColumn), allow_none=True)  # hidden ones too
    hidden_inputs = fields.String(attribute="hidden_inputs_filename", allow_none=True)
    validation_inputs = fields.String(attribute="validation_inputs_filename", allow_none=True)
    code_limits = fields.Dict(allow_none=True)
    ingestion_program = fields.Function(lambda p: p.ingestion_program_key is not None)
    in_review = fields.Boolean(
        metadata={"description": "Submitted for review: waits for an organizer to publish it"}
    )
    review_comment = fields.String(
        allow_none=True, metadata={"description": "Why an organizer last sent it back"}
    )

    solution = fields.Nested(SolutionInfo, allow_none=True)


class SendBackIn(Schema):
    comment = fields.String(
        required=True, metadata={"description": "What the sponsor should change (told to them)"}
    )


def _iso(value):
    return value.isoformat() if value else None


# teams


class TeamCreate(Schema):
    name = fields.String(required=True)
    division_id = reference(required=True)


class JoinRequest(Schema):
    code = fields.String(required=True, metadata={"description": "The team's invite code"})


class PublicMember(Schema):
    """A member as anyone sees them: the display name (never an email or a user id)."""

    name = fields.String()
    leader = fields.Boolean()


class Member(PublicMember):
    """A member as the team itself and the competition's organizers see them."""

    id = fields.Integer()
    affiliation = fields.String()


class Team(Schema):
    """A team as anyone sees it."""

    id = fields.Integer()
    name = fields.String()
    competition = fields.Function(lambda t: t.competition.slug)
    division = fields.Nested(Ref)
    members = fields.List(fields.Nested(PublicMember), attribute="roster")
    member_count = fields.Integer()
    created_at = fields.DateTime()


class TeamDetails(Team):
    """A team as the competition's organizers see it."""

    leader = fields.Nested(Person)
    members = fields.List(fields.Nested(Member), attribute="roster")
    disbanded_at = fields.DateTime(allow_none=True)


class OwnTeam(TeamDetails):
    """A team as its own members see it."""

    invite_code = fields.String()


class MemberChoice(Schema):
    user_id = reference(required=True, metadata={"description": "A member of your team"})


class DivisionChoice(Schema):
    division_id = reference(required=True)


class MergeRequestIn(Schema):
    team_id = reference(
        required=True, metadata={"description": "The team you ask to merge into yours"}
    )


class MergeRequest(Schema):
    """A request that ``team`` merge into ``into_team`` (which survives)."""

    id = fields.Integer()
    into_team = fields.Nested(Ref)
    team = fields.Nested(Ref)
    status = fields.String(metadata={"enum": ["pending", "accepted", "declined", "withdrawn"]})
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)


class MergeRequests(Schema):
    incoming = fields.List(
        fields.Nested(MergeRequest), metadata={"description": "Asking your team to merge"}
    )
    outgoing = fields.List(
        fields.Nested(MergeRequest), metadata={"description": "Your team's requests"}
    )


class Moderation(Schema):
    act = fields.String(required=True, validate=validate.OneOf(MODERATION_ACTS))
    reason = fields.String(
        required=True, metadata={"description": "Told to the team's members; audited"}
    )
    name = fields.String(load_default="", metadata={"description": "The new name (rename)"})


# submissions and leaderboards


class SubmissionUpload(Schema):
    file = upload("The prediction CSV")
    description = fields.String(load_default="", validate=validate.Length(max=500))


class QuotaOut(Schema):
    daily_left = fields.Integer(allow_none=True, metadata={"description": "None: no daily limit"})
    total_left = fields.Integer(allow_none=True)
    failed_left = fields.Integer(
        metadata={"description": "Failed validations today that will not count"}
    )
    next_allowed_at = fields.DateTime(allow_none=True)
    resets_at = fields.DateTime(metadata={"description": "Next midnight in the competition's zone"})
    validation_left = fields.Integer(
        allow_none=True, metadata={"description": "Validation runs left today (None: none taken)"}
    )


def split_details(read, split: str) -> fields.Function:
    """A built-in metric's details of one split's score (AP per class), rounded."""
    description = (f"map_50 and map_50_95: the AP of each class in the {split} rows of the "
                   "solution, by the class as the solution writes it, rounded to the problem's "
                   "decimals; None for other metrics and scoring programs")  # fmt: skip
    return fields.Function(read, metadata={"type": "object", "nullable": True,
                                           "additionalProperties": {"type": "number"},
                                           "description": description})  # fmt: skip


def display(attribute: str) -> fields.Function:
    """A submission's score as the pages show it, with its problem's decimals."""
    return fields.Function(
        lambda s: score_text(getattr(s, attribute), s.problem.score_decimals),
        metadata={"type": "string", "nullable": True,
                  "description": "The score as people read it, with the problem's decimals"},
    )  # fmt: skip


class TaskScoreOut(Schema):
    """One task's part of an upload to a phase of a series: its submission on the task row."""

    problem_id = fields.Integer(metadata={"description": "The task's problem row"})
    task = fields.Function(lambda s: s.problem.slug, metadata={"type": "string"})
    status = fields.Function(
        lambda s: TASK_STATUSES.get(s.status.value, s.status.value),
        metadata={"type": "string", "description": "scoring, scored, failed or cancelled"},
    )
    public_score = fields.Float(allow_none=True)
    public_score_display = display("public_score")
    error_message = fields.Function(
        lambda s: stored_message(s.error_message), metadata={"type": "string", "nullable": True}
    )
    failure_kind = fields.Function(lambda s: s.failure_kind.value if s.failure_kind else None)


class TaskScoreWithPrivate(TaskScoreOut):
    private_score = fields.Float(allow_none=True)
    private_score_display = display("private_score")


TASK_STATUSES = {"queued": "scoring", "running": "scoring"}


class SubmissionOut(Schema):
    id = fields.Integer()
    problem_id = fields.Integer()
    team_id = fields.Integer()
    filename = fields.String()
    description = fields.String()
    size = fields.Integer()
    status = fields.Function(lambda s: s.status.value)
    kind = fields.Function(
        lambda s: s.kind.value if s.kind else None,
        metadata={"type": "string", "nullable": True, "description": "code or results, for "
                  "uploads to a code problem (Codabench's rule where it takes both)"},
    )  # fmt: skip
    public_score = fields.Float(allow_none=True)
    public_score_display = display("public_score")
    public_details = split_details(score_details.public, "public")
    error_message = fields.Function(
        lambda s: stored_message(s.error_message), metadata={"type": "string", "nullable": True}
    )
    failure_kind = fields.Function(lambda s: s.failure_kind.value if s.failure_kind else None)
    selected = fields.Boolean()
    counted = fields.Boolean(metadata={"description": "Whether it used one of the limits"})
    created_at = fields.DateTime()
    # A program that read hidden inputs could encode them in its run time: where teams submit
    # code, they see when it was submitted, not when its run started and ended.
    started_at = fields.Function(
        lambda s: _run_time(s, s.started_at), metadata={"type": "string", "nullable": True,
        "description": "None for code, whose run time on hidden data is not shown"},
    )  # fmt: skip
    finished_at = fields.Function(
        lambda s: _run_time(s, s.finished_at), metadata={"type": "string", "nullable": True},
    )  # fmt: skip
    status_url = fields.Function(lambda s: status_url(s.id))
    queue_position = fields.Integer(allow_none=True, metadata={
        "description": "While queued: 1 if a worker takes it next, else how many go first "
                       "plus one (a count only). None once taken"})  # fmt: skip
    estimated_wait_seconds = fields.Integer(allow_none=True, metadata={
        "description": "While queued: about how long until it is scored, from recent "
                       "scoring times; None when unknown or once taken"})  # fmt: skip
    tasks = fields.List(fields.Nested(TaskScoreWithPrivate), dump_only=True, allow_none=True,
                        metadata={"description": "An upload to a phase of a problem with "
                                  "phases: its score on each task of the phase, first task "
                                  "first (private scores once that task's private board may "
                                  "be seen); the upload's status and scores above are then "
                                  "the whole upload's: failed if any task failed, with no "
                                  "score. None for a problem on its own"})  # fmt: skip


def _run_time(submission, value) -> str | None:
    return None if submission.problem.mode.accepts_code else _iso(value)


class SubmissionWithPrivate(SubmissionOut):
    """A submission as seen once the private board may be seen."""

    private_score = fields.Float(allow_none=True)
    private_score_display = display("private_score")
    private_details = split_details(score_details.private, "private")


class ManagedSubmission(SubmissionWithPrivate):
    """A submission as the problem's organizers and sponsor see it."""

    team = fields.Function(lambda s: s.team.name if s.team else None)  # None: a baseline run
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    run_seconds = fields.Float(allow_none=True)
    attempts = fields.Integer()
    rescored_at = fields.DateTime(allow_none=True)


class ReplacedScore(Schema):
    split = fields.Function(lambda h: h.split.value)
    value = fields.Float()
    details = fields.Dict(allow_none=True)
    scored_at = fields.DateTime()
    replaced_at = fields.DateTime()


class SubmissionLog(Schema):
    id = fields.Integer()
    log = fields.String(allow_none=True, metadata={"description": "The scorer's (and the "
                        "team program's) output, for organizers only"})  # fmt: skip
    history = fields.List(fields.Nested(ReplacedScore))


class ValidationUpload(Schema):
    file = upload("Your code: a zip with metadata.yaml, as for a submission")


class ValidationRunOut(Schema):
    """A validation run: everything it printed and wrote is the team's to see."""

    id = fields.Integer()
    problem_id = fields.Integer()
    filename = fields.String()
    status = fields.Function(
        lambda s: RUN_STATUSES.get(s.status.value, s.status.value),
        metadata={"type": "string", "description": "queued, running, passed, failed, cancelled"},
    )
    message = fields.Function(
        lambda s: stored_message(s.error_message), metadata={"type": "string", "nullable": True}
    )
    output = fields.String(
        allow_none=True, metadata={"description": "stdout, stderr, run time, files written"}
    )
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    run_seconds = fields.Float(allow_none=True)
    status_url = fields.Function(
        lambda s: url_for("api_validation_runs.get_run", submission_id=s.id)
    )


RUN_STATUSES = {"scored": "passed"}  # a validation run is never scored


class ValidationAccepted(Schema):
    id = fields.Integer()
    status = fields.String()
    status_url = fields.String()
    validation_left = fields.Integer()


class Requeued(Schema):
    queued = fields.List(fields.Integer(), metadata={"description": "Submission ids queued"})


def status_url(submission_id: int) -> str:
    return url_for("api_submissions.get_submission", submission_id=submission_id)


class Accepted(Schema):
    id = fields.Integer()
    status = fields.String()
    status_url = fields.String()
    quota = fields.Nested(QuotaOut)


class BoardQuery(Schema):
    board = fields.String(load_default="public", validate=validate.OneOf(["public", "private"]))
    division_id = reference(load_default=None, allow_none=True)


class BoardRow(Schema):
    rank = fields.Integer()
    team_id = fields.Integer()
    team = fields.String()
    division_id = fields.Integer()
    score = fields.Float()
    score_display = fields.String(
        metadata={"description": "The score as the leaderboard page shows it"}
    )
    entries = fields.Integer()
    submitted_at = fields.DateTime(metadata={"description": "When the ranked entry was submitted"})
    public_score = fields.Float(allow_none=True)
    private_score = fields.Float(allow_none=True)
    public_score_display = fields.String(allow_none=True)
    private_score_display = fields.String(allow_none=True)
    auto_selected = fields.Boolean(
        metadata={"description": "The team selected no finals; its best public ones count"}
    )
    details = fields.Dict(
        keys=fields.String(), values=fields.Float(), allow_none=True,
        metadata={"description": "A scoring program's value of each leaderboard column"},
    )  # fmt: skip


class Board(Schema):
    problem_id = fields.Integer()
    board = fields.String()
    metric = fields.String()
    higher_is_better = fields.Boolean()
    score_decimals = fields.Integer(
        metadata={"description": "The decimals of score_display (a scoring program's first "
                  "column's, else the problem's)"},
    )  # fmt: skip
    revealed = fields.Boolean()
    all_rows = fields.Boolean(
        metadata={"description": "Every row of the answers scores both boards: a private score "
                  "equals the public one, and the private board ranks the teams' finals"},
    )  # fmt: skip
    columns = fields.List(fields.Nested(ScoreColumn), allow_none=True)
    rows = fields.List(fields.Nested(BoardRow))
