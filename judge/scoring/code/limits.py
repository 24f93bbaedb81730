"""Per-problem limits for teams' code, as stored on the problem (JSON) and as the sandbox
takes them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from flask_babel import gettext as _

from judge import sandbox
from judge.core.errors import Invalid

MiB = 1024 * 1024

# How many failed runs a day a problem that takes code may give back (failed_daily_limit): each
# free failed run still tells the team an exit status, a limit or a line, so they are few.
MAX_FREE_FAILED_RUNS = 3

# The largest value an organizer may set for each limit.
CEILINGS = {"cpu_seconds": 6 * 3600, "wall_seconds": 6 * 3600, "memory_mb": 32 * 1024,
            "output_mb": 4096, "disk_mb": 16 * 1024}  # fmt: skip


@dataclass(frozen=True)
class CodeLimits:
    cpu_seconds: int = 600
    wall_seconds: int = 900
    memory_mb: int = 4096
    output_mb: int = 256
    disk_mb: int = 1024  # the private /tmp

    def as_dict(self) -> dict:
        return asdict(self)

    def sandbox_limits(self) -> sandbox.Limits:
        return sandbox.Limits(
            cpu_seconds=self.cpu_seconds,
            wall_seconds=float(self.wall_seconds),
            memory_bytes=self.memory_mb * MiB,
            file_size_bytes=max(self.output_mb, self.disk_mb) * MiB,
            output_bytes=self.output_mb * MiB,
            tmp_bytes=self.disk_mb * MiB,
            processes=128,
            open_files=256,
        )


def parse(raw: dict | None) -> CodeLimits:
    """Limits from an organizer's settings; unknown names and values out of range refused."""
    raw = dict(raw or {})
    names = {f.name for f in fields(CodeLimits)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise Invalid(_("Unknown limit: %(names)s", names=", ".join(unknown)),
                      field="code_limits")  # fmt: skip
    for name, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(_("The limit %(name)s must be a whole number.", name=name),
                          field="code_limits")  # fmt: skip
        if not 1 <= value <= CEILINGS[name]:
            raise Invalid(_("The limit %(name)s must be between 1 and %(most)d.", name=name,
                            most=CEILINGS[name]), field="code_limits")  # fmt: skip
    return CodeLimits(**raw)


def load(stored: dict | None) -> CodeLimits:
    return CodeLimits(**(stored or {}))


def check_free_failed_runs(failed_daily_limit: int) -> None:
    """Refuse giving back more than MAX_FREE_FAILED_RUNS failed runs a day on hidden data."""
    if failed_daily_limit > MAX_FREE_FAILED_RUNS:
        raise Invalid(_("On a problem that takes code, at most %(n)d failed runs a day can be "
                        "given back.", n=MAX_FREE_FAILED_RUNS),
                      field="failed_daily_limit")  # fmt: skip
