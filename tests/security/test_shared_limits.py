"""Every gunicorn worker counts against the same limits: in the database on the embedded
defaults (or the pass's own servers), in Redis when ``RATELIMIT_STORAGE_URI`` names one."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import PASSWORD
from tests.integration.conftest import instance, server_settings  # noqa: F401 (fixtures)
from tests.integration.servers import Process, free_port, start_web, wait_until


@pytest.fixture
def redis_url(tmp_path) -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (apt-get install redis-server)"
    port = free_port()
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(tmp_path)]  # fmt: skip
    process = Process(argv, {}, tmp_path / "redis.log")

    def answers() -> bool:
        ping = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True)
        return ping.stdout.strip() == b"PONG"

    try:
        wait_until(answers, 20, "redis", process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()


def token(url: str, email: str, password: str, cookies: dict | None = None):
    """A new connection each time, so both workers take some."""
    return requests.post(
        f"{url}/api/v1/tokens",
        json={"email": email, "password": password, "name": "x"},
        headers={"Connection": "close"},
        cookies=cookies,
        timeout=30,
    )


def attack_and_own_device(env: dict[str, str], log, email: str) -> tuple[list[int], int, str]:
    """The owner's client gets a token (and its device cookie); then 11 guesses over fresh
    connections; then the owner asks for another token with the right password."""
    web, url = start_web(env, log)
    try:
        owner = token(url, email, PASSWORD)
        assert owner.status_code == 201, owner.text
        answers = [token(url, email, "wrong password").status_code for _ in range(11)]
        again = token(url, email, PASSWORD, cookies=owner.cookies.get_dict()).status_code
    finally:
        web.kill()
    return answers, again, web.output()


def test_gunicorn_workers_share_counts(instance, tmp_path):  # noqa: F811
    user = instance.make.user()
    answers, again, output = attack_and_own_device(instance.env, tmp_path / "web.log", user.email)
    assert answers == [401] * 10 + [429], output
    assert again == 201, output  # the owner's client is still let in


def test_gunicorn_workers_share_counts_through_redis(instance, redis_url, tmp_path):  # noqa: F811
    user = instance.make.user()
    env = instance.env | {"JUDGE_RATELIMIT_STORAGE_URI": redis_url}
    answers, again, output = attack_and_own_device(env, tmp_path / "web.log", user.email)
    assert answers == [401] * 10 + [429], output
    assert again == 201, output
    port = redis_url.rsplit(":", 1)[1].split("/")[0]
    keys = subprocess.run(["redis-cli", "-p", port, "keys", "*"], capture_output=True, text=True)
    assert "login" in keys.stdout  # the counts live in Redis, not in a worker's memory
    assert user.email not in keys.stdout  # accounts are counted by a digest, not the address
    assert "127.0.0.1" not in keys.stdout  # nor addresses
