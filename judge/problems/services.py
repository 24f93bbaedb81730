"""Creating problems, uploading their files and solutions. Services flush; callers commit."""

from __future__ import annotations

import re
import secrets
import unicodedata
import zipfile
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from judge.accounts.models import User
from judge.audit import log as audit
from judge.competitions import consent, policy
from judge.competitions.models import Competition, Sponsor
from judge.competitions.services import check_slug, check_window
from judge.core import storage
from judge.core.errors import Conflict, Invalid, NotFound
from judge.core.extensions import db
from judge.notifications import services as notifications
from judge.notifications.kinds import Kind
from judge.problems import baseline, rules
from judge.problems import solution as solution_checks
from judge.problems.models import Problem, ProblemFile, Solution, SplitMethod
from judge.scoring import metrics
from judge.scoring.code import limits as code_limits
from judge.scoring.engine.solution import write_prepared
from judge.scoring.setup import runtimes

PUBLIC_FILE_TYPES = {
    ".csv", ".tsv", ".txt", ".json", ".jsonl", ".parquet", ".zip", ".gz", ".tar",
    ".npy", ".npz", ".pdf", ".md", ".png", ".jpg", ".jpeg",
}  # fmt: skip

SETTINGS = (
    "title",
    "description",
    "metric",
    "metric_options",
    "id_column",
    "prediction_columns",
    "split_method",
    "public_fraction",
    "daily_limit",
    "min_interval_seconds",
    "total_limit",
    "failed_daily_limit",
    "max_final_selections",
    "opens_at",
    "closes_at",
    "reveal_at",
    "blend_public_weight",
    "runtime",
    "score_decimals",
    "scoring_wall_seconds",
)

#: Kept equal on every row of a series (judge.problems.series), and on the rows of a phase.
SERIES_SHARED = ("title", "description", "metric", "metric_options", "score_decimals")
PHASE_SHARED = ("opens_at", "closes_at", "reveal_at", "daily_limit", "total_limit",
                "min_interval_seconds", "failed_daily_limit", "max_final_selections")  # fmt: skip
SERIES_FIELDS = SERIES_SHARED + PHASE_SHARED


def get_problem(problem_id: int) -> Problem:
    problem = db.session.get(Problem, problem_id)
    if problem is None:
        raise NotFound(_("No such problem."))
    return problem


def get_problem_by_slug(competition: Competition, slug: str) -> Problem:
    problem = db.session.scalar(
        sa.select(Problem).where(Problem.competition_id == competition.id, Problem.slug == slug)
    )
    if problem is None:
        raise NotFound(_("No such problem."))
    return problem


def can_manage(user: User | None, problem: Problem) -> bool:
    """Organizers of the competition and members of the problem's sponsor."""
    return policy.is_organizer(user, problem.competition) or problem.sponsor_id in (
        policy.sponsor_ids_of(user, problem.competition)
    )


def can_see(user: User | None, problem: Problem) -> bool:
    """Published problems of a competition the user may see are public; drafts only for
    those who manage them."""
    if not policy.can_see(user, problem.competition):
        return False
    return problem.is_published or can_manage(user, problem)


def check_visible(user: User | None, problem: Problem) -> Problem:
    """``problem`` if ``user`` may see it, else the very 404 of a problem that does not exist:
    a hidden problem's address must not tell that it exists."""
    if not can_see(user, problem):
        raise NotFound(_("No such problem."))
    return problem


def can_download_public_files(user: User | None, problem: Problem) -> bool:
    """Participants once they accepted the rules; staff of the competition always."""
    if not can_see(user, problem):
        return False
    competition = problem.competition
    if policy.is_staff(user, competition):
        return True
    return policy.has_accepted_rules(user, competition) and not consent.outdated(user, competition)


def can_download_solution(user: User | None, problem: Problem) -> bool:
    """Only the competition's organizers and the problem's own sponsor, ever."""
    return can_manage(user, problem)


def visible_problems(competition: Competition, user: User | None) -> list[Problem]:
    problems = db.session.scalars(
        sa.select(Problem).where(Problem.competition_id == competition.id).order_by(Problem.id)
    )
    return [p for p in problems if can_see(user, p)]


