"""The engine's fixed messages reach Korean readers in Korean."""

from __future__ import annotations

import codecs
import re

import pytest
from flask_babel import force_locale

from judge.core.i18n import stored_message
from judge.scoring.engine.errors import SubmissionError
from judge.scoring.engine.reading import read_submission
from judge.scoring.messages import FIXED, translate

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


IDS = ["a1", "a2", "a3", "a4", "a5", "a6"]
ROWS = "".join(f"{i},{v}\n" for i, v in zip(IDS, [0.1, 0.9, 0.2, 0.8, 0.3, 0.7], strict=True))


def english_left(text: str) -> list[str]:
    """Runs of three English words outside the file's own quoted values."""
    unquoted = re.sub(r"'[^']*'", " ", text)
    return re.findall(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}", unquoted)


CASES = [
    ("roc_auc", "id,prob\n" + ROWS, "파일에 다음 열이 없습니다"),
    ("roc_auc", "ID,label\n" + ROWS, "열 이름은 대소문자를 구분합니다."),
    ("roc_auc", "id;label\n" + ROWS.replace(",", ";"), "세미콜론(;)"),
    ("roc_auc", "id,label\n" + ROWS.replace("a1,0.1", "a1,0.1,7"), "2번째 줄의 값은 3개인데"),
    ("roc_auc", "id,label\n" + ROWS.replace("a1,0.1", "a1,high"), "숫자가 아닌 값이 1개"),
    ("roc_auc", "id,label\n" + ROWS.replace("a1,0.1", "a1,1.5"), "확률은 0과 1 사이여야"),
    ("roc_auc", "id,label\n" + ROWS.replace("a1,", "zz,"), "테스트 세트에 없는 id가 1개"),
    ("roc_auc", "id,label\n" + ROWS.replace("a1,", "a2,"), "두 번 이상 나오는 id가 1개"),
    ("roc_auc", "id,label\n" + ROWS.replace("a1,0.1\n", ""), "예측이 없는 테스트 id가 1개"),
    ("roc_auc", "id,label\n" + ROWS.replace("a1,", " ,"), "id가 비어 있는 행이 1개"),
]


@pytest.mark.parametrize(("metric", "content", "korean"), CASES)
def test_engine_messages_read_in_korean(app, make_problem, metric, content, korean):
    problem = make_problem(metric, {"label": ["0", "1", "0", "1", "0", "1"]}, ids=IDS)
    result = problem.submit(content)  # (its leak check reads the counts "1" as labels)
    assert result["status"] == "invalid", result
    message = result["message"]
    with force_locale("ko"):
        shown = translate(message)
    assert korean in shown, (message, shown)
    assert english_left(shown) == [], (message, shown)
    with force_locale("en"):
        assert translate(message) == message


def test_an_unknown_sentence_stays_as_it_is(app):
    with force_locale("ko"):
        assert translate("Something new. The file is empty.") == (
            "Something new. 파일이 비어 있습니다."
        )
