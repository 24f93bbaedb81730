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


# Codabench's ingestion run: /app/program the ingestion program (and the working directory),
# /app/ingested_program the team's code, /app/input_data the inputs, /app/output the output.
INGESTION_LINKS = {contract.PROGRAM: "/in/program", contract.OUTPUT: "/out",
                   contract.SUBMISSION_PROGRAM: "/in/ingested_program",
                   contract.INPUT_DATA: "/in/input_data"}  # fmt: skip


def run_team_code(setup: ScoringSetup, code: Path, inputs: Path, limits: CodeLimits,
                  ingestion: Path | None = None) -> CodeRun:  # fmt: skip
    """Run the unpacked team program in ``code`` on the inputs folder ``inputs``; or, with the
    sponsor's ``ingestion`` program, run that one as Codabench's compute worker does (it
    imports the team's code from ``$submission_program``). The message says nothing the
    program printed: on hidden inputs, anything it prints may be those inputs."""
    kind = contract.PREDICTION if ingestion is None else contract.INGESTION
    try:
        argv = contract.argv_for(contract.read_command(ingestion or code), str(setup.python),
                                 kind)  # fmt: skip
    except Invalid as exc:
        return CodeRun("invalid", message=exc.message, log=exc.message)
    runtime = setup.python.parent.parent
    job = sandbox.Job(
        argv=argv,
        inputs=_layout(code, inputs, ingestion),
        mounts=runtime_mounts(runtime),
        links=LINKS if ingestion is None else INGESTION_LINKS,
        env=environment(runtime),
        workdir=contract.PROGRAM,
        limits=limits.sandbox_limits(),
    )
    result = sandbox.run(job, setup.config)
    return _interpret(result, limits)


def _layout(code: Path, inputs: Path, ingestion: Path | None) -> dict[str, Path]:
    """The files under /in: judge's own layout, or Codabench's for an ingestion run."""
    if ingestion is None:
        return {**files_under(code, "program"), **files_under(inputs, "input")}
    return {**files_under(ingestion, "program"), **files_under(code, "ingested_program"),
            **files_under(inputs, "input_data")}  # fmt: skip


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
