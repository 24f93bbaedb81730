"""A judge cannot clear a conflict of interest by editing their own affiliation once a
shortlist exists (an attacker's review found the hole)."""

from __future__ import annotations

from judge.core.extensions import db
from judge.finals import judging
from tests.finals.conftest import rubric, shortlisted


def test_a_judge_cannot_clear_a_conflict_by_editing_the_affiliation(client, login, stage):
    finalists = {f.team.name: f for f in shortlisted(stage)}
    criteria = rubric(stage)
    judge, alpha = stage.judges["kaist"], finalists["알파"]
    assert judging.conflicted(judge, alpha)
    login(judge)
    profile = {"name": judge.name, "affiliation": "Independent", "locale": ""}
    refused = client.post("/account", data=profile)
    client.post(f"/c/{stage.competition.slug}/judging",
                data={f"p-{alpha.id}-{c.id}": "10" for c in criteria})  # fmt: skip
    db.session.expire_all()
    assert judging.points_of(alpha, judge.id) == {}
    assert "Your affiliation can no longer be changed" in refused.text
