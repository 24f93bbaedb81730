"""Fixtures for the scoring engine: a problem on disk that scores submissions written as text."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from judge.scoring.engine.score import score
from judge.scoring.engine.solution import write_prepared

IDS = ["a1", "a2", "a3", "a4", "a5", "a6"]
SIDES = ["public", "private", "public", "private", "public", "private"]


@dataclass
class Problem:
    """A prepared solution plus a job; ``submit`` writes a file and scores it."""

    folder: Path
    job: dict
    solution: Path
    secrets: list[str]  # every target value, none of which may appear in a message
    _count: itertools.count = field(default_factory=itertools.count)

    def write(self, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = self.folder / f"submission-{next(self._count)}.csv"
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def submit(self, content: str | bytes, encoding: str = "utf-8") -> dict:
        return score(self.job, self.write(content, encoding), self.solution)

    def invalid(self, content: str | bytes, encoding: str = "utf-8") -> str:
        """The message for a refused submission, checked to carry no solution value."""
        result = self.submit(content, encoding)
        assert result["status"] == "invalid", result
        leaked = [secret for secret in self.secrets if secret in result["message"]]
        assert not leaked, (leaked, result["message"])
        assert "Traceback" not in result["message"]
        return result["message"]


@pytest.fixture
def make_problem(tmp_path: Path) -> Callable[..., Problem]:
    """Build a Problem: ``make_problem(metric, {"target": [...]}, ids=..., sides=...)``."""
    counter = itertools.count()

    def make(
        metric: str,
        targets: dict[str, list[str]],
        *,
        ids: list[str] = IDS,
        sides: list[str] | None = None,
        prediction_columns: list[str] | None = None,
        id_column: str = "id",
        max_bytes: int = 1 << 20,
        options: dict | None = None,
    ) -> Problem:
        folder = tmp_path / f"problem-{next(counter)}"
        folder.mkdir()
        frame = pd.DataFrame({id_column: ids, **targets})
        side_values = sides or (SIDES * len(ids))[: len(ids)]
        solution = folder / "solution.parquet"
        write_prepared(frame, id_column, list(targets), pd.Series(side_values), solution)
        job = {
            "metric": metric,
            "id_column": id_column,
            "prediction_columns": prediction_columns or list(targets),
            "target_columns": list(targets),
            "max_bytes": max_bytes,
            "options": options or {},
        }
        secrets = sorted({v for values in targets.values() for v in values})
        return Problem(folder, job, solution, secrets)

    return make


def csv_text(header: str, rows: list[tuple]) -> str:
    """A CSV file's text from a header line and rows of values."""
    lines = [header, *(",".join(str(v) for v in row) for row in rows)]
    return "\n".join(lines) + "\n"
