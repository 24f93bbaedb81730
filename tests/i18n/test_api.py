"""API errors in the caller's language (Accept-Language, else the token owner's setting);
the codes stay English and stable."""

from __future__ import annotations

import pytest

from judge.accounts.models import User
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.submissions import lifecycle
from judge.submissions.lifecycle import GAVE_UP
from judge.submissions.models import FailureKind
from tests.submissions.helpers import LEASE, submit


def bearer(token: str, language: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    if language:
        headers["Accept-Language"] = language
    return headers


@pytest.mark.parametrize(
    ("language", "message"),
    [("ko", "해당 경진대회가 없습니다."), ("en", "No such competition.")],
)
def test_not_found_in_the_callers_language(client, language, message):
    response = client.get("/api/v1/competitions/nope", headers={"Accept-Language": language})
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert response.json["error"]["message"] == message


def test_a_bad_token_is_refused_in_korean_and_english(client):
    korean = client.get("/api/v1/me", headers=bearer("jdg_nope", "ko"))
    english = client.get("/api/v1/me", headers=bearer("jdg_nope", "en"))
    assert korean.status_code == english.status_code == 401
    assert korean.json["error"]["code"] == english.json["error"]["code"] == "unauthorized"
    assert korean.json["error"]["message"] == "알 수 없거나 폐기된 API 토큰입니다."
    assert english.json["error"]["message"] == "The API token is unknown or revoked."


def test_field_validation_messages_are_translated(client):
    response = client.post(
        "/api/v1/tokens", json={"email": 7, "name": "x" * 200}, headers={"Accept-Language": "ko"}
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "일부 항목이 올바르지 않습니다."
    assert error["fields"] == {
        "email": ["올바른 문자열이 아닙니다."],
        "password": ["필수 항목입니다."],
        "name": ["최대 100자까지 입력할 수 있습니다."],
    }


def test_field_validation_messages_stay_english_for_english_callers(client):
    response = client.post("/api/v1/tokens", json={}, headers={"Accept-Language": "en"})
    assert response.json["error"]["fields"]["password"] == ["Missing data for required field."]


def test_a_domain_error_follows_the_header(client, make):
    user = make.user()
    body = {"email": user.email, "password": "wrong password"}
    korean = client.post("/api/v1/tokens", json=body, headers={"Accept-Language": "ko"})
    english = client.post("/api/v1/tokens", json=body, headers={"Accept-Language": "en"})
    assert korean.json["error"]["code"] == english.json["error"]["code"]
    assert korean.json["error"]["message"] == "이메일 또는 비밀번호가 맞지 않습니다."
    assert english.json["error"]["message"] == "The email or password is incorrect."


def test_without_a_header_the_token_owners_setting_counts(client, make):
    user = make.user()
    token = make.token(user)
    answer = client.patch("/api/v1/me", json={"locale": "en"}, headers=bearer(token))
    assert answer.status_code == 200 and answer.json["locale"] == "en"
    assert db.session.get(User, user.id).locale == "en"
    missing = client.get("/api/v1/competitions/nope/problems", headers=bearer(token))
    assert missing.json["error"]["message"] == "No such competition."
    korean = client.get("/api/v1/competitions/nope/problems", headers=bearer(token, "ko"))
    assert korean.json["error"]["message"] == "해당 경진대회가 없습니다."


def test_the_locale_field_on_me(client, make):
    token = make.token(make.user())
    assert client.get("/api/v1/me", headers=bearer(token)).json["locale"] is None
    refused = client.patch("/api/v1/me", json={"locale": "fr"}, headers=bearer(token, "ko"))
    assert refused.status_code == 422
    assert refused.json["error"]["fields"]["locale"] == ["다음 중 하나여야 합니다: ko, en."]
    cleared = client.patch("/api/v1/me", json={"locale": None}, headers=bearer(token))
    assert cleared.status_code == 200 and cleared.json["locale"] is None


def test_a_failed_submission_message_is_shown_in_the_readers_language(client, make):
    competition = make.competition()
    leader = make.user()
    make.team(competition, leader)
    submission = submit(make.problem(competition), leader)
    with unit_of_work():
        attempt = lifecycle.claim(submission.id, utcnow(), LEASE, "test-worker")
        lifecycle.record_failure(submission, attempt, FailureKind.SYSTEM, GAVE_UP, "", utcnow())
    token = make.token(leader)
    address = f"/api/v1/submissions/{submission.id}"
    korean = client.get(address, headers=bearer(token, "ko")).json
    english = client.get(address, headers=bearer(token, "en")).json
    assert korean["error_message"].startswith("저희 쪽 문제로 여러 번 시도했지만 채점을 마치지")
    assert english["error_message"] == GAVE_UP
