"""A leader removes members, hands over the lead, changes division and merges teams."""

from __future__ import annotations

import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.competitions import participant_fields
from judge.competitions import services as competitions
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.leaderboard import services as leaderboard
from judge.notifications.kinds import Kind
from judge.notifications.models import Notification
from judge.submissions import quota
from judge.submissions import services as submissions
from judge.submissions.models import Submission
from judge.teams import merges
from judge.teams.models import Membership, Team, TeamMergeRequest
from tests.factories import hours, now
from tests.submissions.helpers import scored

KO = {"Accept-Language": "ko"}


def url(cast, action: str) -> str:
    return f"/c/{cast.competition.slug}/team/{action}"


def kinds_of(user) -> list[Kind]:
    return list(
        db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == user.id))
    )


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action)))


def past_deadline(competition) -> None:
    with unit_of_work():
        competitions.update_competition(competition, team_change_deadline=now() - hours(1))


def test_leader_removes_a_member_after_confirming(client, cast, login, make):
    member = make.user(name="Mia Member")
    team = make.team(cast.competition, make.user(), name="Crew", members=[member])
    submission = scored(cast.problem, member, 0.5, 0.5)
    login(team.leader)
    page = client.get(url(cast, f"members/{member.id}/remove")).text
    assert "Remove Mia Member from the team?" in page and "stay with the team" in page
    assert db.session.get(Team, team.id).member_count == 2  # asking changes nothing
    page = client.post(url(cast, f"members/{member.id}/remove"), follow_redirects=True).text
    assert "Mia Member is no longer a member of the team." in page
    assert db.session.get(Team, team.id).member_count == 1
    assert db.session.get(Submission, submission.id).team_id == team.id
    assert Kind.TEAM_MEMBER_REMOVED in kinds_of(member)
    assert "team_member_removed" in actions()


def test_a_member_who_does_not_lead_cannot_remove_or_hand_over(client, cast, login, make):
    member = make.user()
    team = make.team(cast.competition, make.user(), members=[member])
    login(member)
    assert client.post(url(cast, f"members/{team.leader_id}/remove")).status_code == 403
    assert client.post(url(cast, f"members/{team.leader_id}/lead")).status_code == 403
    assert db.session.get(Team, team.id).member_count == 2


def test_someone_outside_the_team_is_not_found(client, cast, login, make):
    team = make.team(cast.competition, make.user())
    login(team.leader)
    assert client.get(url(cast, f"members/{cast['rival'].id}/remove")).status_code == 404
    assert client.post(url(cast, f"members/{cast['rival'].id}/remove")).status_code == 404
    assert db.session.get(Team, cast.rival_team.id).member_count == 1


def test_leader_hands_over_the_lead(client, cast, login, make):
    member = make.user(name="Nia Next")
    team = make.team(cast.competition, make.user(), members=[member])
    old = team.leader
    login(old)
    assert (
        "Make Nia Next the team&#39;s leader?"
        in client.get(url(cast, f"members/{member.id}/lead")).text
    )
    page = client.post(url(cast, f"members/{member.id}/lead"), follow_redirects=True).text
    assert "Nia Next now leads the team." in page
    assert db.session.get(Team, team.id).leader_id == member.id
    assert client.post(url(cast, f"members/{member.id}/remove")).status_code == 403
    assert "team_leader_changed" in actions()


def test_changes_after_the_deadline_are_refused_in_both_languages(client, cast, login, make):
    member = make.user()
    team = make.team(cast.competition, make.user(), members=[member])
    past_deadline(cast.competition)
    login(team.leader)
    page = client.post(url(cast, f"members/{member.id}/remove"), follow_redirects=True).text
    assert "The team-change deadline has passed" in page
    page = client.post(
        url(cast, f"members/{member.id}/lead"), follow_redirects=True, headers=KO
    ).text
    assert "팀 변경 마감" in page
    assert db.session.get(Team, team.id).member_count == 2
    assert db.session.get(Team, team.id).leader_id != member.id


