"""The engine's fixed messages reach Korean readers in Korean."""

from __future__ import annotations

import codecs

import pytest
from flask_babel import force_locale

from judge.core.i18n import stored_message
from judge.scoring.engine.errors import SubmissionError
from judge.scoring.engine.reading import read_submission
from judge.scoring.messages import FIXED

FILES = [
    b"",
    b"id,label\n",
    codecs.BOM_UTF16_LE + "id,label\n1,1\n".encode("utf-16-le"),
    b"id,label\n1,\x00\x01\x02\n",
    b"\nid,label\n1,1\n",
    b"x" * 200_000 + b"\n1\n",  # a header field over the csv module's limit
]


@pytest.mark.parametrize("content", FILES)
def test_the_engine_still_says_the_marked_messages(tmp_path, content):
    path = tmp_path / "predictions.csv"
    path.write_bytes(content)
    with pytest.raises(SubmissionError) as refused:
        read_submission(path, max_bytes=10**6)
    assert refused.value.message in FIXED


def test_every_fixed_engine_message_is_covered_above():
    assert len(FIXED) == len(FILES)


@pytest.mark.parametrize("message", FIXED)
def test_fixed_engine_messages_are_shown_in_korean(app, message):
    with force_locale("ko"):
        shown = stored_message(message)
    assert shown != message
    assert any("가" <= ch <= "힣" for ch in shown)
