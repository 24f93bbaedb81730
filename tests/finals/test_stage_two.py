"""Stage two's rules through the services: shortlist, conflicts, independence, final ranking,
disqualification, reproduction, awards, finalize and reopen, and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from judge.audit import log as audit
from judge.core.db import unit_of_work, utcnow
from judge.core.errors import Conflict, Forbidden, Invalid
from judge.finals import judging, results, services
from judge.finals.models import Reproduction
from tests.finals.conftest import (
    give,
    judge_everyone,
    minister_award,
    rubric,
    shortlisted,
)

SAME = {"알파": [7, 7, 7], "베타": [9, 9, 9], "감마": [5, 5, 5], "엡실론": [8, 8, 8]}


def names(finalists) -> list[str]:
    return [f.team.name for f in finalists]


def test_shortlist_waits_for_the_close_of_submissions(stage):
    with unit_of_work():
        stage.problem.closes_at = utcnow() + timedelta(hours=1)
    with pytest.raises(Conflict, match="after submissions close"), unit_of_work():
        services.shortlist(stage.problem, stage.organizer, utcnow())


def test_shortlist_takes_the_top_n_of_each_division_from_the_private_board(stage):
    chosen = shortlisted(stage, per_division=3)
    assert names(chosen) == ["알파", "베타", "감마", "엡실론", "제타"]
    assert [f.private_rank for f in chosen] == [1, 2, 3, 1, 2]
    assert [e.action for e in audit.entries(stage.competition.id)][:2] == [
        "shortlisted", "settings_changed"]  # fmt: skip


def test_a_judge_cannot_score_a_team_of_the_same_affiliation(stage):
    alpha = shortlisted(stage)[0]
    criteria = rubric(stage)
    kaist = stage.judges["kaist"]  # " kaist " matches the leader's "KAIST"
    assert judging.conflicted(kaist, alpha)
    with pytest.raises(Forbidden), unit_of_work():
        judging.save_scores(kaist, alpha, {criteria[0].id: 5}, utcnow())
    assert judging.points_of(alpha, kaist.id) == {}
    assert kaist not in judging.missing(stage.competition)[alpha.id]  # not waited for either


def test_judges_see_each_others_scores_only_after_their_own(stage):
    beta = shortlisted(stage)[1]
    criteria = rubric(stage)
    give(stage, "snu", beta, [10, 10, 10], criteria)
    postech = stage.judges["postech"]
    assert judging.judge_view(postech, beta).others is None
    give(stage, "postech", beta, [5, 5], criteria[:2])  # not complete yet
    assert judging.judge_view(postech, beta).others is None
    give(stage, "postech", beta, [5], criteria[2:])
    assert judging.judge_view(postech, beta).others == [pytest.approx(100)]


def test_points_out_of_range_are_refused_with_the_criterion_named(stage):
    beta = shortlisted(stage)[1]
    criteria = rubric(stage)
    with pytest.raises(Invalid, match="기술성: give 0 to 10 points"), unit_of_work():
        judging.save_scores(stage.judges["snu"], beta, {criteria[0].id: 11}, utcnow())


def test_a_changed_score_is_audited_with_before_and_after(stage):
    beta = shortlisted(stage)[1]
    criteria = rubric(stage)
    give(stage, "snu", beta, [6, 6, 6], criteria)
    give(stage, "snu", beta, [8, 6, 6], criteria)
    entry = audit.entries(stage.competition.id, "judge_score_changed")[0]
    assert entry.before == {"기술성": 6} and entry.after == {"기술성": 8}
    assert entry.actor_id == stage.judges["snu"].id


def test_the_final_ranking_blends_private_score_and_rubric(stage):
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    judge_everyone(stage, finalists, criteria, lambda name: SAME.get(name, [6, 6, 6]))
    graduate = results.compute(stage.problem)[stage.competition.divisions[0].id]
    # rank part: 알파 100, 베타 50, 감마 0; rubric: 70, 90, 50 → 76, 82, 40
    assert [(line.finalist.team.name, line.standing.rank) for line in graduate] == [
        ("베타", 1), ("알파", 2), ("감마", 3)]  # fmt: skip
    assert graduate[0].standing.final == pytest.approx(0.2 * 50 + 0.8 * 90)


def test_finalizing_waits_for_every_judge(stage):
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    give(stage, "snu", finalists[0], [5, 5, 5], criteria)
    with pytest.raises(Conflict, match="no final score yet"), unit_of_work():
        results.finalize(stage.competition, stage.organizer, utcnow(), reveal=True)
    assert stage.judges["postech"] in judging.missing(stage.competition)[finalists[1].id]


def test_disqualifying_moves_the_others_up_and_hands_on_the_award(stage):
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    judge_everyone(stage, finalists, criteria, lambda name: SAME.get(name, [6, 6, 6]))
    first, second = minister_award(stage)
    with unit_of_work():
        services.disqualify(finalists[1], stage.organizer, "표절이 확인됨", utcnow())
    graduate = results.compute(stage.problem)[stage.competition.divisions[0].id]
    ranked = [(line.finalist.team.name, line.standing and line.standing.rank, line.tier)
              for line in graduate]  # fmt: skip
    assert ranked == [("알파", 1, first), ("감마", 2, second), ("베타", None, None)]
    with pytest.raises(Invalid), unit_of_work():
        services.disqualify(finalists[2], stage.organizer, "  ", utcnow())


def test_a_failed_reproduction_keeps_a_team_from_awards_until_overridden(stage):
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    judge_everyone(stage, finalists, criteria, lambda name: SAME.get(name, [6, 6, 6]))
    first, _ = minister_award(stage)
    beta = finalists[1]
    with unit_of_work():
        beta.reproduction = Reproduction.FAILED
        beta.reproduction_note = "private score 0.74 against 0.88 on the leaderboard"
    graduate = results.compute(stage.problem)[stage.competition.divisions[0].id]
    assert graduate[0].finalist.team.name == "알파" and graduate[0].tier == first
    with pytest.raises(Invalid), unit_of_work():
        services.override_reproduction(beta, stage.organizer, "")
    with unit_of_work():
        services.override_reproduction(beta, stage.organizer, "심사위원회 재현 확인")
    graduate = results.compute(stage.problem)[stage.competition.divisions[0].id]
    assert graduate[0].finalist.team.name == "베타" and graduate[0].tier == first


def test_finalize_locks_everything_and_reopen_is_logged(stage):
    finalists = shortlisted(stage)
    criteria = rubric(stage)
    judge_everyone(stage, finalists, criteria, lambda name: SAME.get(name, [6, 6, 6]))
    minister_award(stage)
    with unit_of_work():
        written = results.finalize(stage.competition, stage.organizer, utcnow(), reveal=True)
    assert written == 5
    published = results.published(stage.competition)
    assert [(e.finalist.team.name, e.rank) for e in published][:3] == [
        ("베타", 1), ("알파", 2), ("감마", 3)]  # fmt: skip
    for change in (
        lambda: give(stage, "snu", finalists[0], [1, 1, 1], criteria),
        lambda: services.disqualify(finalists[0], stage.organizer, "x", utcnow()),
        lambda: services.shortlist(stage.problem, stage.organizer, utcnow()),
        lambda: judging.add_criterion(stage.competition, "발표", 10, 10),
    ):
        with pytest.raises(Conflict, match="finalized"), unit_of_work():
            change()
    with pytest.raises(Invalid), unit_of_work():
        results.reopen(stage.competition, stage.organizer, "")
    with unit_of_work():
        results.reopen(stage.competition, stage.organizer, "심사 점수 입력 오류 정정")
    assert results.published(stage.competition) is None
    actions = [e.action for e in audit.entries(stage.competition.id)]
    assert actions[:2] == ["results_reopened", "results_finalized"]
