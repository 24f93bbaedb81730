"""The embedded broker (SQLite through kombu's SQLAlchemy transport, as the worker uses it):
every published job is taken exactly once, oldest first, however many workers poll."""

from __future__ import annotations

import threading
from queue import Empty

import pytest
from kombu import Connection

from judge.core import queue as task_queue


@pytest.fixture
def broker_url(tmp_path):
    return f"{task_queue.EMBEDDED_SCHEME}+sqlite:///{tmp_path}/broker.sqlite"


def _take_all(url: str, taken: list, start: threading.Barrier) -> None:
    with Connection(url) as connection:
        jobs = connection.SimpleQueue(task_queue.SCORING_QUEUE)
        start.wait()
        while True:
            try:
                message = jobs.get(timeout=0.5)
            except Empty:
                return
            taken.append(message.payload["n"])
            message.ack()


def test_jobs_come_out_oldest_first_and_an_empty_queue_says_so(broker_url):
    with Connection(broker_url) as connection:
        jobs = connection.SimpleQueue(task_queue.SCORING_QUEUE)
        for n in range(5):
            jobs.put({"n": n})
        taken = [jobs.get(timeout=1) for _ in range(5)]
        for message in taken:
            message.ack()
        assert [message.payload["n"] for message in taken] == [0, 1, 2, 3, 4]
        with pytest.raises(Empty):
            jobs.get(timeout=0.2)


def test_four_workers_polling_at_once_take_each_job_exactly_once(broker_url):
    with Connection(broker_url) as connection:
        jobs = connection.SimpleQueue(task_queue.SCORING_QUEUE)
        for n in range(200):
            jobs.put({"n": n})
    start = threading.Barrier(4)
    taken: list[list[int]] = [[] for _ in range(4)]
    threads = [threading.Thread(target=_take_all, args=(broker_url, mine, start))
               for mine in taken]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    every = sorted(n for mine in taken for n in mine)
    assert every == list(range(200))
    assert all(mine == sorted(mine) for mine in taken)
    assert sum(1 for mine in taken if mine) > 1  # they really took turns


def test_the_worker_polls_fast_while_jobs_flow_and_slowly_once_they_stop(broker_url):
    with Connection(broker_url) as connection:
        transport = connection.transport
        assert isinstance(transport, task_queue.SQLiteTransport)
        jobs = connection.SimpleQueue(task_queue.SCORING_QUEUE)
        jobs.put({"n": 1})
        jobs.get(timeout=1).ack()
        with pytest.raises(Empty):
            jobs.get(timeout=0.05)
        assert transport.polling_interval == transport.busy_polling_interval
        transport.busy_seconds = 0.0
        with pytest.raises(Empty):
            jobs.get(timeout=0.1)
        assert transport.polling_interval == transport.idle_polling_interval
