"""A worker on another host: a Celery worker in its own network namespace, with its own
empty storage, that reaches PostgreSQL, Redis and the web app only over a veth link.

The web servers' storage is hidden from it (an empty tmpfs is mounted over the web's
instance folder in the worker's mount namespace), so the files it scores can only come
through the app's signed URLs. Needs root and iproute2, as in CI.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from judge.core.extensions import db
from judge.submissions.models import Submission
from tests.factories import Factories
from tests.integration.conftest import binary_solution, predictions
from tests.integration.servers import BIN, Process, environment, free_port, wait_until
from tests.integration.test_scoring_end_to_end import token, upload, wait_for_status
from tests.scaleout.netlink import (
    Link,
    LinkPostgres,
    LinkRedis,
    link_postgres,
    link_redis,
    private_link,
    reachable_from,
)
from tests.scaleout.sites import instance_with

FILES_KEY = "shared-by-the-web-servers-and-the-workers"


@dataclass
class Site:
    link: Link
    pg: LinkPostgres
    redis: LinkRedis
    web_dir: Path
    env: dict[str, str]
    make: Factories


@pytest.fixture
def link() -> Iterator[Link]:
    with private_link() as link:
        yield link


@pytest.fixture
def site(link: Link, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """The web side: PostgreSQL and Redis listening on the link, the database migrated."""
    web_dir = tmp_path / "web"
    with (
        link_postgres(link) as pg,
        link_redis(link) as redis,
        instance_with(web_dir, monkeypatch, DATABASE_URL=pg.url, BROKER_URL=redis.url,
                      FILES_KEY=FILES_KEY, SWEEP_SECONDS="1",
                      TRUSTED_HOSTS=link.host_address) as instance,  # the workers' FILES_URL
    ):  # fmt: skip
        yield Site(link, pg, redis, web_dir, instance.env, instance.make)


def start_web_on_link(site: Site, log: Path) -> tuple[Process, str]:
    url = f"http://{site.link.host_address}:{free_port()}"
    argv = [str(BIN / "gunicorn"), "--bind", url.removeprefix("http://"), "--workers", "2",
            "--threads", "4", "wsgi:app"]  # fmt: skip
    web = Process(argv, site.env, log)
    _ready(web, lambda: reachable_from(site.link, site.link.host_address, int(url.rsplit(":")[-1])))
    return web, url


def start_remote_worker(site: Site, worker_dir: Path, files_url: str, log: Path) -> Process:
    env = environment(worker_dir, DATABASE_URL=site.pg.worker_url(),
                      BROKER_URL=site.redis.worker_url(), FILES_URL=files_url,
                      FILES_KEY=FILES_KEY, SWEEP_SECONDS="1")  # fmt: skip
    hide_web_files = 'mount -t tmpfs -o size=1m tmpfs "$1" && shift && exec "$@"'
    argv = site.link.exec_argv(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", hide_web_files, "sh",
         str(site.web_dir), str(BIN / "judge"), "worker", "--concurrency", "1",
         "--hostname", "remote@%h", "--loglevel", "info"]
    )  # fmt: skip
    worker = Process(argv, env, log)
    _ready(worker, lambda: "ready." in worker.output())
    return worker


def _ready(process: Process, condition) -> None:
    try:
        wait_until(condition, 60, "a server on the link", process)
    except BaseException:
        process.kill()
        raise


def stored(root: Path) -> dict[str, bytes]:
    """The blobs under a storage folder, by the hash their path names."""
    return {p.parent.name + p.name: p.read_bytes() for p in (root / "blobs").glob("*/*")}


def test_a_worker_in_another_network_namespace_scores_an_upload_through_the_link(
    site: Site, tmp_path: Path
):
    link = site.link
    assert not reachable_from(link, "127.0.0.1", site.pg.port)  # the host's loopback is away
    assert reachable_from(link, link.host_address, site.pg.port)
    make = site.make
    competition = make.competition()
    problem = make.problem(competition, metric="roc_auc", solution=binary_solution(500),
                           daily_limit=None, files={})  # fmt: skip
    leader = make.user("leader@example.com")
    make.team(competition, leader, name="Busan Robotics")
    web, url = start_web_on_link(site, tmp_path / "web.log")
    try:
        worker = start_remote_worker(site, tmp_path / "worker", url, tmp_path / "worker.log")
        try:
            headers = token(url, leader.email)
            accepted = upload(url, headers, problem.id, predictions(500))
            result = wait_for_status(url, headers, accepted, 120)
        finally:
            worker.kill()
    finally:
        web.kill()
    assert result["status"] == "scored", (result, worker.output())
    assert 0.5 < result["public_score"] <= 1.0
    submission = db.session.get(Submission, accepted["id"])
    assert submission.worker.startswith("remote@")
    fetched = stored(tmp_path / "worker" / "storage")
    wanted = {submission.storage_key, problem.solution.prepared_key}
    assert set(fetched) == wanted  # the upload and the prepared solution, nothing else
    assert all(hashlib.sha256(body).hexdigest() == key for key, body in fetched.items())


def test_the_namespace_and_its_link_are_removed_even_when_a_test_fails():
    with pytest.raises(RuntimeError), private_link() as link:
        assert reachable_from(link, link.host_address, 9) is False  # nothing listens there
        raise RuntimeError("the test failed")
    namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    links = subprocess.run(["ip", "-br", "link"], capture_output=True, text=True).stdout
    assert link.namespace not in namespaces
    assert link.host_device not in links
