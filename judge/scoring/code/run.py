"""Step one: a team's program on the hidden test inputs (or a validation run's public ones),
in the sandbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from judge import sandbox
from judge.core.errors import Invalid
from judge.scoring.code.limits import CodeLimits
from judge.scoring.programs import contract
from judge.scoring.programs.run import LINKS, environment, files_under, logs_of, runtime_mounts
from judge.scoring.runner import ScoringSetup


@dataclass(frozen=True)
class CodeRun:
    status: str  # "ok", "invalid" (the team's code failed) or "limit"
    outputs: dict[str, bytes] = field(default_factory=dict)
    message: str = ""  # the limit hit (with its value) or the exit status
    log: str = ""  # the full (capped) stdout and stderr: organizers', or a validation run's team
    # It ended with a non-zero status or a signal: a number the program chose, which on
    # hidden inputs is told to nobody but the organizers (see scoring.outcome_only).
    crashed: bool = False


INGESTION_LINKS = {**LINKS, contract.INGESTION_PROGRAM: "/in/ingestion_program",
                   contract.SUBMISSION_PROGRAM: "/in/program"}  # fmt: skip


def run_team_code(setup: ScoringSetup, code: Path, inputs: Path, limits: CodeLimits,
                  ingestion: Path | None = None) -> CodeRun:  # fmt: skip
    """Run the unpacked team program in ``code`` on the inputs folder ``inputs``; or, with the
    sponsor's ``ingestion`` program, run that one, which imports the team's code from
    ``$submission_program`` (as Codabench does). The message says nothing the program
    printed: on hidden inputs, anything it prints may be those inputs."""
    try:
        argv = contract.argv_for(contract.read_command(ingestion or code), str(setup.python))
    except Invalid as exc:
        return CodeRun("invalid", message=exc.message, log=exc.message)
    runtime = setup.python.parent.parent
    inputs_map = {**files_under(code, "program"), **files_under(inputs, "input")}
    if ingestion is not None:
        inputs_map.update(files_under(ingestion, "ingestion_program"))
    job = sandbox.Job(
        argv=argv,
        inputs=inputs_map,
        mounts=runtime_mounts(runtime),
        links=INGESTION_LINKS if ingestion is not None else LINKS,
        env=environment(runtime),
        workdir=contract.INGESTION_PROGRAM if ingestion is not None else contract.PROGRAM,
        limits=limits.sandbox_limits(),
    )
    result = sandbox.run(job, setup.config)
    return _interpret(result, limits)


def _interpret(result: sandbox.Result, limits: CodeLimits) -> CodeRun:
    log = logs_of(result)
    if result.ok:
        return CodeRun("ok", outputs=result.outputs, log=log)
    if result.limit is not None:
        return CodeRun("limit", message=limit_message(result.limit, limits), log=log)
    how = (_("signal %(number)s", number=result.signal) if result.signal
           else _("exit status %(number)s", number=result.exit_code))  # fmt: skip
    return CodeRun(
        "invalid", message=_("Your program failed (%(how)s).", how=how), log=log, crashed=True
    )


def limit_message(limit: str, limits: CodeLimits) -> str:
    """Which of the problem's limits the team's program hit, with its value."""
    texts = {
        "wall_time": _("Your program ran longer than the time limit (%(value)s s).",
                       value=limits.wall_seconds),
        "cpu_time": _("Your program used more CPU time than allowed (%(value)s s).",
                      value=limits.cpu_seconds),
        "memory": _("Your program needed more memory than allowed (%(value)s MiB).",
                    value=limits.memory_mb),
        "output_size": _("Your program wrote more output than allowed (%(value)s MiB).",
                         value=limits.output_mb),
        "file_size": _("Your program wrote a file larger than allowed (%(value)s MiB).",
                       value=max(limits.output_mb, limits.disk_mb)),
        "processes": _("Your program started more processes than allowed."),
    }  # fmt: skip
    return texts.get(limit, _("Your program hit a resource limit (%(limit)s).", limit=limit))
