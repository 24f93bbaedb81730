def test_factories_build_a_competition(make):
    competition = make.competition()
    problem = make.problem(competition)
    team = make.team(competition, members=[make.user()])
    assert problem.solution.rows == 40
    assert problem.solution.public_rows + problem.solution.private_rows == 40
    assert team.member_count == 2
