"""Sandbox test fixtures: a test-only slot range, the Python runtime, a job helper.

These tests start the real sandbox, so they need root and bubblewrap (CI has both).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from judge.sandbox import Job, Limits, Result, SandboxConfig, run
from judge.sandbox.process import pids_of_uid
from tests.sandbox.warm_support import WarmPython, publish_probe_code
from tests.support import slots

REPO = Path(__file__).resolve().parents[2]
RUNTIME = Path(os.environ.get("JUDGE_SANDBOX_RUNTIME", "/opt/judge/runtimes/default"))
CONFIG = SandboxConfig(root=Path(slots.root("/run/judge-sandbox-test")),
                       uid_base=slots.uid_base(61000), slots=4)  # fmt: skip


@pytest.fixture(scope="session")
def runtime() -> Path:
    """The read-only Python runtime, built with scripts/setup-runtime when missing."""
    if not (RUNTIME / "bin" / "python").exists():
        built = subprocess.run(
            [str(REPO / "scripts" / "setup-runtime"), str(RUNTIME)], capture_output=True, text=True
        )
        if built.returncode != 0:
            pytest.fail(
                f"the sandbox runtime {RUNTIME} is missing and scripts/setup-runtime failed "
                f"(it needs network access to PyPI):\n{built.stderr[-3000:]}"
            )
    return RUNTIME


@pytest.fixture
def config() -> SandboxConfig:
    """A slot range of its own, so a worker on this machine is not disturbed."""
    return CONFIG


@pytest.fixture
def python(runtime: Path, config: SandboxConfig) -> Callable[..., Result]:
    """Run Python source in the sandbox with the runtime: ``python(code, inputs=..., **limits)``."""

    def run_python(code: str, inputs: dict | None = None, env: dict | None = None, **limits):
        job = Job(
            argv=[str(runtime / "bin" / "python"), "-c", code],
            inputs=inputs or {},
            mounts={str(runtime): runtime},
            env=env or {},
            limits=Limits(**limits),
        )
        return run(job, config)

    return run_python


class ColdPython:
    """The ``python`` fixture with the warm fixture's interface (see ``scorer_python``)."""

    def __init__(self, python: Callable[..., Result], config: SandboxConfig) -> None:
        self._python, self._config = python, config

    def __call__(self, code: str, inputs: dict | None = None, **limits) -> Result:
        return self._python(code, inputs=inputs, **limits)

    def leftover_processes(self) -> list[int]:
        return slot_processes(self._config)


@pytest.fixture(scope="session")
def probe_code() -> Path:
    """The engine and the warm tests' probe entry, published root-owned for the sandbox."""
    return publish_probe_code(CONFIG)


@pytest.fixture(params=["cold", "warm"])
def scorer_python(request, python, runtime, probe_code, config, tmp_path):
    """Python source run as a scoring job is: in a fresh sandbox (``cold``) or in a fresh
    child of a warm sandbox (``warm``, :mod:`judge.sandbox.warm`), which serves the test's
    later calls too. ``scorer_python(code, inputs=..., **limits)``, and
    ``scorer_python.leftover_processes()``: slot processes that are not a sandbox's own."""
    if request.param == "cold":
        yield ColdPython(python, config)
        return
    warm = WarmPython(runtime, probe_code, config, tmp_path)
    yield warm
    warm.close()


def slot_processes(config: SandboxConfig) -> list[int]:
    """Pids (live or zombie) still running as any of the config's slot uids."""
    uids = range(config.uid_base, config.uid_base + config.slots)
    return [pid for uid in uids for pid in pids_of_uid(uid)]


def zombie_children() -> list[int]:
    """Pids of this process's children that have exited but were never reaped."""
    zombies = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] == "Z" and int(fields[1]) == os.getpid():
            zombies.append(int(name))
    return zombies


@pytest.fixture(autouse=True)
def nothing_left_behind(config: SandboxConfig):
    """After every test: no process of a slot uid and no unreaped child remains.

    Earlier tests that score in this process make it a subreaper, so orphans of unrelated
    servers they started may be reparented here; those are reaped first."""
    for pid in zombie_children():
        os.waitpid(pid, os.WNOHANG)
    yield
    assert slot_processes(config) == []
    assert zombie_children() == []