def test_division_changes_only_when_every_member_answered_its_fields(client, cast, login, make):
    member = make.user(name="Uma Unanswered")
    team = make.team(cast.competition, make.user(), members=[member])
    target = cast.competition.divisions[1]
    with unit_of_work():
        field = participant_fields.add_field(cast.competition, "학번", "Student number", True,
                                             target, cast["organizer"], utcnow())  # fmt: skip
    with unit_of_work():  # the leader answered; the member did not
        participant_fields.save(cast.competition, team.leader, {field.id: "1"}, True, utcnow())
    login(team.leader)
    data = {"division_id": str(target.id)}
    page = client.post(url(cast, "division"), data=data).text
    assert "Uma Unanswered has not answered “Student number”" in page
    assert db.session.get(Team, team.id).division_id != target.id
    with unit_of_work():
        participant_fields.save(cast.competition, member, {field.id: "1"}, True, utcnow())
    page = client.post(url(cast, "division"), data=data, follow_redirects=True).text
    assert "The team is now in the division" in page
    assert db.session.get(Team, team.id).division_id == target.id
    assert "team_division_changed" in actions()


def _merge_pair(cast, make, **limits):
    problem = make.problem(cast.competition, **limits) if limits else cast.problem
    a_member, b_member = make.user(name="Ann A"), make.user(name="Ben B")
    into = make.team(cast.competition, make.user(name="Lea Lead"), name="Into", members=[a_member])
    other = make.team(
        cast.competition, make.user(name="Ole Other"), name="Other", members=[b_member]
    )
    return problem, into, other


def test_teams_merge_after_a_request_and_a_confirmed_acceptance(client, cast, login, make):
    problem, into, other = _merge_pair(cast, make)
    scored(problem, into.members[1], 0.6, 0.6)
    best = scored(problem, other.members[1], 0.9, 0.8)
    with unit_of_work():
        submissions.set_selected(best, other.members[1], True, utcnow())
    login(into.leader)
    page = client.post(
        url(cast, "merge-requests"), data={"team_id": other.id}, follow_redirects=True
    ).text
    assert "The request is sent" in page and "Waiting for Other to answer." in page
    assert Kind.MERGE_REQUESTED in kinds_of(other.leader)
    request = db.session.scalars(sa.select(TeamMergeRequest)).one()
    absorbed = {u.id for u in other.members}

    login(other.leader)
    assert "Into asks your team to merge into it." in client.get(f"/teams/{other.id}").text
    page = client.get(url(cast, f"merge-requests/{request.id}/accept")).text
    assert "Merge your team into Into?" in page and "cannot be undone" in page
    assert "2 members and 1 submission move to Into." in page
    response = client.post(url(cast, f"merge-requests/{request.id}/accept"))
    assert response.location.endswith(f"/teams/{into.id}")

    merged = db.session.get(Team, into.id)
    assert merged.member_count == 4 and len(merged.memberships) == 4
    assert db.session.get(Team, other.id).disbanded
    moved = db.session.get(Submission, best.id)
    assert moved.team_id == into.id and not moved.selected
    board = leaderboard.public_board(problem)
    assert [(row.team, row.score) for row in board if row.team in ("Into", "Other")] == [
        ("Into", 0.9)
    ]
    for person in merged.members:  # both teams' members
        assert Kind.TEAMS_MERGED in kinds_of(person)
    told = db.session.scalars(sa.select(Notification).where(Notification.kind == Kind.TEAMS_MERGED))
    assert {n.user_id for n in told if n.params.get("absorbed")} == absorbed
    login(cast["organizer"])
    audit = client.get(f"/c/{cast.competition.slug}/audit?action=teams_merged").text
    assert "Teams merged" in audit and "Into" in audit


def test_the_merged_team_has_what_both_used_today(client, cast, login, make):
    problem, into, other = _merge_pair(cast, make, daily_limit=2, total_limit=10)
    scored(problem, into.members[1], 0.5, 0.5)
    scored(problem, other.members[1], 0.7, 0.7)
    with unit_of_work():
        request = merges.request_merge(into, other.id, into.leader, utcnow())
    with unit_of_work():
        merges.accept(other, request.id, other.leader, utcnow())
    state = quota.status(problem, db.session.get(Team, into.id), utcnow())
    assert (state.daily_left, state.total_left) == (0, 8)


