"""Real processes for integration tests: gunicorn serving the app, Celery workers scoring."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from tests.support import slots

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(instance: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUDGE_")}
    env.update({
        "JUDGE_INSTANCE_PATH": str(instance),
        "JUDGE_SECRET_KEY": "integration",
        "JUDGE_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "JUDGE_SANDBOX_ROOT": slots.root("/run/judge-sandbox-it"),
        "JUDGE_SANDBOX_UID_BASE": str(slots.uid_base(62000)),
        "JUDGE_BABEL_DEFAULT_LOCALE": "en",  # the tests read English messages
        **{f"JUDGE_{k}": v for k, v in settings.items()},
    })  # fmt: skip
    return env


def use_environment(patch, env: dict[str, str]) -> None:
    """Make this process see exactly the servers' JUDGE_* settings (``patch``: a MonkeyPatch)."""
    for key in [k for k in os.environ if k.startswith("JUDGE_")]:
        patch.delenv(key)
    for key, value in env.items():
        if key.startswith("JUDGE_"):
            patch.setenv(key, value)


class Process:
    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.handle = log.open("ab")
        self.proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=self.handle,
                                     stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (a Celery worker and its pool processes)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.handle.close()
        reap_orphans()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


def reap_orphans(settle: float = 1.0) -> None:
    """Reap the killed group's processes that were re-parented to this process.

    Once this process has run a sandbox it is a child subreaper, so a SIGKILLed worker's
    pool and sandbox processes end up as its children and would stay zombies. They die
    a moment after the worker (the sandboxes by their parent-death signal): keep reaping
    for ``settle`` seconds.
    """
    deadline = time.monotonic() + settle
    while True:
        for name in os.listdir("/proc"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                with open(f"/proc/{name}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                if fields[0] == "Z" and int(fields[1]) == os.getpid():
                    os.waitpid(int(name), os.WNOHANG)
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)


def start_web(env: dict[str, str], log: Path, seconds: float = 30) -> tuple[Process, str]:
    """gunicorn as ``scripts/start`` runs it; ``seconds`` to wait for its first answer."""
    port = free_port()
    process = Process([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
                       "--threads", "4", "wsgi:app"], env, log)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    _started_or_killed(process, lambda: _answers(url), seconds, "gunicorn to answer")
    return process, url


def start_worker(env: dict[str, str], log: Path, name: str, beat: bool = True,
                 concurrency: int = 1) -> Process:  # fmt: skip
    argv = [str(BIN / "judge"), "worker", "--concurrency", str(concurrency),
            "--hostname", f"{name}@%h", "--loglevel", "info",
            "--beat" if beat else "--no-beat"]  # fmt: skip
    process = Process(argv, env, log)
    _started_or_killed(process, lambda: "ready." in process.output(), 60, f"worker {name}")
    return process


def _started_or_killed(process: Process, ready, seconds: float, what: str) -> None:
    """Wait for a server to be ready; never leave it running when it is not."""
    try:
        wait_until(ready, seconds, what, process)
    except BaseException:
        process.kill()
        raise


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/api/v1/competitions", timeout=10).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


def wait_until(condition, seconds: float, what: str, process: Process | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.proc.poll() is not None:
            raise AssertionError(f"process ended while waiting for {what}:\n{process.output()}")
        time.sleep(0.05)
    detail = process.output() if process else ""
    raise AssertionError(f"timed out waiting for {what}\n{detail}")
