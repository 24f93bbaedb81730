"""The account page's password change: other browsers and API tokens end, the owner is
told by mail, and mistakes change nothing."""

from __future__ import annotations

from judge.mail.tasks import send_mail_task
from tests.conftest import PASSWORD
from tests.mail.test_password_reset import NEW_PASSWORD, deliver, logs_in
from tests.support.smtp import parts


def change(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


def test_changing_the_password_ends_other_browsers_and_tokens_and_tells_the_owner(
    app, client, make, login, inbox
):
    user = make.user()
    token = make.token(user)
    other = app.test_client()
    assert logs_in(other, user.email, PASSWORD)
    login(user)
    assert "Change password" in client.get("/account").text
    answer = change(client, PASSWORD, NEW_PASSWORD)
    assert answer.status_code == 302
    assert "other browsers were logged out" in client.get("/account").text  # still logged in
    assert other.get("/account").status_code == 302
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
    assert logs_in(app.test_client(), user.email, NEW_PASSWORD)
    (sent,) = deliver()
    send_mail_task.apply(args=(sent.id,))  # delivered again: still one message
    (message,) = inbox.messages
    assert message["Subject"] == "Your password was changed"
    assert "/password/forgot" in parts(message)[0]


def test_a_wrong_current_password_or_a_mistyped_new_one_changes_nothing(
    app, client, make, login, inbox
):
    user = make.user()
    token = make.token(user)
    login(user)
    wrong = change(client, "not my password", NEW_PASSWORD)
    assert "The current password is incorrect." in wrong.text
    differ = change(client, PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert "The passwords differ." in differ.text
    short = change(client, PASSWORD, "short")
    assert "at least 8 characters" in short.text
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert logs_in(app.test_client(), user.email, PASSWORD)
    assert deliver() == [] and inbox.messages == []


def test_only_a_logged_in_user_changes_a_password(client, make):
    make.user()
    answer = change(client, PASSWORD, NEW_PASSWORD)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
