"""The scoring sandbox as the app's settings describe it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app

from judge import sandbox
from judge.scoring.runner import ScoringSetup

DEFAULT_RUNTIME = "default"


def runtimes() -> dict[str, Path]:
    """The configured Python runtimes by name; "default" is SANDBOX_PYTHON."""
    cfg = current_app.config
    named = {name: Path(python) for name, python in (cfg["SANDBOX_RUNTIMES"] or {}).items()}
    return {DEFAULT_RUNTIME: Path(cfg["SANDBOX_PYTHON"]), **named}


def scoring_setup(runtime: str = DEFAULT_RUNTIME) -> ScoringSetup:
    """The sandbox for scoring; ``runtime`` names the Python a program or team code runs on
    (an unknown name falls back to the default one)."""
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
    python = runtimes().get(runtime, Path(cfg["SANDBOX_PYTHON"]))
    return ScoringSetup(python=python, limits=limits, config=config,
                        warm=bool(cfg["SCORING_WARM"]))  # fmt: skip


def lease() -> timedelta:
    cfg = current_app.config
    return timedelta(
        seconds=float(cfg["SCORING_WALL_SECONDS"]) + float(cfg["SCORING_LEASE_MARGIN_SECONDS"])
    )
