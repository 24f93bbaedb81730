"""Organizers edit and remove divisions and sponsors; what teams or problems hold stays."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.competitions.models import Division, Sponsor
from judge.core.extensions import db

KO = {"Accept-Language": "ko"}


def part(cast, kind: str, row) -> str:
    return f"/c/{cast.competition.slug}/manage/{kind}/{row.id}"


def audited(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_organizer_renames_a_division_and_a_sponsor(client, cast, as_role):
    as_role("organizer")
    graduate, sponsor = cast.competition.divisions[0], cast.competition.sponsors[0]
    done = client.post(part(cast, "divisions", graduate), follow_redirects=True,
                       data={"name": "대학원생", "eligibility": "Graduate students"})  # fmt: skip
    assert "The changes are saved." in done.text and "대학원생" in done.text
    client.post(
        part(cast, "sponsors", sponsor),
        data={"name": "Acme Vision", "website": "https://acme.example", "description": ""},
    )
    (entry,) = audited("division_changed")
    assert (entry.before, entry.after) == ({"name": "대학원"}, {"name": "대학원생"})
    (entry,) = audited("sponsor_changed")
    assert entry.after == {"name": "Acme Vision", "website": "https://acme.example"}


def test_a_name_taken_is_refused_by_its_field(client, cast, as_role):
    as_role("organizer")
    graduate = cast.competition.divisions[0]
    page = client.post(part(cast, "divisions", graduate), data={"name": "학부"}, headers=KO).text
    assert "이 경진대회에 같은 이름의 부문이 이미 있습니다." in page
    assert audited("division_changed") == []


@pytest.mark.parametrize(("headers", "message"), [
    (None, "2 teams belong to this division: it cannot be removed."),
    (KO, "이 부문에 속한 팀이 2개 있어 삭제할 수 없습니다."),
])  # fmt: skip
def test_a_division_with_teams_is_not_removed(client, cast, as_role, headers, message):
    as_role("organizer")
    graduate = cast.competition.divisions[0]  # both teams of the cast are in it
    assert message in client.get(part(cast, "divisions", graduate), headers=headers).text
    refused = client.post(f"{part(cast, 'divisions', graduate)}/remove",
                          data={"confirm": "y"}, headers=headers)  # fmt: skip
    assert message in refused.text and db.session.get(Division, graduate.id) is not None


def test_removing_asks_first_and_is_audited(client, cast, as_role):
    as_role("organizer")
    undergraduate = cast.competition.divisions[1]
    address = f"{part(cast, 'divisions', undergraduate)}/remove"
    assert "Please tick the box to remove it." in client.post(address).text
    assert db.session.get(Division, undergraduate.id) is not None
    page = client.post(address, data={"confirm": "y"}, follow_redirects=True).text
    assert "학부 is removed." in page
    db.session.expire_all()
    assert [d.name for d in cast.competition.divisions] == ["대학원"]
    (entry,) = audited("division_removed")
    assert entry.before == {"name": "학부", "eligibility": "Undergraduates"}


def test_a_sponsor_with_problems_stays_one_without_goes(client, cast, as_role):
    as_role("organizer")
    first, other = cast.competition.sponsors
    first_id, other_id = first.id, other.id
    page = client.get(part(cast, "sponsors", first)).text
    assert "This sponsor has 2 problems: it cannot be removed." in page
    client.post(f"{part(cast, 'sponsors', first)}/remove", data={"confirm": "y"})
    client.post(f"{part(cast, 'sponsors', other)}/remove", data={"confirm": "y"})
    db.session.expire_all()
    assert db.session.get(Sponsor, first_id) is not None
    assert db.session.get(Sponsor, other_id) is None
    assert [e.subject for e in audited("sponsor_removed")] == ["Other Sponsor"]


@pytest.mark.parametrize("role", ["sponsor", "judge", "participant"])
def test_only_organizers_edit_or_remove(client, cast, as_role, role):
    as_role(role)
    graduate = cast.competition.divisions[1]
    assert client.get(part(cast, "divisions", graduate)).status_code == 403
    assert client.post(f"{part(cast, 'divisions', graduate)}/remove",
                       data={"confirm": "y"}).status_code == 403  # fmt: skip
    assert db.session.get(Division, graduate.id) is not None


@pytest.mark.parametrize(("headers", "message"), [
    (None, "The website must be a web address starting with https:// or http://."),
    (KO, "웹사이트는 https:// 또는 http://로 시작하는 웹 주소여야 합니다."),
])  # fmt: skip
@pytest.mark.parametrize("website", ["javascript:alert(1)", "hanbit.example", "https://"])
def test_a_sponsor_website_that_is_no_web_address_is_refused(
    client, cast, as_role, headers, message, website
):
    as_role("organizer")
    sponsor, slug = cast.competition.sponsors[0], cast.competition.slug
    names = [s.name for s in cast.competition.sponsors]
    typed = {"name": sponsor.name, "website": website, "description": ""}
    edited = client.post(part(cast, "sponsors", sponsor), headers=headers, data=typed)
    assert message in edited.text
    added = client.post(f"/c/{slug}/manage/sponsors", headers=headers, follow_redirects=True,
                        data={"sponsor-name": "두리물류", "sponsor-website": website})  # fmt: skip
    assert message in added.text
    db.session.expire_all()
    assert [s.name for s in cast.competition.sponsors] == names
    assert sponsor.website != website and audited("sponsor_changed") == []
