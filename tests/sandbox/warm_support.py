"""The warm scorer driven by tests: the real warm parent (``engine.warm``) with a probe entry.

A job whose submission starts with ``#probe`` runs that submission as Python in the job's
child, as a compromised scorer would; any other job is scored by the real engine.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from judge.sandbox import Job, Limits, Result, SandboxConfig
from judge.sandbox.process import pids_of_uid
from judge.sandbox.warm import Warm, start_warm
from judge.scoring.runner import RESULT, SCORER_ENV, engine_code

PROBE = """
from engine.__main__ import main as engine_main


def main(argv):
    args = dict(zip(argv[::2], argv[1::2]))
    with open(args["--submission"]) as file:
        code = file.read()
    if not code.startswith("#probe"):
        return engine_main(argv)
    exec(code, {"__name__": "__main__", "output": args["--output"],
                "folder": args["--submission"].rsplit("/", 1)[0]})
    return 0
"""


#: An entry whose import leaves a second thread running in the warm parent.
THREADED = """
import threading
import time

from probe import main

threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
"""


def publish_probe_code(config: SandboxConfig) -> Path:
    """The engine as the platform publishes it, plus the probe module, root-owned."""
    target = config.root / "warm-probe"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(engine_code(config.root), target)
    (target / "probe.py").write_text(PROBE)
    (target / "threaded.py").write_text(THREADED)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def probe_job(runtime: Path, code: Path, limits: Limits, entry: str = "probe") -> Job:
    return Job(argv=[str(runtime / "bin" / "python"), "-s", "-E", "-m", "engine.warm",
                     "--entry", entry],
               mounts={"/code": code, str(runtime): runtime}, env=SCORER_ENV,
               workdir="/code", limits=limits)  # fmt: skip


class WarmPython:
    """``python(code, inputs=..., **limits)`` as tests/sandbox/conftest.py's fixture, but in a
    job of a warm sandbox (one per set of limits, reused while usable). A job's stdout and
    stderr are one log there: the Result carries it as both."""

    def __init__(self, runtime: Path, code: Path, config: SandboxConfig, folder: Path) -> None:
        self._runtime, self._code, self._config, self._folder = runtime, code, config, folder
        self._warm: dict[Limits, Warm] = {}
        self.started: list[Warm] = []

    def __call__(self, code: str, inputs: dict | None = None, **limits) -> Result:
        path = self._folder / f"job-{sum(w.served for w in self.started)}.py"
        path.write_text("#probe\n" + code)
        result = self._take(Limits(**limits)).run({**(inputs or {}), "submission": path})
        return replace(result, stdout=result.stderr)

    def _take(self, limits: Limits) -> Warm:
        warm = self._warm.get(limits)
        if warm is None or not warm.usable():
            job = probe_job(self._runtime, self._code, limits)
            warm = start_warm(job, self._config, max_jobs=50, result_name=RESULT)
            self._warm[limits] = warm
            self.started.append(warm)
        return warm

    def leftover_processes(self) -> list[int]:
        """Processes of the slot uids besides the warm sandboxes' own (bwrap, its init as
        pid 1 and the warm parent as pid 2 of the sandbox's PID namespace)."""
        uids = range(self._config.uid_base, self._config.uid_base + self._config.slots)
        return [pid for uid in uids for pid in pids_of_uid(uid) if _inner_pid(pid) not in (1, 2)
                and _inner_pid(pid) != pid]  # fmt: skip

    def close(self) -> None:
        for warm in self.started:
            warm.close()


def _inner_pid(pid: int) -> int | None:
    """The pid in the innermost PID namespace (the host pid for a host process)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except (OSError, ValueError):
        return None
    return None
