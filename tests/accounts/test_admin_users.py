"""Site administrators manage accounts at /admin/users; for anyone else it is not there."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core.extensions import db
from judge.mail.models import OutgoingMail
from tests.conftest import PASSWORD

ROUTES = [
    ("GET", "/admin/users"),
    ("GET", "/admin/users/{id}"),
    ("POST", "/admin/users/{id}"),
    ("GET", "/admin/users/{id}/disable"),
    ("POST", "/admin/users/{id}/disable"),
    ("POST", "/admin/users/{id}/enable"),
    ("POST", "/admin/users/{id}/password-reset"),
]


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def mail_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(OutgoingMail.id)))


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("role", ["participant", "organizer", "judge", "sponsor"])
def test_no_one_but_an_administrator_reaches_any_route(client, cast, as_role, method, path, role):
    as_role(role)
    target, before, mailed = cast["rival"], actions(), mail_count()
    answer = client.open(path.format(id=target.id), method=method, data={"affiliation": "X"})
    assert answer.status_code == 404
    db.session.refresh(target)
    assert target.is_active and target.affiliation == "" and actions() == before
    assert mail_count() == mailed


def test_an_anonymous_visitor_is_asked_to_log_in(client, cast):
    answer = client.get("/admin/users")
    assert answer.status_code == 302 and "/login" in answer.location


def test_the_list_searches_by_name_email_and_affiliation_and_pages(client, make, login):
    admin = make.user(name="Ada Admin", admin=True)
    login(admin)
    make.user("hong@kaist.example", name="홍길동", affiliation="KAIST")
    make.user("lee@snu.example", name="Lee", affiliation="Seoul National University")
    assert "Users" in client.get("/competitions/new").text  # linked from the admin's menu
    for query in ("홍길", "kaist.example", "kaist"):
        page = client.get("/admin/users", query_string={"q": query}).text
        assert "홍길동" in page and "lee@snu.example" not in page
    page = client.get("/admin/users", query_string={"q": "100%_"}).text
    assert "No account matches." in page
    for n in range(50):
        make.user(f"bulk{n}@example.com")
    first = client.get("/admin/users").text
    assert "Page 1 of 2" in first and "hong@kaist.example" not in first  # newest first
    second = client.get("/admin/users", query_string={"page": 2}).text
    assert "hong@kaist.example" in second and "address verified" in second


def test_disabling_asks_first_then_logs_out_and_revokes_tokens(client, make, login, app):
    admin = make.user(admin=True)
    login(admin)
    user = make.user()
    token = make.token(user)
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    confirm = client.get(f"/admin/users/{user.id}/disable").text
    assert "is logged out on every browser at once" in confirm
    assert client.post(f"/admin/users/{user.id}/disable").status_code == 302
    assert other.get("/account").status_code == 302  # logged out
    api = other.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    client.post(f"/admin/users/{user.id}/enable")
    api = other.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401  # revoked for good: the owner makes a new one
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert actions() == ["user_disabled", "user_enabled"]


def test_an_administrator_cannot_disable_themselves(client, make, login):
    admin = make.user(admin=True)
    login(admin)
    answer = client.post(f"/admin/users/{admin.id}/disable", follow_redirects=True)
    assert "You cannot disable your own account." in answer.text
    db.session.refresh(admin)
    assert admin.is_active


def test_a_reset_link_is_mailed_to_the_owner_and_never_shown(client, make, login):
    login(make.user(admin=True))
    user = make.user()
    answer = client.post(f"/admin/users/{user.id}/password-reset", follow_redirects=True)
    assert f"A password reset link is on its way to {user.email}." in answer.text
    [mail] = db.session.scalars(sa.select(OutgoingMail)).all()
    assert mail.recipient == user.email and mail.kind == "password_reset"
    assert "/password/reset/" not in answer.text
    assert "/password/reset/" not in client.get(f"/admin/users/{user.id}").text
    assert actions() == ["password_reset_sent"]