def test_declining_tells_the_asking_leader(client, cast, login, make):
    _problem, into, other = _merge_pair(cast, make)
    login(into.leader)
    client.post(url(cast, "merge-requests"), data={"team_id": other.id})
    request = db.session.scalars(sa.select(TeamMergeRequest)).one()
    login(other.leader)
    page = client.post(
        url(cast, f"merge-requests/{request.id}/decline"), follow_redirects=True
    ).text
    assert "The merge request is declined." in page
    assert Kind.MERGE_DECLINED in kinds_of(into.leader)
    assert db.session.get(Team, other.id).member_count == 2


def _ask(client, cast, login, into, team_id, **headers) -> str:
    login(into.leader)
    return client.post(url(cast, "merge-requests"), data={"team_id": team_id}, headers=headers).text


def test_a_merge_past_the_team_size_is_refused(client, cast, login, make):
    with unit_of_work():
        competitions.update_competition(cast.competition, max_team_size=3)
    _problem, into, other = _merge_pair(cast, make)
    page = _ask(client, cast, login, into, other.id)
    assert "Together the teams would have 4 members; a team may have at most 3." in page
    assert "팀원이 4명" in _ask(client, cast, login, into, other.id, **KO)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMergeRequest)) == 0


def test_a_merge_with_more_submissions_than_one_team_could_make_is_refused(
    client, cast, login, make
):
    problem, into, other = _merge_pair(cast, make, daily_limit=1, total_limit=10)
    scored(problem, into.members[1], 0.5, 0.5)
    scored(problem, other.members[1], 0.5, 0.5)
    page = _ask(client, cast, login, into, other.id)
    assert (
        f"Together the teams made 2 submissions to {problem.title}; one team could have made "
        "at most 1 by today." in page
    )


def test_a_merge_across_divisions_is_refused(client, cast, login, make):
    into = make.team(cast.competition, make.user(), name="Grads")
    other = make.team(cast.competition, make.user(), name="Undergrads", division=1)
    assert "Teams in different divisions cannot merge." in _ask(client, cast, login, into, other.id)


def test_a_merge_after_the_deadline_is_refused(client, cast, login, make):
    _problem, into, other = _merge_pair(cast, make)
    login(into.leader)
    client.post(url(cast, "merge-requests"), data={"team_id": other.id})
    request = db.session.scalars(sa.select(TeamMergeRequest)).one()
    past_deadline(cast.competition)
    login(other.leader)
    page = client.post(url(cast, f"merge-requests/{request.id}/accept"), follow_redirects=True).text
    assert "The team-change deadline has passed" in page
    assert not db.session.get(Team, other.id).disbanded


def test_another_competitions_team_cannot_be_named(client, cast, login, make):
    elsewhere = make.competition()
    stranger = make.team(elsewhere, make.user(), name="Stranger")
    into = make.team(cast.competition, make.user(), name="Home")
    assert "No such team in this competition." in _ask(client, cast, login, into, stranger.id)
    assert db.session.get(Team, stranger.id).member_count == 1


def test_only_the_asked_teams_leader_answers(client, cast, login, make):
    _problem, into, other = _merge_pair(cast, make)
    login(into.leader)
    client.post(url(cast, "merge-requests"), data={"team_id": other.id})
    request = db.session.scalars(sa.select(TeamMergeRequest)).one()
    # The asking leader cannot accept on the other team's behalf: not their team's request.
    page = client.post(url(cast, f"merge-requests/{request.id}/accept"), follow_redirects=True).text
    assert "No such pending merge request for your team." in page
    login(other.members[1])
    assert client.post(url(cast, f"merge-requests/{request.id}/accept")).status_code == 403
    assert not db.session.get(Team, other.id).disbanded
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)
                             .where(Membership.team_id == into.id)) == 2  # fmt: skip
