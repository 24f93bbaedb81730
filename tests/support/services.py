"""Private PostgreSQL and Redis servers, started for one test (or session) and thrown away.

    with private_postgres() as pg:        # pg.url: SQLAlchemy URL of database "judge"
        ...
        pg.restart()                      # or pg.stop() ... pg.start(): same port, same data
    with private_redis() as redis:        # redis.url: redis://127.0.0.1:PORT/0
        redis.restart()

Each server lives in its own temporary directory on a free port and is
stopped and deleted on exit, so concurrent test runs never share anything.
PostgreSQL's initdb refuses to run as root, so under root the cluster is
created and run as the ``postgres`` OS user (Debian's package creates it).
``postgres_missing()`` / ``redis_missing()`` say why a server cannot start
(no binaries), or return None.

Both listen on 127.0.0.1 only, unless ``listen="0.0.0.0"`` (or a list of addresses,
comma-separated) is given, e.g. for a worker in another network namespace; then
``server.url_at(host)`` is the URL as seen from there. Access is not authenticated
(throwaway test data): listen beyond loopback only on private test links.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PG_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off "
    "-c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
)
LOOPBACK = "127.0.0.1"


class ServiceUnavailable(RuntimeError):
    """The server's binaries are missing or it did not start."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]))  # fmt: skip
    return Path(versions[-1]).parent if versions else None


def postgres_missing() -> str | None:
    """Why a private PostgreSQL cannot run here, or None."""
    if _pg_bindir() is None:
        return "PostgreSQL is not installed (apt-get install postgresql)"
    if os.geteuid() == 0 and not _has_user("postgres"):
        return "running as root, but there is no 'postgres' OS user for initdb"
    return None


def redis_missing() -> str | None:
    """Why a private Redis cannot run here, or None."""
    if shutil.which("redis-server") is None:
        return "Redis is not installed (apt-get install redis-server)"
    return None


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary directory; ``url`` names its database "judge"."""

    database = "judge"

    def __init__(self, directory: Path, listen: str = LOOPBACK) -> None:
        self.directory = directory
        self.listen = listen
        self.data = directory / "data"
        self.logfile = directory / "postgres.log"
        self.port = free_port()
        self.bindir = _pg_bindir()
        self.url = self.url_for(self.database)
        self.admin_url = self.url_for("postgres")

    def url_for(self, database: str, host: str = LOOPBACK) -> str:
        return f"postgresql+psycopg://postgres@{host}:{self.port}/{database}"

    def url_at(self, host: str) -> str:
        """The URL of database "judge" as a client reaching this machine at ``host`` sees it."""
        return self.url_for(self.database, host)

    def _as_owner(self, *argv: str) -> list[str]:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def _run(self, *argv: str, timeout: float = 120) -> None:
        done = subprocess.run(self._as_owner(*argv), capture_output=True, text=True,
                              timeout=timeout, check=False)  # fmt: skip
        if done.returncode != 0:
            raise ServiceUnavailable(f"{' '.join(argv[:2])} failed:\n{done.stdout}{done.stderr}\n"
                                     f"{self.log()}")  # fmt: skip

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")  # fmt: skip
        if self.listen != LOOPBACK:
            with (self.data / "pg_hba.conf").open("a") as hba:
                hba.write("host all all 0.0.0.0/0 trust\n")
        self.start()
        with _connect(self.admin_url) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')

    def start(self) -> None:
        """Start on the same port with the same data; returns once it accepts connections."""
        addresses = "*" if self.listen == "0.0.0.0" else self.listen
        options = (
            f"{PG_OPTIONS} -c listen_addresses='{addresses}' -p {self.port} -k {self.directory}"
        )
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
                  "-l", str(self.logfile), "-o", options)  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop: "fast" disconnects clients and shuts down cleanly, "immediate" is a crash."""
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-D", str(self.data), "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return self.logfile.read_text(errors="replace")[-4000:]
        return ""

    def __str__(self) -> str:
        return self.url


class PrivateRedis:
    """A redis-server on a free port, without persistence: a restart empties it."""

    def __init__(self, directory: Path, persist: bool = False, listen: str = LOOPBACK) -> None:
        self.directory = directory
        self.listen = listen
        self.port = free_port()
        self.url = self.url_at(LOOPBACK)
        self.logfile = directory / "redis.log"
        self.persist = persist
        self.process: subprocess.Popen | None = None

    def url_at(self, host: str) -> str:
        """The URL as a client reaching this machine at ``host`` sees it."""
        return f"redis://{host}:{self.port}/0"

    def start(self) -> None:
        """Start on the same port; returns once it answers PING."""
        bind = self.listen.split(",")
        argv = ["redis-server", "--port", str(self.port), "--bind", *bind,
                "--protected-mode", "yes" if self.listen == LOOPBACK else "no",
                "--dir", str(self.directory), "--logfile", str(self.logfile),
                "--save", "", "--appendonly", "yes" if self.persist else "no"]  # fmt: skip
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # fmt: skip
        deadline = time.monotonic() + 30
        while not self._pings():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ServiceUnavailable(f"redis-server did not start:\n{self.log()}")
            time.sleep(0.02)

    def _pings(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return self.logfile.read_text(errors="replace")[-4000:]
        return ""

    def __str__(self) -> str:
        return self.url


@contextlib.contextmanager
def private_postgres(listen: str = LOOPBACK) -> Iterator[PrivatePostgres]:
    """A fresh PostgreSQL cluster with an empty database "judge"; deleted afterwards."""
    reason = postgres_missing()
    if reason:
        raise ServiceUnavailable(reason)
    directory = Path(tempfile.mkdtemp(prefix="judge-pg-"))
    server = PrivatePostgres(directory, listen)
    try:
        server.create()
        yield server
    finally:
        if server.running():
            with contextlib.suppress(ServiceUnavailable, subprocess.TimeoutExpired):
                server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def private_redis(persist: bool = False, listen: str = LOOPBACK) -> Iterator[PrivateRedis]:
    """A fresh redis-server; ``persist=True`` keeps its data across restarts (append-only file)."""
    reason = redis_missing()
    if reason:
        raise ServiceUnavailable(reason)
    directory = Path(tempfile.mkdtemp(prefix="judge-redis-"))
    server = PrivateRedis(directory, persist, listen)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def _connect(url: str):
    """An autocommit psycopg connection for administrative statements (CREATE DATABASE)."""
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
