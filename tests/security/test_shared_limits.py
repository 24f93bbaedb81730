"""With Redis as the store, every gunicorn worker counts against the same limit."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
import requests

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


def test_gunicorn_workers_share_counts_through_redis(instance, redis_url, tmp_path):  # noqa: F811
    user = instance.make.user()
    env = instance.env | {"JUDGE_RATELIMIT_STORAGE_URI": redis_url}
    web, url = start_web(env, tmp_path / "web.log")
    try:
        answers = []
        for _ in range(11):  # a new connection each time, so both workers take some
            response = requests.post(
                f"{url}/api/v1/tokens",
                json={"email": user.email, "password": "wrong password", "name": "x"},
                headers={"Connection": "close"},
                timeout=30,
            )
            answers.append(response.status_code)
    finally:
        web.kill()
    assert answers == [401] * 10 + [429], web.output()
    port = redis_url.rsplit(":", 1)[1].split("/")[0]
    keys = subprocess.run(["redis-cli", "-p", port, "keys", "*"], capture_output=True, text=True)
    assert "password" in keys.stdout  # the counts live in Redis, not in a worker's memory
    assert user.email not in keys.stdout  # accounts are counted by a digest, not the address
