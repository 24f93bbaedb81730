"""The scoring job a worker runs for one submission, and the periodic sweep."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app

from judge import sandbox
from judge.core import logs, queue
from judge.core.db import committed_with_retry, unit_of_work, utcnow
from judge.core.extensions import db
from judge.problems.models import Problem, SplitMethod
from judge.problems.modes import BothMode, CodeMode, MetricMode, ProgramMode, scorer_of
from judge.scoring import runner
from judge.scoring.code import limits as code_limits
from judge.scoring.code.parallel import score_code_parallel
from judge.scoring.code.scoring import CodeProblem, score_code
from judge.scoring.code.validation_run import ValidationProblem, run_validation
from judge.scoring.programs import columns
from judge.scoring.programs.scoring import ProgramProblem, score_with_program
from judge.scoring.setup import lease, scoring_setup
from judge.submissions import fetch, lifecycle, news, shutdown, turns
from judge.submissions.models import ORGANIZER, FailureKind, Submission, UploadKind

log = logging.getLogger(__name__)

#: How often a worker picks again when other workers claim its pick first.
CLAIM_TRIES = 5


def job_for(submission: Submission) -> dict:
    """What the engine needs to know about the problem (never the split's salt)."""
    problem = submission.problem
    return {
        "metric": problem.metric,
        "options": problem.metric_options or {},
        "id_column": problem.id_column,
        "prediction_columns": list(problem.prediction_columns or []),
        "target_columns": list(problem.solution.target_columns or []),
        "max_bytes": int(current_app.config["MAX_SUBMISSION_BYTES"]),
    }


def score_next(worker: str) -> str:
    """Claim the submission the fair rule serves next (judge.submissions.turns), score it,
    record. With nothing queued, does nothing."""
    if shutdown.stopping():
        return _pass_on(_committed(turns.next_queued, "the next submission"))
    claimed = _committed(lambda: _claim_next(worker), "claim the next submission")
    if claimed is None:
        log.info("nothing to do: no submission is queued")
        return "skipped"
    submission_id, attempt = claimed
    logs.bind(submission_id=submission_id)  # Celery's own lines on the task name it too
    return _score_claimed(submission_id, attempt)


def _claim_next(worker: str) -> tuple[int, int] | None:
    """Claim the fair rule's next submission; pick again when another worker took it first."""
    for _ in range(CLAIM_TRIES):
        submission_id = turns.next_queued()
        if submission_id is None:
            return None
        attempt = _claim(submission_id, worker)
        if attempt is not None:
            return submission_id, attempt
    return None


def score_submission(submission_id: int, worker: str) -> str:
    """Claim this submission, score it in the sandbox, record. Safe to run twice: the second
    run does nothing. Every log line written meanwhile, by us or a library, names it."""
    with logs.bound(submission_id=submission_id):
        if shutdown.stopping():
            return _pass_on(submission_id)
        attempt = _committed(lambda: _claim(submission_id, worker),
                             f"submission {submission_id}: claim")  # fmt: skip
        if attempt is None:
            log.info("submission %s: nothing to do (already taken or finished)", submission_id)
            return "skipped"
        return _score_claimed(submission_id, attempt)


def _claim(submission_id: int, worker: str) -> int | None:
    now = utcnow()
    attempt = lifecycle.claim(submission_id, now, _lease_for(submission_id), worker)
    team_id = db.session.get(Submission, submission_id).team_id
    if attempt is not None and team_id is not None:
        turns.take_turn(team_id, now)
    return attempt


def _score_claimed(submission_id: int, attempt: int) -> str:
    submission = db.session.get(Submission, submission_id)
    logs.bind(problem_id=submission.problem_id, attempt=attempt)
    log.info("submission %s: scoring, attempt %s", submission_id, attempt)
    try:
        verdict = _run(submission, attempt)
    except sandbox.Stopped:
        return _hand_back(submission, attempt)
    except sandbox.SandboxUnavailable as exc:
        return _release(submission, attempt, f"sandbox unavailable: {exc}")
    except fetch.FetchFailed as exc:
        return _release(submission, attempt, f"input files unavailable: {exc}")
    _committed(lambda: _record(submission, attempt, verdict),
               f"submission {submission_id}: record")  # fmt: skip
    log.info("submission %s: %s", submission_id, verdict.status)
    if not shutdown.stopping():
        runner.prewarm(scoring_setup())  # the next job's sandbox, off its critical path
    return verdict.status


def _committed(change, what: str):
    return committed_with_retry(change, current_app.config["DATABASE_RETRY_SECONDS"], what)


def _lease_for(submission_id: int) -> timedelta:
    """The scoring lease, plus the code's wall-clock limit where teams submit code, and the
    time a scoring program's own limit allows beyond the operator's."""
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        return lease()
    problem = submission.problem
    extra = problem.mode.extra_lease_seconds() + _program_extra(problem)
    return lease() + timedelta(seconds=extra)


def _program_extra(problem: Problem) -> float:
    """How much longer than the operator's limit the problem's scoring program may run (twice
    where it runs once per split)."""
    if problem.scoring_wall_seconds is None or not problem.mode.scored_by_program:
        return 0
    runs = 1 if problem.solution is None or problem.solution.is_files else 2
    operator = float(current_app.config["SCORING_WALL_SECONDS"])
    return max(0.0, runs * problem.scoring_wall_seconds - operator)


def _release(submission: Submission, attempt: int, reason: str) -> str:
    """Give the job back after a failure on this worker's side (the sweep publishes it again)."""
    log.error("submission %s: %s", submission.id, reason)
    with unit_of_work():
        lifecycle.release(submission, attempt, reason, utcnow())
    return "released"


def _hand_back(submission: Submission, attempt: int) -> str:
    log.warning("submission %s: the worker is stopping; handed back to the queue", submission.id)
    _committed(lambda: lifecycle.hand_back(submission, attempt, utcnow()),
               f"submission {submission.id}: hand back")  # fmt: skip
    return "handed back"


def _pass_on(submission_id: int | None) -> str:
    if submission_id is None:
        return "skipped"
    log.info("submission %s: the worker is stopping; left queued for another", submission_id)
    _committed(lambda: lifecycle.pass_on(submission_id), f"submission {submission_id}: pass on")
    return "passed on"


def verdict_of(submission: Submission) -> runner.Verdict:
    """Run a finished submission again and return what it scores, recording nothing
    (stage two's reproduction). Needs the storage shared with the web servers."""
    return _run(submission, submission.attempts)


def _run(submission: Submission, attempt: int) -> runner.Verdict:
    if submission.validation:
        return _run_validation(submission, attempt)
    if submission.kind is UploadKind.RESULTS:  # scored as it is, like a file of a program problem
        return RUNNERS[scorer_of(submission.problem).name](submission, attempt)
    return RUNNERS[submission.problem.mode.name](submission, attempt)


def _run_metric(submission: Submission, attempt: int) -> runner.Verdict:
    solution = submission.problem.solution
    return runner.score_file(
        scoring_setup(),
        job_for(submission),
        fetch.local_file(submission.storage_key, submission.id, attempt),
        fetch.local_file(solution.prepared_key, submission.id, attempt),
    )


def _program_problem(submission: Submission, attempt: int) -> ProgramProblem:
    problem = submission.problem
    return ProgramProblem(
        program=fetch.local_file(problem.scoring_program_key, submission.id, attempt),
        reference=fetch.local_file(problem.solution.storage_key, submission.id, attempt),
        reference_name=problem.solution.filename,
        id_column=problem.id_column,
        salt=problem.split_salt,
        public_fraction=problem.public_fraction,
        columns=columns.load(problem.score_columns),
        reference_files=problem.solution.is_files,
        wall_seconds=problem.scoring_wall_seconds,
        all_rows=problem.split_method == SplitMethod.ALL,
    )


def _run_program(submission: Submission, attempt: int) -> runner.Verdict:
    upload = fetch.local_file(submission.storage_key, submission.id, attempt)
    max_bytes = int(current_app.config["MAX_SUBMISSION_BYTES"])
    return score_with_program(scoring_setup(submission.problem.runtime),
                              _program_problem(submission, attempt), upload,
                              submission.filename, max_bytes)  # fmt: skip


def _files_of(submission: Submission, attempt: int) -> Callable[[str | None], Path | None]:
    """The job's files by storage key (None for none), fetched for this attempt."""
    return lambda key: fetch.local_file(key, submission.id, attempt) if key else None


def _run_code(submission: Submission, attempt: int) -> runner.Verdict:
    problem = submission.problem
    local = _files_of(submission, attempt)
    by_program = problem.mode.scored_by_program
    spec = CodeProblem(
        hidden_inputs=local(problem.hidden_inputs_key),
        hidden_inputs_name=problem.hidden_inputs_filename,
        limits=code_limits.load(problem.code_limits),
        program=_program_problem(submission, attempt) if by_program else None,
        metric_job=None if by_program else job_for(submission),
        prepared_solution=None if by_program else local(problem.solution.prepared_key),
        ingestion_program=local(problem.ingestion_program_key),
    )
    upload = local(submission.storage_key)
    max_bytes = int(current_app.config["MAX_SUBMISSION_BYTES"])
    score = score_code_parallel if _side_by_side(problem) else score_code
    return score(scoring_setup(problem.runtime), spec, upload, max_bytes)


def _side_by_side(problem: Problem) -> bool:
    """CodaLab 1.8's parallel ingestion: both programs at once (judge.scoring.code.parallel)."""
    return (problem.ingestion_during_scoring and problem.mode.scored_by_program
            and problem.ingestion_program_key is not None)  # fmt: skip


def _run_validation(submission: Submission, attempt: int) -> runner.Verdict:
    """The team's code on the public validation inputs (never the hidden ones)."""
    problem = submission.problem
    local = _files_of(submission, attempt)
    spec = ValidationProblem(
        inputs=local(problem.validation_inputs_key),
        inputs_name=problem.validation_inputs_filename,
        limits=code_limits.load(problem.code_limits),
        metric_job=None if problem.mode.scored_by_program else job_for(submission),
        ingestion_program=local(problem.ingestion_program_key),
    )
    max_bytes = int(current_app.config["MAX_SUBMISSION_BYTES"])
    return run_validation(scoring_setup(problem.runtime), spec, local(submission.storage_key),
                          max_bytes)  # fmt: skip


#: The worker's side of each scoring mode (judge.problems.modes), by its name.
RUNNERS: dict[str, Callable[[Submission, int], runner.Verdict]] = {
    MetricMode.name: _run_metric, ProgramMode.name: _run_program, CodeMode.name: _run_code,
    BothMode.name: _run_code,  # its results go to the scorer's runner (see _run)
}  # fmt: skip

FAILURE_KINDS = {"invalid": FailureKind.INVALID, "limit": FailureKind.LIMIT}
#: For verdicts that do not name a reason themselves.
FALLBACK_REASONS = {"invalid": "validation", "error": "crash"}


def _record(submission: Submission, attempt: int, verdict: runner.Verdict) -> None:
    now = utcnow()
    if submission.validation:
        _record_validation(submission, attempt, verdict, now)
        return
    if verdict.scored:
        lifecycle.record_scores(submission, attempt, verdict.public, verdict.private,
                                verdict.log, now, verdict.details)  # fmt: skip
        return
    kind = FAILURE_KINDS.get(verdict.status, FailureKind.SYSTEM)
    reason = verdict.reason or FALLBACK_REASONS.get(verdict.status, "other")
    if lifecycle.record_failure(submission, attempt, kind, verdict.message, verdict.log, now,
                                reason) and kind == FailureKind.SYSTEM:  # fmt: skip
        lifecycle.refund_system(submission)
        if reason == ORGANIZER:
            news.organizer_failed(submission, now)


def _record_validation(submission: Submission, attempt: int, verdict: runner.Verdict,
                       now: datetime) -> None:  # fmt: skip
    passed = verdict.status == "passed"
    kind = None if passed else FAILURE_KINDS.get(verdict.status, FailureKind.SYSTEM)
    reason = None if passed else verdict.reason or FALLBACK_REASONS.get(verdict.status, "other")
    lifecycle.record_validation(submission, attempt, kind, verdict.message, verdict.output,
                                verdict.log, now, reason)  # fmt: skip


def sweep() -> int:
    """Publish again what a dead worker or a lost message left behind; returns how many."""
    cfg = current_app.config
    now = utcnow()
    expired, waiting = lifecycle.stale(now, timedelta(seconds=cfg["REQUEUE_AFTER_SECONDS"]))
    published = 0
    for submission_id in expired + waiting:
        with unit_of_work():
            again = lifecycle.requeue(submission_id, now, int(cfg["SCORING_MAX_ATTEMPTS"]))
        if again:
            published += _publish(submission_id)
    return published


def _publish(submission_id: int) -> int:
    """One more "score the next one" message, for the submission left waiting."""
    from judge.submissions.tasks import score_next_task

    return int(queue.send(score_next_task))
