"""CodaLab 1.8's parallel ingestion: the ingestion program (with the team's code) and the
scoring program run at the same time, each in its own sandbox (judge.sandbox.run_together).

The ingestion side sees what a sequential ingestion run sees (its program at /app/program,
the team's code at /app/ingested_program, the hidden inputs at /app/input_data) and never
the reference data. Two folders are shared, each a tmpfs made for the job and removed after:

- the predictions folder: the ingestion's /app/output ($output, $predictions, $tmp), which
  it alone writes; the scoring program reads it, as it is written, as /app/input/res (its
  $predictions), beside /app/input/ref. Its size is the code's output limit.
- /app/shared ($shared): both sides write it (sticky: neither removes the other's files);
  its size is the code's disk limit. What the scoring program writes there, the team's code
  can read.

The scoring program's own /app/output (scores.json) is its alone. The team's sandbox may not
make symlinks or FIFOs (a link in a shared folder would be followed in the scorer's view, to
its reference data). Each side has its own limits; the scorer's wall clock is the team's plus
its own (it may wait for the whole ingestion). A side that fails stops the other, and no
score is kept: the ingestion's failure is the team's (its outcome only, never its output);
the scoring program's failure, or an ingestion that wrote nothing, is the organizer's.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from flask_babel import gettext as _

from judge import sandbox
from judge.core.errors import Invalid
from judge.scoring import runner
from judge.scoring.code.limits import CodeLimits, MiB
from judge.scoring.code.run import INGESTION_LINKS
from judge.scoring.code.run import _interpret as code_outcome
from judge.scoring.code.scoring import CRASHED, NO_PREDICTIONS, CodeProblem, _inputs
from judge.scoring.programs import contract
from judge.scoring.programs.archive import Caps, unpack
from judge.scoring.programs.run import (
    LINKS,
    ProgramRun,
    environment,
    files_under,
    own_limits,
    runtime_mounts,
)
from judge.scoring.programs.run import _interpret as program_outcome
from judge.scoring.programs.scoring import ProgramProblem, _reference_sides, verdict
from judge.scoring.programs.splits import SIDES
from judge.scoring.runner import ScoringSetup, Verdict

PREDICTIONS, SHARED = "predictions", "shared"
RES = f"{contract.INPUT}/res"


@dataclass(frozen=True)
class Unpacked:
    code: Path
    inputs: Path
    ingestion: Path
    program: Path
    sides: dict[str, Path]  # each split's reference folder (one folder for both: one run)


def score_code_parallel(setup: ScoringSetup, problem: CodeProblem, code_zip: Path,
                        max_bytes: int) -> Verdict:  # fmt: skip
    """Run the ingestion program with the team's zip beside the scoring program (one per
    distinct reference side) and read the scores, as Codabench's parallel scoring step."""
    with tempfile.TemporaryDirectory(prefix="judge-parallel-") as tmp:
        folder = Path(tmp)
        try:
            code = unpack(code_zip, folder / "code", _("code submission"), Caps(max_bytes))
        except Invalid as exc:
            return Verdict("invalid", message=exc.message, log=exc.message)
        try:
            parts = _unpack(problem, code, folder)
            jobs = _jobs(setup, problem, parts)
        except Invalid as exc:
            return runner.organizer_failure(exc.message)
        shared = {PREDICTIONS: sandbox.Shared(problem.limits.output_mb * MiB, writer=0),
                  SHARED: sandbox.Shared(problem.limits.disk_mb * MiB)}  # fmt: skip
        together = sandbox.run_together(jobs, shared, setup.config)
    scored = _verdict(problem, parts, jobs, together.ended)
    if scored.scored and not together.files[PREDICTIONS]:
        return _wrote_nothing(scored.log)
    return scored


def _unpack(problem: CodeProblem, code: Path, folder: Path) -> Unpacked:
    program = problem.program
    inputs = _inputs(problem.hidden_inputs, problem.hidden_inputs_name, _("hidden test inputs"),
                     folder / "inputs")  # fmt: skip
    return Unpacked(
        code=code,
        inputs=inputs,
        ingestion=unpack(problem.ingestion_program, folder / "ingestion", _("ingestion program")),
        program=unpack(program.program, folder / "program", _("scoring program")),
        sides=_reference_sides(program, folder),
    )


def _jobs(setup: ScoringSetup, problem: CodeProblem, parts: Unpacked) -> list[sandbox.Job]:
    """The ingestion's job first, then one scoring job per distinct reference folder."""
    scorer_limits = _scorer_limits(setup, problem.program, problem.limits)
    references = list(dict.fromkeys(parts.sides.values()))
    return [
        _ingestion_job(setup, problem.limits, parts),
        *(_scoring_job(setup, parts.program, ref, scorer_limits) for ref in references),
    ]


