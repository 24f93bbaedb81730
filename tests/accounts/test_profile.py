"""The owner edits their name, affiliation and language on /account; affiliation changes
are audited where organizers check conflicts of interest, and freeze once the owner's team
is a finalist (an administrator may still change it)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.core.extensions import db
from judge.finals.models import Finalist

KOREAN = {"Accept-Language": "ko"}


def save(client, name="Pia Park", affiliation="KAIST", locale="", headers=None):
    data = {"name": name, "affiliation": affiliation, "locale": locale}
    return client.post("/account", data=data, headers=headers or {})


def audit(action: str) -> list[AuditEntry]:
    query = sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def shortlist(cast) -> None:
    db.session.add(Finalist(problem_id=cast.problem.id, team_id=cast.team.id,
                            division_id=cast.team.division_id, private_rank=1))  # fmt: skip
    db.session.commit()


def test_the_owner_changes_name_affiliation_and_language(client, cast, as_role):
    user = as_role("participant")
    answer = save(client, name="  Pia   Park ", affiliation="Seoul National University",
                  locale="ko")  # fmt: skip
    assert answer.status_code == 302
    page = client.get("/account").text
    assert "설정을 저장했습니다." in page  # the confirmation, already in the chosen language
    assert 'value="Pia Park"' in page and 'value="Seoul National University"' in page
    team_page = client.get(f"/teams/{cast.team.id}").text
    assert "Pia Park" in team_page
    db.session.refresh(user)
    assert (user.name, user.affiliation, user.locale) == (
        "Pia Park", "Seoul National University", "ko")  # fmt: skip


def test_an_affiliation_change_is_audited_in_each_competition_of_the_user(client, cast, as_role):
    user = as_role("participant")
    save(client, affiliation="KAIST")
    [entry] = audit("affiliation_changed")
    assert entry.competition_id == cast.competition.id and entry.actor_id == user.id
    assert (entry.before, entry.after) == ({"affiliation": ""}, {"affiliation": "KAIST"})
    save(client, name="Pia Renamed", affiliation="KAIST")  # the name alone: no entry
    assert len(audit("affiliation_changed")) == 1


def test_someone_in_no_competition_gets_a_site_level_entry(client, make, login):
    login(make.user())
    save(client, affiliation="POSTECH")
    [entry] = audit("affiliation_changed")
    assert entry.competition_id is None


@pytest.mark.parametrize(
    ("name", "affiliation", "english", "korean"),
    [
        ("   ", "", "Please enter your name.", "이름을 입력해 주세요."),
        ("x" * 101, "", "A name has at most 100 characters.", "이름은 100자까지 쓸 수 있습니다."),
        ("Pia\u202ePark", "", "A name cannot contain control or invisible characters.",
         "이름에는 제어 문자나 보이지 않는 문자를 쓸 수 없습니다."),
        ("Pia", "KAIST\x00", "An affiliation cannot contain control or invisible characters.",
         "소속에는 제어 문자나 보이지 않는 문자를 쓸 수 없습니다."),
        ("Pia", "y" * 201, "An affiliation has at most 200 characters.",
         "소속은 200자까지 쓸 수 있습니다."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, cast, as_role, name, affiliation, english, korean
):
    user = as_role("participant")
    for headers, message in (({}, english), (KOREAN, korean)):
        answer = save(client, name=name, affiliation=affiliation, headers=headers)
        assert answer.status_code == 200 and message in answer.text
    db.session.refresh(user)
    assert (user.name, user.affiliation) == ("Pia Participant", "")
    assert audit("affiliation_changed") == []


def test_a_finalists_affiliation_is_frozen_for_them(client, cast, as_role):
    user = as_role("participant")
    shortlist(cast)
    page = client.get("/account").text
    assert "has a shortlist, and judges' conflicts of interest are checked" in page
    for headers, message in (
        ({}, "Your affiliation can no longer be changed"),
        (KOREAN, "소속을 더 이상 변경할 수 없습니다"),
    ):
        answer = save(client, affiliation="Rival University", headers=headers)
        assert answer.status_code == 200 and message in answer.text
    assert save(client, name="Pia Still", affiliation="").status_code == 302  # the name may
    db.session.refresh(user)
    assert (user.name, user.affiliation) == ("Pia Still", "")


def test_an_administrator_may_still_change_a_frozen_affiliation(client, cast, as_role):
    shortlist(cast)
    admin = as_role("admin")
    user = cast["participant"]
    answer = client.post(f"/admin/users/{user.id}", data={"affiliation": "Korea University"})
    assert answer.status_code == 302
    db.session.refresh(user)
    assert user.affiliation == "Korea University"
    [entry] = audit("affiliation_changed")
    assert entry.actor_id == admin.id and entry.competition_id == cast.competition.id
