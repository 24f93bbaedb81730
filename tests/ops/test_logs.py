"""Log lines: text or JSON, the request id on the web, the submission id on a job's lines."""

from __future__ import annotations

import io
import json
import logging

import pytest

from judge.core import logs


@pytest.fixture
def captured():
    """The judge handler on the root logger, writing JSON lines into a buffer."""
    buffer = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = logs.configure({"LOG_FORMAT": "json"}, level="DEBUG", stream=buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_library_lines_inside_a_job_carry_its_submission(captured):
    with logs.bound(submission_id=41):
        logs.bind(problem_id=7, attempt=2)
        logging.getLogger("celery.app.trace").info("Task succeeded")
        logging.getLogger("sqlalchemy.engine").warning("slow query")
    logging.getLogger("celery.worker").info("between jobs")
    lines = captured()
    assert [(x["logger"], x.get("submission_id"), x.get("problem_id"), x.get("attempt"))
            for x in lines] == [("celery.app.trace", 41, 7, 2), ("sqlalchemy.engine", 41, 7, 2),
                                ("celery.worker", None, None, None)]  # fmt: skip
    assert lines[0]["level"] == "INFO" and lines[0]["message"] == "Task succeeded"


def test_text_format_shows_what_a_line_is_about():
    buffer = io.StringIO()
    handler = logs.make_handler("text", buffer)
    record = logging.LogRecord("judge.x", logging.INFO, __file__, 1, "scoring %s", ("now",), None)
    with logs.bound(submission_id=5, attempt=1):
        handler.handle(record)
    assert buffer.getvalue().rstrip().endswith("INFO judge.x: [submission=5 attempt=1] scoring now")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logs.make_handler("xml")


def test_each_request_has_an_id_on_its_log_line_and_in_the_answer(client, captured):
    answer = client.get("/api/v1/competitions?token=jdg_supersecret")
    request_id = answer.headers["X-Request-ID"]
    assert len(request_id) == 16
    line = next(x for x in captured() if x["logger"] == "judge.core.request_log")
    assert line["request_id"] == request_id
    assert (line["path"], line["status"]) == ("/api/v1/competitions", 200)
    assert "supersecret" not in json.dumps(captured())


def test_a_proxys_request_id_is_kept_when_sane(client):
    kept = client.get("/health", headers={"X-Request-ID": "lb-1234.abc"})
    assert kept.headers["X-Request-ID"] == "lb-1234.abc"
    replaced = client.get("/health", headers={"X-Request-ID": "x" * 200})
    assert replaced.headers["X-Request-ID"] != "x" * 200


def test_token_like_path_segments_are_masked(client, captured):
    secret = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4"
    client.get(f"/files/{secret}/download")
    line = next(x for x in captured() if x["logger"] == "judge.core.request_log")
    assert line["path"] == "/files/***/download" and line["status"] == 404
    assert secret not in json.dumps(captured())
