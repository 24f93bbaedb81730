"""Run a scoring program once in the sandbox and read back what it reported."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from flask_babel import gettext as _

from judge import sandbox
from judge.core.errors import Invalid
from judge.core.i18n import N_
from judge.scoring.programs import contract
from judge.scoring.runner import LIMIT_MESSAGES, ScoringSetup

log = logging.getLogger(__name__)

LOG_BYTES = 64 * 1024  # of stdout and of stderr, kept for organizers
NO_REPORT = N_("The scoring program exited with status 0 but wrote neither scores.json nor "
               "scores.txt.")  # fmt: skip
TRACEBACK_NEXT_TO_SCORE = N_("The scoring program printed a Python traceback on stderr and "
                             "still wrote a score; the score is not kept.")  # fmt: skip
TRACEBACK = b"Traceback (most recent call last):"
TOO_LONG = N_("The scoring program ran longer than its wall-clock limit (%(seconds)s s) and "
              "was stopped; raise the limit or make the program faster.")  # fmt: skip


@dataclass(frozen=True)
class ProgramRun:
    # "scored", "limit", "error" (the program failed: the submission's fault, as far as we
    # know) or "organizer" (it exited 0 without a report, or with a traceback on stderr)
    status: str
    scores: dict[str, float] = field(default_factory=dict)
    message: str = ""  # safe for the participant: nothing the program printed
    log: str = ""  # the program's stdout and stderr, size-capped, for organizers only

    @property
    def scored(self) -> bool:
        return self.status == "scored"


def run_program(
    setup: ScoringSetup,
    program: Path,
    reference: Path,
    submission: Path,
    limits: sandbox.Limits | None = None,
) -> ProgramRun:
    """Run the program in ``program`` on ``reference`` (input/ref) and ``submission``
    (input/res), each an unpacked folder, and return the scores it wrote."""
    try:
        argv = contract.argv_for(contract.read_command(program), str(setup.python))
    except Invalid as exc:
        return ProgramRun("error", message=exc.message, log=exc.message)
    limits = limits or setup.limits
    result = sandbox.run(_job(setup, argv, program, reference, submission, limits), setup.config)
    return _interpret(result, limits)


def own_limits(setup: ScoringSetup, wall_seconds: int | None) -> sandbox.Limits:
    """The operator's scoring limits, with the program's own wall-clock limit (a bundle's
    execution_time_limit) where it has one; CPU time is then allowed as long, so the wall
    clock is the limit that holds, as in Codabench."""
    if wall_seconds is None:
        return setup.limits
    cpu = max(setup.limits.cpu_seconds, wall_seconds)
    return replace(setup.limits, wall_seconds=float(wall_seconds), cpu_seconds=cpu)


def _job(
    setup: ScoringSetup,
    argv: list[str],
    program: Path,
    reference: Path,
    submission: Path,
    limits: sandbox.Limits,
) -> sandbox.Job:
    runtime = setup.python.parent.parent
    inputs = {
        **files_under(program, "program"),
        **files_under(reference, "input/ref"),
        **files_under(submission, "input/res"),
    }
    return sandbox.Job(
        argv=argv,
        inputs=inputs,
        mounts=runtime_mounts(runtime),
        links=SCORING_LINKS,
        env=environment(runtime),
        workdir=contract.PROGRAM,
        limits=limits,
    )


LINKS = {contract.INPUT: "/in/input", contract.PROGRAM: "/in/program", contract.OUTPUT: "/out"}
# A scoring run's $shared (Codabench's /app/shared, empty unless an ingestion program wrote
# there): writable, so the private /tmp.
SCORING_LINKS = {**LINKS, contract.SHARED: "/tmp"}


def runtime_mounts(runtime: Path) -> dict[str, Path]:
    """The runtime, bound read-only; one under /usr is in the sandbox already."""
    return {} if runtime.is_relative_to("/usr") else {str(runtime): runtime}


def environment(runtime: Path) -> dict[str, str]:
    return {
        "PATH": f"{runtime}/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MPLCONFIGDIR": "/tmp",
        "PYTHONUNBUFFERED": "1",  # as Codabench runs every program
    }


def files_under(folder: Path, prefix: str) -> dict[str, Path]:
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}": path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _interpret(result: sandbox.Result, limits: sandbox.Limits) -> ProgramRun:
    logs = logs_of(result)
    if result.limit == "wall_time":  # the sponsor's program, not the team, took too long
        return ProgramRun("organizer", log=f"{logs}\n"
                          f"{_(TOO_LONG, seconds=f'{limits.wall_seconds:g}')}")  # fmt: skip
    if result.limit is not None:
        message = LIMIT_MESSAGES.get(result.limit, "Scoring hit a resource limit.")
        return ProgramRun("limit", message=message, log=logs)
    if result.exit_code != 0:
        return ProgramRun("error", message=_failed(result), log=logs)
    if not any(name in result.outputs for name in contract.SCORE_FILES):
        return ProgramRun("organizer", log=f"{logs}\n{_(NO_REPORT)}")
    if TRACEBACK in result.stderr:
        return ProgramRun("organizer", log=f"{logs}\n{_(TRACEBACK_NEXT_TO_SCORE)}")
    try:
        return ProgramRun("scored", contract.read_scores(result.outputs), log=logs)
    except Invalid as exc:  # the program's own report, read from the hidden reference: its
        # words are never the team's fault and never shown to the team
        return ProgramRun("organizer", log=f"{logs}\n{exc.message}")


def _failed(result: sandbox.Result) -> str:
    how = (
        _("signal %(number)s", number=result.signal)
        if result.signal
        else _("exit status %(number)s", number=result.exit_code)
    )
    return _("The scoring program failed (%(how)s); the organizers can see its output.", how=how)


def logs_of(result: sandbox.Result) -> str:
    out = result.stdout[-LOG_BYTES:].decode("utf-8", "replace")
    err = result.stderr[-LOG_BYTES:].decode("utf-8", "replace")
    head = (
        f"exit={result.exit_code} signal={result.signal} limit={result.limit} "
        f"cpu={result.cpu_seconds:.2f}s wall={result.wall_seconds:.2f}s"
    )
    return f"{head}\n--- stdout ---\n{out}\n--- stderr ---\n{err}"
