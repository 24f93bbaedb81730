"""Security headers, the content security policy and cookie flags on what the browser gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from judge import create_app
from tests.conftest import PASSWORD, IsolatedClient, _config

STATIC = Path(__file__).resolve().parents[2] / "judge" / "static"


def policy(response) -> dict[str, str]:
    parts = (
        p.strip().split(None, 1) for p in response.headers["Content-Security-Policy"].split(";")
    )
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


def assert_protected(response) -> None:
    csp = policy(response)
    assert csp["default-src"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'" and csp["form-action"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|<[^>]+\sstyle\s*=", re.I)


def assert_no_inline_code(page: str) -> None:
    """What the policy would block must not be on the page at all."""
    assert not INLINE_SCRIPT.search(page), INLINE_SCRIPT.search(page).group(0)
    assert not HANDLER.search(page), HANDLER.search(page).group(0)
    assert not STYLE.search(page), STYLE.search(page).group(0)
    assert "javascript:" not in page


def pages(world) -> list[str]:
    slug, problem = world.competition.slug, world.problem.slug
    here = f"/c/{slug}/p/{problem}"
    return ["/", "/login", "/register", "/account/tokens", f"/c/{slug}", f"/c/{slug}/manage",
            f"/c/{slug}/team", f"/teams/{world.team.id}", here, f"{here}/manage",
            f"{here}/leaderboard", f"{here}/leaderboard?board=private", "/competitions/new",
            f"/c/{slug}/problems/new", "/no-such-page"]  # fmt: skip


@pytest.mark.parametrize("role", ["anonymous", "participant", "organizer", "admin"])
def test_every_page_has_the_headers_and_no_inline_code(client, world, as_role, role):
    as_role(role)
    for path in pages(world):
        response = client.get(path, follow_redirects=True)
        assert_protected(response)
        if response.mimetype == "text/html":
            assert_no_inline_code(response.text)


def test_the_new_token_page_selects_with_a_script_file(client, world, as_role):
    as_role("participant")
    page = client.post("/account/tokens", data={"name": "laptop"}).text
    assert "data-select-on-focus" in page and "/static/select.js" in page
    assert_no_inline_code(page)


def test_the_scripts_pages_use_are_files_served_from_the_site(client, world, as_role):
    as_role("participant")
    page = client.get(f"/c/{world.competition.slug}/p/{world.problem.slug}").text
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert sources == ["/static/localtime.js", "/static/select.js", "/static/submit.js"]
    for source in sources:
        script = client.get(source)
        assert script.status_code == 200 and "javascript" in script.mimetype
        assert_protected(script)


def test_scripts_need_nothing_the_policy_forbids():
    """No eval, no inline styles set as attributes, requests only to this site."""
    for path in STATIC.glob("*.js"):
        code = path.read_text()
        assert not re.search(r"\beval\(|new Function\(|setAttribute\(\s*['\"](style|on)", code)
        assert not re.search(r"https?://", code), path.name
        assert not re.search(r"\.on[a-z]+\s*=", code), path.name


def test_api_answers_and_errors_have_the_headers(client, world):
    for path in ("/api/v1/competitions", "/api/v1/me", "/api/v1/problems/999999"):
        response = client.get(path)
        assert response.is_json
        assert_protected(response)


def test_plain_http_sets_no_hsts_and_no_secure_cookie(client, make):
    user = make.user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert "Strict-Transport-Security" not in response.headers
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Expires=" in cookie  # a lasting login, not a browser-session one


@pytest.fixture
def https_app(tmp_path, database_url, redis_broker, monkeypatch):
    monkeypatch.setenv("JUDGE_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(
        _config(tmp_path, database_url, redis_broker) | {"PUBLIC_URL": "https://judge.example/"}
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app


def test_https_sites_send_hsts_and_secure_cookies(https_app):
    from tests.factories import Factories

    user = Factories(PASSWORD).user()
    client = https_app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert https_app.config["REMEMBER_COOKIE_SECURE"] is True
    assert https_app.config["REMEMBER_COOKIE_HTTPONLY"] is True


def test_an_inline_script_with_the_request_nonce_is_allowed(app):
    from flask import render_template_string

    @app.get("/nonce-test")
    def nonce_test():
        return render_template_string('<script nonce="{{ csp_nonce() }}">1</script>')

    response = app.test_client().get("/nonce-test")
    nonce = re.search(r'nonce="([^"]+)"', response.text).group(1)
    assert f"'nonce-{nonce}'" in policy(response)["script-src"]
    other = app.test_client().get("/nonce-test")
    assert f"'nonce-{nonce}'" not in policy(other)["script-src"]  # one request only
