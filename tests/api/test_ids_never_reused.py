"""An id, once issued, names one row forever: deleting the newest row frees nothing.

SQLite without AUTOINCREMENT hands out max(id)+1, so after the newest team or file is
deleted the next one gets its id: old URLs, bookmarks, audit entries and queued tasks
that name it then point at someone else's row. PostgreSQL's sequences never go back.
"""

from __future__ import annotations

import io


def create_team(api, competition, user, name):
    api.post(f"/competitions/{competition.slug}/rules/accept", as_=user)
    body = {"name": name, "division_id": competition.divisions[0].id}
    response = api.post(f"/competitions/{competition.slug}/teams", as_=user, json=body)
    assert response.status_code == 201, response.text
    return response.json


def test_a_deleted_teams_id_never_names_another_team(api, make):
    competition = make.competition()
    first, second = make.user(), make.user()
    gone = create_team(api, competition, first, "사라진팀")
    assert api.delete(f"/teams/{gone['id']}/members/me", as_=first).status_code == 204
    new = create_team(api, competition, second, "새로운팀")
    assert new["id"] > gone["id"]
    assert "새로운팀" not in api.get(f"/teams/{gone['id']}").text


def test_a_removed_files_id_never_serves_another_file(api, make):
    organizer = make.user()
    competition = make.competition(organizer)
    problem = make.problem(competition)
    files = f"/problems/{problem.id}/files"

    def upload(content: bytes, name: str) -> int:
        data = {"file": (io.BytesIO(content), name), "description": name}
        response = api.post(files, as_=organizer, data=data)
        assert response.status_code == 201, response.text
        return response.json["id"]

    old = upload(b"id,x\n1,old\n", "old.csv")
    assert api.delete(f"{files}/{old}", as_=organizer).status_code == 204
    new = upload(b"id,x\n1,new\n", "new.csv")
    assert new > old
    assert api.get(f"{files}/{old}", as_=organizer).status_code == 404
