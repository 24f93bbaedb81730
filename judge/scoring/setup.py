"""The scoring sandbox as the app's settings describe it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app

from judge import sandbox
from judge.scoring.runner import ScoringSetup


def scoring_setup() -> ScoringSetup:
    cfg = current_app.config
    limits = sandbox.Limits(
        cpu_seconds=int(cfg["SCORING_CPU_SECONDS"]),
        wall_seconds=float(cfg["SCORING_WALL_SECONDS"]),
        memory_bytes=int(cfg["SCORING_MEMORY_BYTES"]),
        file_size_bytes=max(int(cfg["MAX_SUBMISSION_BYTES"]), 64 * 1024**2),
    )
    config = sandbox.SandboxConfig(
        root=Path(cfg["SANDBOX_ROOT"]),
        uid_base=int(cfg["SANDBOX_UID_BASE"]),
        slots=int(cfg["SANDBOX_SLOTS"]),
    )
    return ScoringSetup(python=Path(cfg["SANDBOX_PYTHON"]), limits=limits, config=config)


def lease() -> timedelta:
    cfg = current_app.config
    return timedelta(
        seconds=float(cfg["SCORING_WALL_SECONDS"]) + float(cfg["SCORING_LEASE_MARGIN_SECONDS"])
    )
