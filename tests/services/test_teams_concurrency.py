"""Concurrent joins can never pass the team size (the seat is taken by one guarded UPDATE)."""

import threading

from judge.core.db import unit_of_work, utcnow
from judge.core.errors import DomainError
from judge.core.extensions import db
from judge.teams import services as teams
from judge.teams.models import Membership, Team


def test_parallel_joins_fill_exactly_the_free_seats(app, make):
    competition = make.competition(max_team_size=4)
    team = make.team(competition)
    joiners = [make.user() for _ in range(12)]
    for user in joiners:
        make.accept_rules(competition, user)
    ids = (competition.id, team.invite_code, [u.id for u in joiners])
    outcomes: list[str] = []
    barrier = threading.Barrier(len(joiners))

    def join(user_id: int) -> None:
        with app.app_context():
            from judge.accounts.models import User
            from judge.competitions.models import Competition

            user = db.session.get(User, user_id)
            comp = db.session.get(Competition, ids[0])
            barrier.wait()
            try:
                with unit_of_work():
                    teams.join_team(comp, ids[1], user, utcnow())
                outcomes.append("joined")
            except DomainError as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=join, args=(uid,)) for uid in ids[2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("joined") == 3
    assert outcomes.count("conflict") == 9
    db.session.expire_all()
    assert db.session.get(Team, team.id).member_count == 4
    assert db.session.query(Membership).filter_by(team_id=team.id).count() == 4