MAX_FILENAME = 255


def clean_filename(name: str | None) -> str:
    """Keep a readable file name (Korean included); refuse paths and control characters.

    Invisible characters are refused too: a right-to-left override makes
    ``report\u202egpj.csv`` look like ``reportvsc.jpg``. A long name is cut to
    255 characters, keeping its extension.
    """
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name or name in {".", ".."} or re.search(r"[/\\\x00-\x1f\x7f]", name):
        raise Invalid(
            _("The file name is not allowed: use a plain name without folders."), field="file"
        )
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in name):
        raise Invalid(
            _("The file name contains invisible control characters; rename the file."),
            field="file",
        )
    if name.startswith("."):
        raise Invalid(_("The file name may not start with a dot."), field="file")
    return _shortened(name)


def _shortened(name: str) -> str:
    if len(name) <= MAX_FILENAME:
        return name
    suffix = name[name.rfind(".") :] if "." in name else ""
    suffix = suffix if len(suffix) <= 16 else ""
    return name[: MAX_FILENAME - len(suffix)] + suffix


def extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _check_settings(values: dict[str, Any]) -> None:
    metric = metrics.get(values["metric"] or "")
    if metric is None:
        raise Invalid(
            _(
                "Unknown metric “%(name)s”. Choose one of: %(names)s",
                name=values["metric"],
                names=", ".join(metrics.names()),
            ),
            field="metric",
        )
    try:
        values["metric_options"] = metrics.check_options(metric, values["metric_options"])
    except ValueError as exc:
        raise Invalid(str(exc), field="metric_options") from None
    _check_quantile_columns(metric, values)
    if not (values["title"] or "").strip():
        raise Invalid(_("Please give the problem a title."), field="title")
    _check_runtime(values.get("runtime", "default"))
    if not (values["id_column"] or "").strip():
        raise Invalid(_("Please name the id column."), field="id_column")
    _check_split(values)
    _check_limits(values)
    check_window(values["opens_at"], values["closes_at"], "closes_at")


def _check_reveal(problem: Problem, values: dict[str, Any]) -> None:
    """A private board shown while teams still submit would let them aim at its rows."""
    closes = values["closes_at"] or problem.competition.submissions_close_at
    reveal = values["reveal_at"]
    if reveal is not None and closes is not None and reveal < closes:
        raise Invalid(_("The private leaderboard can be revealed only once submissions close."),
                      field="reveal_at")  # fmt: skip


def _check_quantile_columns(metric: metrics.Metric, values: dict[str, Any]) -> None:
    columns = values["prediction_columns"] or []
    if metric.expects != "quantile" or not columns:
        return
    quantiles = values["metric_options"]["quantiles"]
    if len(columns) != len(quantiles):
        raise Invalid(_("%(metric)s needs one prediction column per quantile (%(q)d quantiles), "
                        "but there are %(c)d prediction columns.", metric=metric.name,
                        q=len(quantiles), c=len(columns)),
                      field="metric_options")  # fmt: skip


def _check_runtime(name: str) -> None:
    if name not in runtimes():
        raise Invalid(_("Unknown runtime “%(name)s”. Choose one of: %(names)s", name=name,
                        names=", ".join(runtimes())), field="runtime")  # fmt: skip


def _check_split(values: dict[str, Any]) -> None:
    method = values["split_method"]
    if method not in set(SplitMethod):
        raise Invalid(_("Choose a split: fraction, usage_column or all."), field="split_method")
    fraction = values["public_fraction"]
    if method == SplitMethod.FRACTION and (fraction is None or not 0 < fraction < 1):
        raise Invalid(
            _("The public share must be between 0 and 1, for example 0.3."),
            field="public_fraction",
        )


def _check_limits(values: dict[str, Any]) -> None:
    positive = ("daily_limit", "total_limit", "max_final_selections")
    for name in positive:
        value = values[name]
        if value is not None and value < 1:
            raise Invalid(_("This limit must be at least 1 (or empty for none)."), field=name)
    for name in ("min_interval_seconds", "failed_daily_limit"):
        if (values[name] or 0) < 0:
            raise Invalid(_("This value cannot be negative."), field=name)
    if not 0 <= (values["score_decimals"] if values["score_decimals"] is not None else -1) <= 10:
        raise Invalid(_("Scores are shown with 0 to 10 decimals."), field="score_decimals")
    if values["max_final_selections"] is None:
        raise Invalid(
            _("Say how many final submissions a team may select."), field="max_final_selections"
        )


