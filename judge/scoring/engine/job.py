"""The job: which metric, which columns, how large a file may be."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ScoringError
from .metrics import METRICS, Metric
from .options import bind


@dataclass(frozen=True)
class Job:
    metric: Metric
    id_column: str
    prediction_columns: tuple[str, ...]
    target_columns: tuple[str, ...]
    max_bytes: int
    # False where the file was written by a team's program that read hidden inputs: messages
    # then name lines and columns only, never a value the file holds.
    quote_values: bool = True

    @property
    def stacked(self) -> bool:
        """One target column and several prediction columns (per class or per quantile)."""
        return self.metric.shape != "paired" and (
            len(self.target_columns) == 1 and len(self.prediction_columns) > 1
        )

    @property
    def per_class(self) -> bool:
        """One target column and one prediction column per class (multiclass probabilities)."""
        return self.stacked and self.metric.expects == "probability"

    @property
    def pixels(self) -> int:
        """The pixels of an image, for mask metrics (height × width from the settings)."""
        settings = self.metric.compute.keywords
        return settings["height"] * settings["width"]

    @property
    def expected_header(self) -> str:
        return ",".join((self.id_column, *self.prediction_columns))


def parse_job(raw: dict) -> Job:
    """Check a job dictionary; a broken one is a :class:`ScoringError` (a setup problem)."""
    try:
        job = Job(
            metric=bind(METRICS[raw["metric"]], raw.get("options")),
            id_column=_name(raw["id_column"]),
            prediction_columns=tuple(_name(c) for c in raw["prediction_columns"]),
            target_columns=tuple(_name(c) for c in raw["target_columns"]),
            max_bytes=int(raw["max_bytes"]),
            quote_values=raw.get("quote_values", True) is not False,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ScoringError(f"The scoring job is malformed ({type(exc).__name__}: {exc}).") from exc
    _check_columns(job)
    return job


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("column names must be non-empty strings")
    return value.strip()


def _check_columns(job: Job) -> None:
    names = (job.id_column, *job.prediction_columns)
    if not job.prediction_columns or not job.target_columns or len(set(names)) != len(names):
        raise ScoringError("The scoring job must name distinct id and prediction columns.")
    if job.max_bytes <= 0:
        raise ScoringError("The scoring job's max_bytes must be positive.")
    if job.metric.shape == "per_class" and not job.per_class:
        raise ScoringError(
            f"{job.metric.name} needs one target column and one prediction column per class."
        )
    if job.metric.expects == "quantile":
        _check_quantiles(job)
        return
    paired = len(job.prediction_columns) == len(job.target_columns)
    if not job.per_class and not paired:
        raise ScoringError(f"{job.metric.name} needs as many prediction columns as target columns.")


def _check_quantiles(job: Job) -> None:
    quantiles = job.metric.compute.keywords["quantiles"]
    if len(job.target_columns) != 1 or len(job.prediction_columns) != len(quantiles):
        raise ScoringError(
            f"{job.metric.name} needs one target column and one prediction column per quantile."
        )
