"""Staff roles and sponsor membership for addresses without a verified account: the grant
becomes an invitation mailed (real SMTP) in the reader's language; only the verified owner of
the invited address can accept; organizers see and withdraw pending invitations; every step
is audited, and the answer to a grant no longer says whether the address has an account."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from judge.accounts import consent
from judge.accounts import services as accounts
from judge.audit import log as audit
from judge.competitions import policy
from judge.competitions.models import Role
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD
from tests.mail.test_password_reset import deliver
from tests.support.smtp import parts

LINK = re.compile(r"http://\S+/invitations/staff/[\w-]+")


@pytest.fixture
def contest(make):
    organizer = make.user(name="Olive Organizer")
    return make.competition(organizer, title="Vision Cup"), organizer


def grant_judge(client, login, contest, email: str) -> str:
    competition, organizer = contest
    login(organizer)
    data = {"role-email": email, "role-role": "judge"}
    page = client.post(f"/c/{competition.slug}/manage/roles", data=data, follow_redirects=True)
    client.post("/logout")
    return page.text


def link_to(inbox, email: str) -> str:
    message = next(m for m in inbox.messages if m["To"] == email)
    return urlsplit(LINK.search(parts(message)[0]).group(0)).path


def sign_up(email: str, *, verified: bool, locale: str | None = None):
    with unit_of_work():
        user = accounts.sign_up(email, "Newcomer", PASSWORD)
        consent.accept_at_sign_up(user, False, utcnow())  # as the sign-up page does
        user.email_verified_at = utcnow() if verified else None
        user.locale = locale
    return user


def test_unknown_and_unverified_addresses_get_the_same_answer_and_a_mail(
    app, client, login, contest, inbox
):
    sign_up("unverified@example.org", verified=False, locale="en")
    app.config["BABEL_DEFAULT_LOCALE"] = "ko"
    for email in ("ghost@example.org", "unverified@example.org"):
        page = grant_judge(client, login, contest, email)
        assert f"An invitation is mailed to {email}" in page
        assert "No user is registered" not in page
    deliver()
    received = {m["To"]: m for m in inbox.messages}
    ko_text, _html = parts(received["ghost@example.org"])
    assert received["ghost@example.org"]["Subject"].strip() == "경진대회 운영 초대가 도착했습니다"
    assert "Vision Cup에 심사위원(으)로 초대했습니다" in ko_text
    en_text, en_html = parts(received["unverified@example.org"])
    assert received["unverified@example.org"]["Subject"] == (
        "You are invited to help run a competition"
    )
    assert "invites you to Vision Cup as a judge" in en_text and "Accept the invitation" in en_html
    competition, _organizer = contest
    assert [r.role for r in competition.roles] == [Role.ORGANIZER]


def test_only_the_verified_owner_of_the_address_accepts(client, login, contest, inbox, make):
    competition, _organizer = contest
    grant_judge(client, login, contest, "newcomer@example.org")
    deliver()
    path = link_to(inbox, "newcomer@example.org")
    anonymous = client.get(path)
    assert anonymous.status_code == 200 and "as a judge" in anonymous.text
    assert "/login?next=" in anonymous.text
    login(make.user(email="someone.else@example.org"))
    refused = client.post(path, follow_redirects=True).text
    assert "This invitation was sent to another address." in refused
    client.post("/logout")
    newcomer = sign_up("newcomer@example.org", verified=False)
    login(newcomer)
    refused = client.post(path, follow_redirects=True).text
    assert "Please verify your email address first" in refused
    assert not policy.is_judge(newcomer, competition)
    with unit_of_work():
        newcomer.email_verified_at = utcnow()
    accepted = client.post(path, follow_redirects=True)
    assert "Welcome! You now help run Vision Cup." in accepted.text
    db.session.expire_all()
    assert policy.is_judge(newcomer, competition)
    actions = [e.action for e in audit.entries(competition.id)]
    for action in ("staff_invited", "role_granted", "staff_invitation_accepted"):
        assert action in actions
    assert client.get(path).status_code == 410


def test_sponsor_membership_invitation_in_korean(client, login, contest, inbox, make):
    competition, organizer = contest
    sponsor = competition.sponsors[0]
    login(organizer)
    data = {"member-sponsor_id": sponsor.id, "member-email": "kim@example.org"}
    client.post(f"/c/{competition.slug}/manage/sponsor-members", data=data)
    client.post("/logout")
    deliver()
    kim = sign_up("kim@example.org", verified=True, locale="ko")
    login(kim)
    client.post("/language/ko")
    page = client.get(link_to(inbox, "kim@example.org")).text
    assert f"후원기업 {sponsor.name}의 구성원으로 초대되었습니다" in page
    client.post(link_to(inbox, "kim@example.org"))
    db.session.expire_all()
    assert policy.is_sponsor_member(kim, sponsor)


def test_organizers_see_and_withdraw_pending_invitations(client, login, contest, inbox, make):
    competition, organizer = contest
    grant_judge(client, login, contest, "later@example.org")
    deliver()
    path = link_to(inbox, "later@example.org")
    login(organizer)
    console = client.get(f"/c/{competition.slug}/manage").text
    assert "later@example.org" in console and "Pending invitations" in console
    invitation_id = int(re.search(r"/manage/invitations/(\d+)/revoke", console).group(1))
    done = client.post(f"/c/{competition.slug}/manage/invitations/{invitation_id}/revoke",
                       follow_redirects=True)  # fmt: skip
    assert "The invitation is withdrawn" in done.text and "No pending invitations." in done.text
    client.post("/logout")
    gone = client.get(path)
    assert gone.status_code == 410 and "The organizers withdrew this invitation." in gone.text
    assert "staff_invitation_revoked" in [e.action for e in audit.entries(competition.id)]


def test_a_verified_account_is_granted_at_once_as_before(client, login, contest, make):
    competition, _organizer = contest
    judge = make.user(email="judge@example.org")
    page = grant_judge(client, login, contest, judge.email)
    assert "The role is assigned." in page
    assert policy.is_judge(judge, competition)


def test_the_api_invites_lists_and_withdraws(client, make, contest, inbox):
    api = ApiClient(client, make)
    competition, organizer = contest
    base = f"/competitions/{competition.slug}"
    sponsor_id = competition.sponsors[0].id
    invited = api.post(f"{base}/sponsors/{sponsor_id}/members", as_=organizer,
                       json={"email": "api@example.org"})  # fmt: skip
    assert invited.status_code == 202 and invited.json["sponsor_id"] == sponsor_id
    listed = api.get(f"{base}/invitations", as_=organizer).json
    assert [i["email"] for i in listed] == ["api@example.org"]
    again = api.post(f"{base}/sponsors/{sponsor_id}/members", as_=organizer,
                     json={"email": "api@example.org"})  # fmt: skip
    assert again.status_code == 409 and "already pending" in again.json["error"]["message"]
    assert api.delete(f"{base}/invitations/{listed[0]['id']}", as_=organizer).status_code == 204
    assert api.get(f"{base}/invitations", as_=organizer).json == []
    assert api.delete(f"{base}/invitations/{listed[0]['id']}", as_=organizer).status_code == 404