def create_problem(
    competition: Competition,
    sponsor: Sponsor,
    *,
    slug: str,
    solution_upload: storage.StagedFile,
    solution_filename: str,
    actor: User,
    reference_files: bool = False,
    **settings: Any,
) -> Problem:
    """Create a draft problem together with its checked solution; a sponsor's member leaves
    the organizers' settings (reveal, dates, split, blend) at their defaults. With
    ``reference_files`` the solution is a zip of reference data (see keep_reference_files)."""
    rules.require_new(actor, competition, settings, _defaults())
    slug = check_slug(slug)
    if sponsor.competition_id != competition.id:
        raise NotFound(_("No such sponsor in this competition."), field="sponsor_id")
    if db.session.scalar(
        sa.select(Problem.id).where(Problem.competition_id == competition.id, Problem.slug == slug)
    ):
        raise Conflict(
            _("This competition already has a problem with that short name."), field="slug"
        )
    problem = Problem(
        competition=competition,
        sponsor_id=sponsor.id,
        slug=slug,
        split_salt=secrets.token_hex(16),
        **_defaults(),
    )
    update_settings(problem, **settings)
    db.session.add(problem)
    db.session.flush()
    keep = keep_reference_files if reference_files else replace_solution
    keep(problem, solution_upload, solution_filename, actor)
    return problem


def _defaults() -> dict[str, Any]:
    return {
        "title": "", "description": "", "metric": "", "metric_options": None, "id_column": "id",
        "prediction_columns": [], "split_method": SplitMethod.FRACTION, "public_fraction": 0.3,
        "daily_limit": 5, "min_interval_seconds": 0, "total_limit": None,
        "failed_daily_limit": 3, "max_final_selections": 2, "opens_at": None, "closes_at": None,
        "reveal_at": None, "blend_public_weight": None, "runtime": "default",
        "score_decimals": 5, "scoring_wall_seconds": None,
    }  # fmt: skip


def update_settings(problem: Problem, **settings: Any) -> Problem:
    """Change settings after checking them together; the metric fixes the direction."""
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise Invalid(_("Unknown field: %(name)s", name=", ".join(sorted(unknown))))
    values = {name: getattr(problem, name) for name in SETTINGS} | settings
    if "metric_options" not in settings:  # another metric keeps only the settings it takes
        values["metric_options"] = _kept_options(values["metric"], values["metric_options"])
    _check_settings(values)
    _check_reveal(problem, values)
    if problem.mode.accepts_code:
        code_limits.check_free_failed_runs(values["failed_daily_limit"])
    if values["scoring_wall_seconds"] != problem.scoring_wall_seconds:
        _check_scoring_wall(problem, values["scoring_wall_seconds"])
    for name, value in settings.items():
        setattr(problem, name, value.strip() if isinstance(value, str) else value)
    problem.metric_options = values["metric_options"]
    problem.split_method = SplitMethod(problem.split_method)
    if not problem.mode.scored_by_program:
        problem.higher_is_better = metrics.get(problem.metric).higher_is_better
    if problem.split_method != SplitMethod.FRACTION:  # the Usage column or every row splits
        problem.public_fraction = None
    return problem


def change_settings(problem: Problem, actor: User, settings: dict[str, Any], now: datetime,
                    in_series: bool = False) -> list[str]:  # fmt: skip
    """Change ``settings`` as ``actor`` may now (see problems.rules), all or none, audited;
    the names of the settings that changed. A row of a series changes the fields its series
    shares only through the series (``in_series``: judge.problems.series), on every row."""
    changed = rules.changes(problem, settings)
    if problem.series_id is not None and not in_series:
        _refuse_series_fields(changed)
    with rules.changing(actor, problem, changed, now):
        update_settings(problem, **settings)
        if SPLIT_SETTINGS.intersection(changed):
            resplit_solution(problem)
    return sorted(changed)