def _ingestion_job(setup: ScoringSetup, limits: CodeLimits, parts: Unpacked) -> sandbox.Job:
    argv = contract.argv_for(contract.read_command(parts.ingestion), str(setup.python),
                             contract.INGESTION)  # fmt: skip
    runtime = setup.python.parent.parent
    links = {inside: target for inside, target in INGESTION_LINKS.items()
             if inside != contract.OUTPUT}  # fmt: skip
    return sandbox.Job(
        argv=argv,
        inputs={
            **files_under(parts.ingestion, "program"),
            **files_under(parts.code, "ingested_program"),
            **files_under(parts.inputs, "input_data"),
        },
        mounts=runtime_mounts(runtime),
        links=links,
        shared={contract.OUTPUT: PREDICTIONS, contract.SHARED: SHARED},
        env=environment(runtime),
        workdir=contract.PROGRAM,
        limits=limits.sandbox_limits(),
        no_links=True,
    )


def _scoring_job(setup: ScoringSetup, program: Path, reference: Path,
                 limits: sandbox.Limits) -> sandbox.Job:  # fmt: skip
    argv = contract.argv_for(contract.read_command(program), str(setup.python))
    runtime = setup.python.parent.parent
    links = {inside: target for inside, target in LINKS.items() if inside != contract.INPUT}
    return sandbox.Job(
        argv=argv,
        inputs={**files_under(program, "program"), **files_under(reference, "input/ref")},
        mounts=runtime_mounts(runtime),
        links={**links, f"{contract.INPUT}/ref": "/in/input/ref"},
        shared={RES: PREDICTIONS, contract.SHARED: SHARED},
        env=environment(runtime),
        workdir=contract.PROGRAM,
        limits=limits,
    )


def _scorer_limits(setup: ScoringSetup, program: ProgramProblem,
                   code: CodeLimits) -> sandbox.Limits:  # fmt: skip
    """The scoring program's own limits, its wall clock (and CPU time) longer by the team's
    wall clock: it may wait for the whole ingestion before its own time starts to count."""
    own = own_limits(setup, program.wall_seconds)
    wall = own.wall_seconds + code.wall_seconds
    return replace(own, wall_seconds=wall, cpu_seconds=max(own.cpu_seconds, int(wall)))


def _verdict(problem: CodeProblem, parts: Unpacked, jobs: list[sandbox.Job],
             ended: list[sandbox.Ended]) -> Verdict:  # fmt: skip
    ingestion, scorers = ended[0], ended[1:]
    team = code_outcome(ingestion.result, problem.limits)
    log = f"=== ingestion (team's code) ===\n{team.log}"
    if ingestion.stopped:  # the scoring program failed first: the organizer's side
        return runner.organizer_failure(f"{log}\n{_scorers_log(scorers, jobs)}\n"
                                        + _("The ingestion program was stopped: the scoring "
                                            "program failed first."))  # fmt: skip
    if team.status != "ok":
        message = _(CRASHED) if team.crashed else team.message
        return Verdict(team.status, message=message, log=f"{team.message}\n{log}")
    runs = [_scorer_run(end, jobs[i + 1]) for i, end in enumerate(scorers)]
    by_reference = dict(zip(dict.fromkeys(parts.sides.values()), runs, strict=True))
    scored = verdict({side: by_reference[parts.sides[side]] for side in SIDES},
                     problem.program.columns)  # fmt: skip
    full_log = f"{log}\n=== scoring ===\n{scored.log}"
    if not scored.scored:  # in a parallel run every failure of the scorer is the organizer's
        return runner.organizer_failure(full_log)
    return replace(scored, log=full_log)


def _scorer_run(end: sandbox.Ended, job: sandbox.Job) -> ProgramRun:
    run = program_outcome(end.result, job.limits)
    if run.status in ("limit", "error"):
        return ProgramRun("organizer", log=run.log)
    return run


def _scorers_log(scorers: list[sandbox.Ended], jobs: list[sandbox.Job]) -> str:
    return "\n".join(f"=== scoring ===\n{program_outcome(end.result, jobs[i + 1].limits).log}"
                     for i, end in enumerate(scorers))  # fmt: skip


def _wrote_nothing(log: str) -> Verdict:
    return runner.organizer_failure(f"{_(NO_PREDICTIONS)}\n{log}")
