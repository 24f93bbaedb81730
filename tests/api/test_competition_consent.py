"""Through the API: accepting the rules with a competition's consent terms and fields, and a
403 naming the new version until it is accepted."""

from __future__ import annotations

import io

from judge.competitions import consent, participant_fields
from judge.core.db import unit_of_work, utcnow


def publish(competition, text_en):
    with unit_of_work():
        consent.publish(competition, "약관", text_en, competition.roles[0].user, utcnow())


def test_rules_with_consent_and_fields_then_a_new_version_answers_403(api, make):
    competition = make.competition()
    problem = make.problem(competition, daily_limit=None)
    publish(competition, "Terms 1")
    with unit_of_work():
        field = participant_fields.add_field(competition, "학교", "School", True, None,
                                             competition.roles[0].user, utcnow())  # fmt: skip
    leader = make.user()
    path = f"/competitions/{competition.slug}/rules/accept"
    refused = api.post(path, as_=leader, json={"consent_version": 1})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "Please fill in “School”."
    body = {"consent_version": 1, "answers": {str(field.id): "KAIST"}, "confirm": True}
    accepted = api.post(path, as_=leader, json=body)
    assert accepted.status_code == 200 and accepted.get_json()["consent_version"] == 1
    make.team(competition, leader)
    publish(competition, "Terms 2")
    download = api.get(f"/problems/{problem.id}/files/{problem.files[0].id}", as_=leader)
    assert download.status_code == 403
    assert "consent terms changed (version 2)" in download.get_json()["error"]["message"]
    data = {"file": (io.BytesIO(b"id,label\n1,0\n"), "pred.csv")}
    upload = api.post(f"/problems/{problem.id}/submissions", as_=leader, data=data)
    assert upload.status_code == 403
    assert f"/c/{competition.slug}#rules" in upload.get_json()["error"]["message"]
    assert api.post(path, as_=leader, json={"consent_version": 2}).status_code == 200
    assert (
        api.get(f"/problems/{problem.id}/files/{problem.files[0].id}", as_=leader).status_code
        == 200
    )