SPLIT_SETTINGS = frozenset({"split_method", "public_fraction"})


def resplit_solution(problem: Problem) -> None:
    """Split the stored solution CSV again under the problem's split, so that the next score
    uses the split the settings show (Invalid, changing nothing, if it no longer fits).
    Reference data kept as files has no rows to split."""
    solution = problem.solution
    if solution is None or solution.is_files:
        return
    summary = solution_checks.inspect(
        storage.path_of(solution.storage_key), id_column=problem.id_column,
        prediction_columns=list(problem.prediction_columns or []),
        split_method=problem.split_method, public_fraction=problem.public_fraction,
        salt=problem.split_salt, stacked=metrics.get(problem.metric).stacked,
    )  # fmt: skip
    solution.prepared_key = _store_prepared(problem, summary)
    solution.public_rows, solution.private_rows = summary.public_rows, summary.private_rows
    db.session.flush()


def _refuse_series_fields(changed: dict[str, Any]) -> None:
    shared = sorted(set(changed) & set(SERIES_FIELDS))
    if shared:
        raise Invalid(_("This problem is a phase or task of a problem with phases: change "
                        "%(fields)s on the whole problem or phase, so that every part keeps "
                        "the same.", fields=", ".join(shared)), field=shared[0])  # fmt: skip


def _check_scoring_wall(problem: Problem, seconds: int | None) -> None:
    """A scoring time limit is the sponsor's program's, from one second to the ceiling."""
    if seconds is None:
        return
    if not problem.mode.scored_by_program:
        raise Invalid(_("Only a problem scored by its own program has a scoring time limit."),
                      field="scoring_wall_seconds")  # fmt: skip
    most = code_limits.CEILINGS["wall_seconds"]
    if not 1 <= seconds <= most:
        raise Invalid(_("The scoring time limit is from 1 to %(most)d seconds.", most=most),
                      field="scoring_wall_seconds")  # fmt: skip


def _kept_options(name: str, options: dict | None) -> dict | None:
    metric = metrics.get(name or "")
    kept = {k: v for k, v in (options or {}).items() if metric and k in metric.options}
    return kept or None


def check_solution(
    problem: Problem, upload: storage.StagedFile, filename: str
) -> tuple[str, solution_checks.SolutionSummary]:
    """The cleaned file name and what the solution holds; Invalid if it does not fit the
    problem's settings. Changes nothing."""
    filename = clean_filename(filename)
    if extension(filename) != ".csv":
        raise Invalid(_("The solution must be a .csv file."), field="solution")
    summary = solution_checks.inspect(
        upload.path,
        id_column=problem.id_column,
        prediction_columns=list(problem.prediction_columns or []),
        split_method=problem.split_method,
        public_fraction=problem.public_fraction,
        salt=problem.split_salt,
        stacked=metrics.get(problem.metric).stacked,
    )
    return filename, summary


def replace_solution(
    problem: Problem, upload: storage.StagedFile, filename: str, actor: User
) -> Solution:
    """Check the uploaded solution against the problem's settings, then keep it."""
    filename, summary = check_solution(problem, upload, filename)
    problem.prediction_columns = summary.prediction_columns
    fields = {
        "filename": filename,
        "storage_key": storage.put(upload),
        "prepared_key": _store_prepared(problem, summary),
        "target_columns": summary.target_columns,
        "size": upload.size,
        "rows": summary.rows,
        "public_rows": summary.public_rows,
        "private_rows": summary.private_rows,
        "uploaded_by_id": actor.id,
    }
    return _keep_solution(problem, fields, actor)


def keep_reference_files(problem: Problem, upload: storage.StagedFile, filename: str,
                         actor: User) -> Solution:  # fmt: skip
    """Keep a zip of reference data, files and folders as a bundle holds them, as the hidden
    solution: the scoring program reads it whole in $input/ref (no id column, no split: one
    run gives the public and the private score). Staff download it as the zip."""
    if extension(clean_filename(filename)) != ".zip" or not zipfile.is_zipfile(upload.path):
        raise Invalid(_("Reference data as files must be a readable .zip file."),
                      field="solution")  # fmt: skip
    fields = {"filename": clean_filename(filename), "storage_key": storage.put(upload),
              "prepared_key": None, "target_columns": None, "size": upload.size, "rows": 0,
              "public_rows": 0, "private_rows": 0, "uploaded_by_id": actor.id}  # fmt: skip
    return _keep_solution(problem, fields, actor)


