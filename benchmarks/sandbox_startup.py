"""The sandbox's added start-up time per run, against a bare subprocess, in the same run.

For each program (``/bin/true``, and the scoring runtime's ``python -c pass``) this times:

- baseline: ``subprocess.run(argv)`` from this process (fork, exec, wait);
- sandboxed: ``judge.sandbox.run`` of the same argv with the scorer's limits (slot, rlimits,
  bwrap with its namespaces, seccomp, tmpfs mounts, the wall-clock timer, reaping and
  reading /out back).

The two are interleaved, ``--repeat`` times each (default 30) after a warm-up, and the
medians are reported with the difference (the sandbox's added time) and the ratio.

Target: added start-up time ≤ 50 ms per run.

Run from the repository root, as root (the sandbox needs it):

    .venv/bin/python benchmarks/sandbox_startup.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import subprocess

from _common import heading, line, median, quiet_logs, ratio, temp_instance, timed

TARGET_ADDED_SECONDS = 0.050


def main() -> None:
    args = _arguments()
    quiet_logs()
    with temp_instance():
        from judge import sandbox
        from judge.scoring.setup import scoring_setup

        setup = scoring_setup()
        runtime = setup.python.parent.parent
        heading(f"sandbox_startup: {args.repeat} runs each, interleaved")
        for label, argv in (
            ("/bin/true", ["/bin/true"]),
            ("python -c pass (scoring runtime)", [str(setup.python), "-s", "-E", "-c", "pass"]),
        ):
            job = sandbox.Job(argv=argv, mounts={str(runtime): runtime}, limits=setup.limits)
            bare, boxed = _measure(argv, lambda job=job: sandbox.run(job, setup.config), args)
            _report(label, median(bare), median(boxed))


def _measure(argv: list[str], boxed_run, args) -> tuple[list[float], list[float]]:
    bare, boxed = [], []
    for _ in range(3):  # warm-up: page cache, slot directories
        subprocess.run(argv, check=True)
        boxed_run()
    for _ in range(args.repeat):
        bare.append(timed(subprocess.run, argv, check=True)[0])
        took, result = timed(boxed_run)
        if not result.ok:
            raise SystemExit(f"sandboxed run failed: {result.stderr.decode()[-2000:]}")
        boxed.append(took)
    return bare, boxed


def _report(label: str, bare: float, boxed: float) -> None:
    heading(label)
    line("bare subprocess (median)", f"{bare * 1000:8.1f} ms")
    line("sandboxed (median)", f"{boxed * 1000:8.1f} ms")
    added = boxed - bare
    verdict = "met" if added <= TARGET_ADDED_SECONDS else "MISSED"
    line("added by the sandbox", f"{added * 1000:8.1f} ms  (target ≤ 50 ms: {verdict})")
    ratio("sandboxed / bare", boxed, bare)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    return parser.parse_args()


if __name__ == "__main__":
    main()
