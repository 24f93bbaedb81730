"""How a problem is scored: one strategy object per scoring mode.

A problem is scored in one of three modes, derived from its stored fields (``submission_kind``
and ``scoring_program_key``; nothing else is stored):

- :class:`MetricMode` (``"metric"``): teams upload predictions as CSV; the built-in metric
  scores them against the prepared solution.
- :class:`ProgramMode` (``"program"``): teams upload files (CSV, JSON, a zip) that the
  sponsor's scoring program reads next to the reference data.
- :class:`CodeMode` (``"code"``): teams upload code (a zip) that runs in the sandbox on hidden
  test inputs; what it writes is then scored by its :attr:`CodeMode.scorer`, the sponsor's
  program if there is one, else the built-in metric.
- :class:`BothMode` (``"both"``): code as above, run by the sponsor's ingestion program, and
  results that the sponsor's program scores directly; Codabench's rule tells each upload's
  kind (``judge.submissions.kinds``). Stored as ``takes_results`` on a code problem.

``problem.mode`` returns the strategy, and every question whose answer depends on the mode is
asked of it: what uploads it accepts and what a wrong one is told, which stored files the
worker needs, whether stage two's rank stability and reproduction apply, which parts a
Codabench bundle carries, and what pages show (``problem.mode.accepts_code``). The worker's
side, which needs the sandbox, keeps one runner per mode name (``judge.submissions.jobs``).
Adding a format means one class here, its runner there, and a branch in :func:`mode_of`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from judge.core.i18n import N_
from judge.scoring.code import limits as code_limits

if TYPE_CHECKING:
    from judge.problems.models import Problem

CSV_TYPES = frozenset({".csv", ".txt", ".tsv"})


@dataclass(frozen=True)
class BundlePart:
    """A folder of a Codabench bundle: a stored zip unpacked into it, or one stored file
    (``filename``) written into it."""

    folder: str
    storage_key: str
    filename: str | None = None


class Mode(ABC):
    """What every mode answers; the subclasses fill in the class attributes."""

    name: ClassVar[str]
    #: Teams upload code that the worker runs (otherwise: files that are scored as they are).
    accepts_code: ClassVar[bool] = False
    #: Teams upload code or results, each upload's kind told by Codabench's rule.
    takes_both: ClassVar[bool] = False
    #: The sponsor's program scores (otherwise: the built-in metric and its settings).
    scored_by_program: ClassVar[bool] = False
    #: Upload extensions it takes, and what an upload of another type is told (N_-marked).
    extensions: ClassVar[frozenset[str]]
    wrong_type: ClassVar[str]
    #: Stage two: the bootstrap of the private ranking, and re-running the finalists' code.
    rank_stability: ClassVar[bool] = False
    reproduction: ClassVar[bool] = False

    def __init__(self, problem: Problem) -> None:
        self.problem = problem

    @abstractmethod
    def job_keys(self) -> set[str]:
        """The stored files (by key) a worker needs to score a submission, beside its upload."""

    def extra_lease_seconds(self) -> int:
        """How much longer than a file's scoring a job may hold the worker."""
        return 0

    def bundle_parts(self) -> list[BundlePart]:
        """The folders an exported bundle carries beside the reference and public data."""
        return []

    def bundle_settings(self) -> dict:
        """What the bundle's ``judge:`` settings add for this mode."""
        return {}

    def bundle_phase(self) -> dict:
        """What the bundle's phase adds for this mode."""
        return {}


class MetricMode(Mode):
    name = "metric"
    extensions = CSV_TYPES
    wrong_type = N_("Upload your predictions as a .csv file.")
    rank_stability = True

    def job_keys(self) -> set[str]:
        solution = self.problem.solution
        return {solution.prepared_key} if solution is not None and solution.prepared_key else set()


class ProgramMode(Mode):
    name = "program"
    scored_by_program = True
    extensions = CSV_TYPES | {".zip", ".json", ".jsonl"}  # a program reads them
    wrong_type = N_("Upload a .csv, .json or .zip file.")

    def job_keys(self) -> set[str]:
        solution = self.problem.solution
        keys = {self.problem.scoring_program_key}
        return keys | {solution.storage_key} if solution is not None else keys

    def bundle_parts(self) -> list[BundlePart]:
        return [BundlePart("scoring_program", self.problem.scoring_program_key)]

    def bundle_phase(self) -> dict:
        wall = self.problem.scoring_wall_seconds
        return {} if wall is None else {"execution_time_limit": wall}


class CodeMode(Mode):
    name = "code"
    accepts_code = True
    extensions = frozenset({".zip"})
    wrong_type = N_("Upload your code as a .zip file with a metadata.yaml.")
    reproduction = True

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        #: What scores the code's output.
        self.scorer: Mode = scorer_of(problem)

    @property  # type: ignore[override]
    def scored_by_program(self) -> bool:
        return self.scorer.scored_by_program

    def job_keys(self) -> set[str]:
        problem = self.problem
        inputs = {k for k in (problem.hidden_inputs_key, problem.ingestion_program_key) if k}
        return self.scorer.job_keys() | inputs

    def extra_lease_seconds(self) -> int:
        return self._wall_seconds()

    def bundle_parts(self) -> list[BundlePart]:
        problem = self.problem
        inputs = BundlePart("input_data", problem.hidden_inputs_key, problem.hidden_inputs_filename)
        parts = [*self.scorer.bundle_parts(), inputs]
        if problem.ingestion_program_key:
            parts.append(BundlePart("ingestion_program", problem.ingestion_program_key))
        return parts

    def bundle_settings(self) -> dict:
        return {"hidden_inputs": self.problem.hidden_inputs_filename}

    def bundle_phase(self) -> dict:
        return {"execution_time_limit": self._wall_seconds()}

    def _wall_seconds(self) -> int:
        return code_limits.load(self.problem.code_limits).wall_seconds


class BothMode(CodeMode):
    name = "both"
    takes_both = True
    extensions = CodeMode.extensions | ProgramMode.extensions
    wrong_type = N_("Upload your code as a .zip file with a metadata.yaml at its root, or your "
                    "results as a .csv, .json or .zip file.")  # fmt: skip

    def bundle_settings(self) -> dict:
        return super().bundle_settings() | {"takes_results": True}


def can_take_both(problem: Problem) -> bool:
    """Code run by the sponsor's ingestion program and scored by its scoring program: results
    can go to that scoring program directly."""
    return (problem.submission_kind == "code" and problem.scoring_program_key is not None
            and problem.ingestion_program_key is not None)  # fmt: skip


def scorer_of(problem: Problem) -> Mode:
    """How uploaded files (or code's output) are scored: the sponsor's program, else the metric."""
    return ProgramMode(problem) if problem.scoring_program_key is not None else MetricMode(problem)


def mode_of(problem: Problem) -> Mode:
    if problem.takes_results and can_take_both(problem):
        return BothMode(problem)
    if problem.submission_kind == "code":  # SubmissionKind.CODE (its module imports this one)
        return CodeMode(problem)
    return scorer_of(problem)