def _keep_solution(problem: Problem, fields: dict[str, Any], actor: User) -> Solution:
    """Store ``fields`` as the problem's solution; replacing one is audited (file and rows)."""
    solution = problem.solution
    if solution is None:
        solution = Solution(problem_id=problem.id)
    else:
        audit.record(actor, "solution_replaced", problem.competition_id, problem.title,
                     {"file": solution.filename, "rows": solution.rows},
                     {"file": fields["filename"], "rows": fields["rows"]})  # fmt: skip
    for name, value in fields.items():
        setattr(solution, name, value)
    db.session.add(solution)
    db.session.flush()
    db.session.refresh(problem)
    return solution


def _store_prepared(problem: Problem, summary: solution_checks.SolutionSummary) -> str:
    """Store the solution as the scorer reads it: ids, targets and each row's side."""
    with storage.scratch_file(".parquet") as path:
        write_prepared(summary.frame, problem.id_column, summary.target_columns, summary.sides,
                       path, order=summary.id_order)  # fmt: skip
        with path.open("rb") as handle, storage.staged(handle, 2**40, "prepared") as staged:
            return storage.put(staged)


def add_public_file(
    problem: Problem, upload: storage.StagedFile, filename: str, description: str = ""
) -> ProblemFile:
    """Attach a file participants may download (after accepting the rules)."""
    filename = clean_filename(filename)
    if extension(filename) not in PUBLIC_FILE_TYPES:
        raise Invalid(
            _(
                "This file type is not accepted. Allowed: %(types)s",
                types=" ".join(sorted(PUBLIC_FILE_TYPES)),
            ),
            field="file",
        )
    if any(f.filename == filename for f in problem.files):
        raise Conflict(
            _("The problem already has a file named %(name)s.", name=filename), field="file"
        )
    item = ProblemFile(
        problem=problem,
        filename=filename,
        description=(description or "").strip()[:500],
        storage_key=storage.put(upload),
        size=upload.size,
    )
    db.session.add(item)
    db.session.flush()
    return item


def remove_public_file(problem: Problem, file_id: int) -> None:
    item = get_public_file(problem, file_id)
    problem.files.remove(item)
    db.session.flush()


def get_public_file(problem: Problem, file_id: int) -> ProblemFile:
    item = db.session.get(ProblemFile, file_id)
    if item is None or item.problem_id != problem.id:
        raise NotFound(_("No such file."))
    return item


def publish(problem: Problem, now: datetime) -> Problem:
    if problem.solution is None:
        raise Invalid(_("Upload the solution before publishing the problem."))
    if problem.published_at is None and not baseline.passed(problem):
        raise Invalid(
            _(
                "Run a baseline on the problem's current solution and scoring program, "
                "and wait until it is scored, before publishing the problem."
            )
        )
    if problem.published_at is None:
        problem.published_at = now
        problem.review_requested_at = problem.review_comment = None
        _tell_published(problem, now)
    return problem


def _tell_published(problem: Problem, now: datetime) -> None:
    """The organizers and the problem's sponsor hear that it is open to teams."""
    competition = problem.competition
    link = notifications.path("problems.show", slug=competition.slug, problem_slug=problem.slug)
    people = {u.id: u for u in notifications.organizers(competition)}
    people |= {u.id: u for u in notifications.sponsor_members(problem)}
    notifications.notify(list(people.values()), Kind.PROBLEM_PUBLISHED,
                         competition, f"published:{problem.id}:{now.isoformat()}", now,
                         link=link, params={"problem": problem.title}, problem=problem)  # fmt: skip


def unpublish(problem: Problem) -> Problem:
    problem.published_at = None
    return problem


def max_public_file_bytes() -> int:
    return int(current_app.config["MAX_PUBLIC_FILE_BYTES"])


def max_solution_bytes() -> int:
    return int(current_app.config["MAX_SOLUTION_BYTES"])
