"""Consent at sign-up (개인정보 수집·이용 동의): the notice is shown, the required box must
be ticked, each answer is kept with the version it answered, and a newer required version
is asked for before anything else."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from judge.accounts import consent
from judge.accounts.models import ConsentDecision, ConsentKind, User
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.mail.models import OutgoingMail
from tests.conftest import PASSWORD

KO = {"Accept-Language": "ko"}


def sign_up(client, email="new@example.com", headers=None, **boxes):
    data = {"email": email, "name": "New Person", "password": PASSWORD, "confirm": PASSWORD,
            **boxes}  # fmt: skip
    return client.post("/register", data=data, headers=headers or {})


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def answers_of(email: str) -> dict[str, tuple[int, bool]]:
    """The latest answer to each kind: (version, accepted)."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    return {
        a.document.kind.value: (a.document.version, a.accepted)
        for a in reversed(consent.answers(user))
    }


def test_the_sign_up_page_shows_what_is_collected_and_both_boxes(client):
    page = client.get("/register").text
    assert "Collection and use of personal data (required)" in page
    assert "What we collect: your email address" in page and "until you close your account" in page
    assert "Your right to refuse" in page
    assert 'name="agree_privacy"' in page and 'name="agree_marketing"' in page
    korean = client.get("/register", headers=KO).text
    assert "수집 항목: 이메일 주소" in korean and "동의를 거부할 권리" in korean


def test_sign_up_without_the_required_box_is_refused_and_writes_nothing(client):
    for headers, message in (
        ({}, "Please agree to the collection and use of personal data to create an account."),
        (KO, "계정을 만들려면 개인정보 수집·이용에 동의해 주세요."),
    ):
        response = sign_up(client, headers=headers, agree_marketing="y")
        assert response.status_code == 200 and message in response.text
    assert (count(User), count(ConsentDecision), count(OutgoingMail)) == (0, 0, 0)


def test_the_answers_are_kept_with_their_version(client):
    sign_up(client, "yes@example.com", agree_privacy="y", agree_marketing="y")
    sign_up(client, "no@example.com", agree_privacy="y")
    assert answers_of("yes@example.com") == {"privacy": (1, True), "marketing": (1, True)}
    assert answers_of("no@example.com") == {"privacy": (1, True), "marketing": (1, False)}


def test_the_optional_consent_is_withdrawn_on_the_account_page(client, login):
    sign_up(client, "yes@example.com", agree_privacy="y", agree_marketing="y")
    login(db.session.scalar(sa.select(User).where(User.email == "yes@example.com")))
    page = client.get("/account").text
    assert "News and sharing with sponsors, version 1: accepted" in page
    client.post("/account/consent/optional", data={"accepted": "no"})
    assert answers_of("yes@example.com")["marketing"] == (1, False)
    assert "version 1: declined" in client.get("/account").text


def publish_privacy(effective_at):
    with unit_of_work():
        return consent.publish(ConsentKind.PRIVACY, "새 안내문 2판", "New notice, version 2",
                               effective_at, None)  # fmt: skip


def test_a_new_required_version_is_asked_for_before_going_on(client, make, login):
    user = make.user()
    publish_privacy(utcnow() + timedelta(days=1))  # not in effect yet: nothing asked
    login(user)
    assert client.get("/account").status_code == 200
    publish_privacy(utcnow() - timedelta(seconds=1))
    asked = client.get("/account")
    assert asked.status_code == 302 and "/account/consent" in asked.headers["Location"]
    page = client.get(asked.headers["Location"]).text
    assert "The personal-data notice has changed" in page and "New notice, version 2" in page
    refused = client.post(asked.headers["Location"], data={"version": "3"})
    assert "Please tick the box to accept the notice." in refused.text
    stale = client.post(asked.headers["Location"], data={"version": "2", "agree_privacy": "y"})
    assert "The notice changed while you were reading it." in stale.text  # version 3 is in effect
    done = client.post(asked.headers["Location"], data={"version": "3", "agree_privacy": "y"})
    assert done.status_code == 302 and done.headers["Location"].startswith("/account")
    assert client.get("/account").status_code == 200
    assert answers_of(user.email)["privacy"] == (3, True)


def test_the_api_is_not_held_up_by_the_question(client, make):
    user = make.user()
    publish_privacy(utcnow() - timedelta(seconds=1))
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {make.token(user)}"})
    assert response.status_code == 200


def test_publishing_a_version_is_audited_and_needs_both_languages(runner, tmp_path):
    ko, en, empty = tmp_path / "ko.txt", tmp_path / "en.txt", tmp_path / "empty.txt"
    ko.write_text("새 안내문", encoding="utf-8")
    en.write_text("New notice", encoding="utf-8")
    empty.write_text(" ", encoding="utf-8")
    result = runner.invoke(args=["publish-consent", "privacy", "--ko", str(ko), "--en", str(en)])
    assert result.exit_code == 0 and "Published privacy version 2" in result.output
    refused = runner.invoke(
        args=["publish-consent", "privacy", "--ko", str(empty), "--en", str(en)]
    )
    assert refused.exit_code != 0 and "in Korean and in English" in refused.output
    assert consent.current(ConsentKind.PRIVACY, utcnow()).version == 2
