"""A worker host on a private link: a network namespace joined to this host by a veth pair.

The namespace sees only its end of a /30 and its own loopback; everything it reaches,
it reaches through the link. The private PostgreSQL and Redis of ``tests.support.services``
are started here listening also on the host's end of the link.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support import services


@dataclass(frozen=True)
class Link:
    namespace: str
    host_device: str
    host_address: str  # where the services listen for the worker
    worker_address: str

    def exec_argv(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.namespace, *argv]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@contextlib.contextmanager
def private_link() -> Iterator[Link]:
    """A fresh namespace and veth pair; both are removed afterwards, whatever happened."""
    tag = f"{os.getpid() % 100000}{random.randrange(100)}"
    block = random.randrange(1, 63) * 4  # a /30 inside 10.213.N.0/24
    net = f"10.213.{random.randrange(256)}"
    link = Link(f"judge-w{tag}", f"jh{tag}", f"{net}.{block + 1}", f"{net}.{block + 2}")
    worker_device = f"jn{tag}"
    try:
        _ip("netns", "add", link.namespace)
        _ip("link", "add", link.host_device, "type", "veth", "peer", "name", worker_device)
        _ip("link", "set", worker_device, "netns", link.namespace)
        _ip("addr", "add", f"{link.host_address}/30", "dev", link.host_device)
        _ip("link", "set", link.host_device, "up")
        inside = [("addr", "add", f"{link.worker_address}/30", "dev", worker_device),
                  ("link", "set", worker_device, "up"), ("link", "set", "lo", "up")]  # fmt: skip
        for args in inside:
            _ip("-n", link.namespace, *args)
        yield link
    finally:
        _remove(link)


def _remove(link: Link) -> None:
    pids = subprocess.run(["ip", "netns", "pids", link.namespace], capture_output=True,
                          text=True, check=False).stdout.split()  # fmt: skip
    for pid in pids:  # nothing may outlive the test inside the namespace
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), 9)
    subprocess.run(["ip", "netns", "del", link.namespace], capture_output=True, check=False)
    subprocess.run(["ip", "link", "del", link.host_device], capture_output=True, check=False)


def reachable_from(link: Link, host: str, port: int) -> bool:
    """Whether a TCP connection from inside the namespace to host:port succeeds."""
    probe = f"import socket; socket.create_connection(({host!r}, {port}), timeout=3)"
    done = subprocess.run(link.exec_argv(["python3", "-c", probe]), capture_output=True,
                          check=False)  # fmt: skip
    return done.returncode == 0


class LinkPostgres(services.PrivatePostgres):
    """The private PostgreSQL, also listening on the link and trusting the worker's address."""

    def __init__(self, directory: Path, link: Link) -> None:
        super().__init__(directory)
        self.link = link

    def start(self) -> None:
        hba = self.data / "pg_hba.conf"
        rule = f"host all all {self.link.worker_address}/32 trust\n"
        if rule not in hba.read_text():
            with hba.open("a") as out:
                out.write(rule)
        options = (f"{services.PG_OPTIONS} -c listen_addresses=127.0.0.1,{self.link.host_address}"
                   f" -p {self.port} -k {self.directory}")  # fmt: skip
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
                  "-l", str(self.logfile), "-o", options)  # fmt: skip

    def worker_url(self) -> str:
        return self.url.replace("@127.0.0.1:", f"@{self.link.host_address}:")


class LinkRedis(services.PrivateRedis):
    """The private Redis, also listening on the link."""

    def __init__(self, directory: Path, link: Link) -> None:
        super().__init__(directory)
        self.link = link

    def start(self) -> None:
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                self.link.host_address, "--protected-mode", "no", "--dir", str(self.directory),
                "--logfile", str(self.logfile), "--save", "", "--appendonly", "no"]  # fmt: skip
        self.process = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while not _answers(self.link.host_address, self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise services.ServiceUnavailable(f"redis-server did not start:\n{self.log()}")
            time.sleep(0.02)

    def worker_url(self) -> str:
        return f"redis://{self.link.host_address}:{self.port}/0"


def _answers(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


@contextlib.contextmanager
def link_postgres(link: Link) -> Iterator[LinkPostgres]:
    directory = Path(tempfile.mkdtemp(prefix="judge-pg-link-"))
    server = LinkPostgres(directory, link)
    try:
        server.create()
        yield server
    finally:
        if server.running():
            with contextlib.suppress(services.ServiceUnavailable, subprocess.TimeoutExpired):
                server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def link_redis(link: Link) -> Iterator[LinkRedis]:
    directory = Path(tempfile.mkdtemp(prefix="judge-redis-link-"))
    server = LinkRedis(directory, link)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)
