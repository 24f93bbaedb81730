"""Last year's challenge, in stage two: submissions closed, the rubric and the awards set.

Each team's final predictions are real uploads, queued for the worker as they would have
been before the deadline; once the worker has scored them, the organizer can walk the
finals: shortlist, the judges' scores, finalize, and the published results page.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from judge.accounts.models import User
from judge.competitions import services as competitions
from judge.competitions import states
from judge.competitions.models import Competition, Role
from judge.core import storage
from judge.demo import content
from judge.demo.builder import PROGRAMS, add_divisions, add_problem, add_team, local_day
from judge.demo.history import noisy_upload
from judge.finals import judging, results, services
from judge.problems.models import Problem
from judge.submissions import services as submissions
from judge.submissions.models import Submission

SLUG = "ai-innovation-2025"
TITLE = "2025 AI 혁신 챌린지 (본선) / 2025 AI Innovation Challenge (finals)"
DESCRIPTION = """\
지난해 대회입니다. 제출이 마감되어 본선(코드 검증, 전문가 심사, 시상)이 진행 중입니다.
운영자로 로그인해 **본선** 화면에서 본선 진출팀을 선정하고, 심사위원으로 채점한 뒤
결과를 확정해 보세요.

Last year's challenge: submissions are closed and the finals (code verification, expert
judging, awards) are under way. Log in as the organizer to shortlist the finalists on the
**Finals** page, score them as the judges, then finalize the results.
"""
RUBRIC = (("기술성 / Technical merit", 50), ("창의성 / Creativity", 30),
          ("실용성 / Practicality", 20))  # fmt: skip
# (division, Korean name, English name, teams, prize money in KRW, awarding body)
TIERS = (
    (content.GRADUATE, "대상", "Grand Prize", 1, 10_000_000, "과학기술정보통신부 장관상"),
    (content.UNDERGRADUATE, "대상", "Grand Prize", 1, 5_000_000, "과학기술정보통신부 장관상"),
    (content.UNDERGRADUATE, "최우수상", "Excellence Award", 1, 3_000_000,
     "정보통신산업진흥원장상"),
)  # fmt: skip
# How far each team's predicted probabilities stray from the truth (smaller is better).
NOISE = {"KAIST Vision": 0.55, "딥러닝연구회": 0.35, "데이터새싹": 0.75}
# Each team's line in BMI for the code problem (the starter code's is 10.2, -117.8).
LINES = {"KAIST Vision": (10.2, -117.8), "딥러닝연구회": (9.0, -88.0), "데이터새싹": (12.5, -175.0)}


def load(users: dict[str, User], now: datetime) -> list[Submission]:
    """The competition, its problem and teams, and one queued submission per team."""
    competition = competitions.create_competition(
        slug=SLUG, title=TITLE, actor=users["admin"], description=DESCRIPTION,
        rules=content.RULES, timezone=content.TIMEZONE, max_team_size=content.MAX_TEAM_SIZE,
        registration_opens_at=local_day(now, -90, 10),
        registration_closes_at=local_day(now, -40, 18),
        team_change_deadline=local_day(now, -40, 18),
        submissions_open_at=local_day(now, -60, 10),
        submissions_close_at=local_day(now, -3, 18),
    )  # fmt: skip
    states.publish(competition, users["admin"])
    add_divisions(competition)
    for key in ("organizer", "judge", "judge2", "judge3"):
        role = Role.ORGANIZER if key == "organizer" else Role.JUDGE
        competitions.assign_role(competition, users[key].email, role, users["admin"])
    sponsor = competitions.add_sponsor(competition, "한빛의료AI", "https://hanbit-ai.example")
    competitions.add_sponsor_member(sponsor, users["sponsor1"].email, users["admin"])
    insurer = competitions.add_sponsor(competition, "누리생명", "https://nuri-life.example")
    competitions.add_sponsor_member(insurer, users["sponsor3"].email, users["admin"])
    before_close = local_day(now, -5, 15)
    problem = add_problem(competition, sponsor, content.BREAST_CANCER, users["organizer"],
                          before_close)  # fmt: skip
    code_problem = add_problem(competition, insurer, content.DIABETES, users["organizer"],
                               before_close)  # fmt: skip
    for spec in content.TEAMS:
        add_team(competition, spec, users, local_day(now, -50, 10))
    _set_up_finals(competition, problem, users["organizer"])
    results.add_tier(code_problem, competition.divisions[0].id, {
        "name_ko": "우수상", "name_en": "Merit Award", "teams": 1, "amount": 2_000_000,
        "currency": "KRW", "awarding_body": "누리생명 대표이사상"})  # fmt: skip
    leaders = [(users[spec.members[0]], spec.name) for spec in content.TEAMS]
    return [_final_upload(problem, leader, team, before_close) for leader, team in leaders] + [
        _final_code(code_problem, leader, team, before_close) for leader, team in leaders
    ]


def _set_up_finals(competition: Competition, problem: Problem, organizer: User) -> None:
    services.update_settings(competition, organizer, {
        "finalists_per_division": 2, "quantitative_weight": 0.2, "formula": "ratio",
        "exponent": 1.0, "aggregation": "mean"})  # fmt: skip
    for name, weight in RUBRIC:
        judging.add_criterion(competition, name, weight, 10)
    divisions = {d.name: d.id for d in competition.divisions}
    for division, name_ko, name_en, teams, amount, body in TIERS:
        results.add_tier(problem, divisions[division], {
            "name_ko": name_ko, "name_en": name_en, "teams": teams, "amount": amount,
            "currency": "KRW", "awarding_body": body})  # fmt: skip


def _final_code(problem: Problem, leader: User, team: str, when: datetime) -> Submission:
    """The starter code with the team's own line in BMI, zipped as the team would."""
    folder = PROGRAMS / content.DIABETES.starter_code
    slope, intercept = LINES[team]
    code = (
        (folder / "predict.py")
        .read_text()
        .replace("SLOPE, INTERCEPT = 10.2, -117.8", f"SLOPE, INTERCEPT = {slope}, {intercept}")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("predict.py", code)
        archive.write(folder / "metadata.yaml", "metadata.yaml")
    data = buffer.getvalue()
    with storage.staged(io.BytesIO(data), len(data) + 1, "upload") as upload:
        return submissions.submit(problem, leader, upload, "final_code.zip", "", when)


def _final_upload(problem: Problem, leader: User, team: str, when: datetime) -> Submission:
    return noisy_upload(problem, leader, NOISE[team], sum(map(ord, team)), "final.csv", when)
