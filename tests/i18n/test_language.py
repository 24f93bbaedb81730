"""The language a person reads: saved setting, switcher, ?lang=, Accept-Language, else Korean."""

from __future__ import annotations

import re

import pytest

from judge.accounts.models import User
from judge.core.extensions import db

KO = {"Accept-Language": "ko-KR,ko;q=0.9"}
EN = {"Accept-Language": "en-US,en;q=0.9"}


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_without_any_preference_the_site_speaks_korean(client):
    page = client.get("/login").text
    assert html_lang(page) == "ko"
    assert "<h1>로그인</h1>" in page and "회원가입" in page


@pytest.mark.parametrize(
    ("header", "lang", "heading"),
    [
        ("en-US,en;q=0.9", "en", "<h1>Log in</h1>"),
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko", "<h1>로그인</h1>"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "en", "<h1>Log in</h1>"),
        ("ja-JP", "ko", "<h1>로그인</h1>"),
    ],
)
def test_the_browser_language_is_followed(client, header, lang, heading):
    page = client.get("/login", headers={"Accept-Language": header}).text
    assert html_lang(page) == lang
    assert heading in page


def test_every_page_has_a_switcher_to_the_other_language(client):
    korean = client.get("/login").text
    assert 'action="/language/en"' in korean and ">English</button>" in korean
    english = client.get("/register", headers=EN).text
    assert 'action="/language/ko"' in english and ">한국어</button>" in english


def test_the_switcher_works_for_anonymous_visitors_and_returns_to_the_page(client):
    response = client.post("/language/en", data={"next": "/login?next=%2Fc%2Fx"})
    assert response.status_code == 302
    assert response.location.endswith("/login?next=%2Fc%2Fx")
    page = client.get("/login", headers=KO).text  # the choice beats the browser
    assert html_lang(page) == "en" and "<h1>Log in</h1>" in page


def test_the_switcher_never_sends_people_off_site(client):
    response = client.post("/language/en", data={"next": "https://evil.example/"})
    assert response.location.endswith("/")
    assert "evil" not in response.location


def test_lang_in_the_address_switches_and_is_remembered(client):
    page = client.get("/login?lang=en").text
    assert html_lang(page) == "en"
    assert 'name="next" value="/login"' in page  # the switcher drops ?lang=
    assert html_lang(client.get("/register").text) == "en"
    assert html_lang(client.get("/register?lang=ko").text) == "ko"
    assert html_lang(client.get("/login").text) == "ko"


def test_an_unknown_language_is_ignored(client):
    assert html_lang(client.get("/login?lang=xx").text) == "ko"
    client.post("/language/xx", data={"next": "/login"})
    assert html_lang(client.get("/login").text) == "ko"


def test_the_saved_setting_wins_over_the_browser(client, make, login):
    user = make.user()
    login(user)
    page = client.post("/account", data={"locale": "en"}, follow_redirects=True).text
    assert "Your settings are saved." in page  # already in the new language
    assert db.session.get(User, user.id).locale == "en"
    assert html_lang(client.get("/account", headers=KO).text) == "en"


def test_the_saved_setting_follows_the_user_to_another_browser(app, make, login, client):
    user = make.user()
    login(user)
    client.post("/account", data={"locale": "en"})
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": "correct horse battery"})
    page = other.get("/", headers=KO).text
    assert html_lang(page) == "en" and "Competitions" in page


def test_the_switcher_saves_the_setting_of_a_logged_in_user(client, make, login):
    user = make.user()
    login(user)
    client.post("/language/en", data={"next": "/"})
    assert db.session.get(User, user.id).locale == "en"
    client.post("/language/ko", data={"next": "/"})
    assert db.session.get(User, user.id).locale == "ko"


def test_following_the_browser_again(client, make, login):
    user = make.user()
    login(user)
    client.post("/account", data={"locale": "en"})
    page = client.post("/account", data={"locale": ""}, follow_redirects=True, headers=KO).text
    assert db.session.get(User, user.id).locale is None
    assert "설정을 저장했습니다." in page
    assert html_lang(client.get("/account", headers=EN).text) == "en"


def test_the_account_page_offers_each_language_in_its_own_name(client, make, login):
    login(make.user())
    page = client.get("/account").text
    assert "<h1>계정</h1>" in page and "언어" in page
    assert ">한국어</option>" in page and ">English</option>" in page
    assert "브라우저 언어" in page


def test_the_account_page_refuses_an_unknown_language(client, make, login):
    user = make.user()
    login(user)
    page = client.post("/account", data={"locale": "xx"}).text
    assert "올바르지 않은 선택값입니다." in page
    assert db.session.get(User, user.id).locale is None


def test_form_validation_messages_are_korean(client):
    page = client.post("/register", data={"email": "bad", "name": "", "password": "1"}).text
    assert "이 항목은 필수입니다." in page
    assert "올바르지 않은 이메일 주소입니다." in page


def test_flash_messages_follow_the_language(client, make, login):
    login(make.user())
    assert "로그아웃했습니다." in client.post("/logout", follow_redirects=True).text
    login(make.user())
    page = client.post("/logout", follow_redirects=True, headers=EN).text
    assert "You are logged out." in page
