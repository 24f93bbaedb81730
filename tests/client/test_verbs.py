"""The kaggle-like verbs: problems by slugs, listings, downloads that resume, finals, quota."""

import json

from judge.client.browse import competitions, download, files, problems
from judge.client.commands import leaderboard, submissions, submit
from judge.client.finals import final, quota
from judge.client.output import width
from tests.submissions.helpers import scored


def ref(scene) -> str:
    return f"{scene.competition.slug}/{scene.problem.slug}"


def test_competitions_list_shows_slugs_and_titles(run, scene):
    result = run(competitions, "list")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split()[:2] == ["Slug", "Title"]
    assert scene.competition.slug in result.output
    assert scene.competition.title in result.output


def test_problems_list_names_each_problem_as_competition_slash_problem(run, scene):
    result = run(problems, "list", scene.competition.slug, "--json")
    assert result.exit_code == 0, result.output
    assert [(p["id"], p["slug"]) for p in json.loads(result.output)] == [
        (scene.problem.id, scene.problem.slug)
    ]
    table = run(problems, "list", scene.competition.slug).output
    assert ref(scene) in table


def test_problems_show_by_slug_prints_the_command_to_submit(run, scene):
    result = run(problems, "show", ref(scene))
    assert result.exit_code == 0, result.output
    assert f"id {scene.problem.id}" in result.output
    assert f"judge submit {ref(scene)} predictions.csv" in result.output


def test_an_unknown_slug_says_which_and_how_to_list(run, scene):
    result = run(problems, "show", f"{scene.competition.slug}/no-such-problem")
    assert result.exit_code == 1
    assert "has no problem 'no-such-problem'" in result.output
    assert f"judge problems list {scene.competition.slug}" in result.output


def test_a_ref_that_is_neither_slugs_nor_id_is_a_usage_error(run, scene):
    result = run(problems, "show", "breast-cancer-diagnosis")
    assert result.exit_code == 2
    assert "give COMPETITION/PROBLEM (slugs) or the problem's id" in result.output


def test_submit_and_submissions_by_slug(run, scene, predictions):
    result = run(submit, ref(scene), predictions, "-m", "slug", token=scene.token)
    assert result.exit_code == 0, result.output
    listed = run(submissions, ref(scene), "--json", token=scene.token)
    assert [s["description"] for s in json.loads(listed.output)] == ["slug"]


def test_files_and_download_save_every_file(run, scene, tmp_path):
    assert "train.csv" in run(files, ref(scene)).output
    folder = tmp_path / "data"
    result = run(download, ref(scene), "--path", folder, token=scene.token)
    assert result.exit_code == 0, result.output
    assert (folder / "train.csv").read_bytes() == b"id,x,label\n1,0.5,1\n"
    again = run(download, ref(scene), "--path", folder, token=scene.token)
    assert "already downloaded" in again.output


def test_an_interrupted_download_resumes_with_a_range_request(run, scene, tmp_path):
    (tmp_path / "train.csv.part").write_bytes(b"id,x,")  # as if cut off after 5 bytes
    result = run(download, ref(scene), "-p", tmp_path, "-f", "train.csv", token=scene.token)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "train.csv").read_bytes() == b"id,x,label\n1,0.5,1\n"
    assert not (tmp_path / "train.csv.part").exists()


def test_the_download_endpoint_answers_a_range_with_206(client, scene):
    response = client.get(
        f"/api/v1/problems/{scene.problem.id}/files/{scene.problem.files[0].id}",
        headers={"Authorization": f"Bearer {scene.token}", "Range": "bytes=5-"},
    )
    assert response.status_code == 206
    assert response.data == b"label\n1,0.5,1\n"


def test_download_of_a_file_the_problem_lacks_is_refused(run, scene, tmp_path):
    result = run(download, ref(scene), "-p", tmp_path, "-f", "test.csv", token=scene.token)
    assert result.exit_code == 2
    assert "The problem has no file test.csv." in result.output


def test_final_select_and_unselect(run, scene):
    submission = scored(scene.problem, scene.leader, 0.75, 0.9)
    chosen = run(final, "select", submission.id, token=scene.token)
    assert chosen.exit_code == 0, chosen.output
    assert f"Submission {submission.id} is now one of your team's finals." in chosen.output
    listed = json.loads(run(submissions, ref(scene), "--json", token=scene.token).output)
    assert listed[0]["selected"] is True
    dropped = run(final, "unselect", submission.id, "--json", token=scene.token)
    assert json.loads(dropped.output)["selected"] is False


def test_quota_by_slug(run, scene):
    result = run(quota, ref(scene), token=scene.token)
    assert result.exit_code == 0, result.output
    assert "Submissions left today: 5." in result.output
    assert "The daily count resets at" in result.output


def test_leaderboard_by_slug_aligns_korean_team_names(run, scene, make):
    beta = make.team(scene.competition, division=1, name="베타팀")
    scored(scene.problem, scene.leader, 0.75, 0.9)
    scored(scene.problem, beta.leader, 0.875, 0.5)
    result = run(leaderboard, ref(scene))
    assert result.exit_code == 0, result.output
    header, _rule, *rows = result.output.splitlines()[2:]
    ends = [width(line[: line.index(word) + len(word)]) for line, word in
            zip([header, *rows], ["Score", "0.87500", "0.75000"], strict=True)]  # fmt: skip
    assert len(set(ends)) == 1  # the scores end under the header's "score" on every row


def test_messages_follow_lang_or_the_locale(run, scene):
    korean = run(quota, ref(scene), "--lang", "ko", token=scene.token)
    assert "오늘 남은 제출: 5회" in korean.output
    locale = {"LANGUAGE": None, "LC_ALL": "C.UTF-8", "LC_MESSAGES": None, "LANG": "ko_KR.UTF-8"}
    from_locale = run(quota, ref(scene), token=scene.token, env=locale)
    assert "오늘 남은 제출: 5회" in from_locale.output
    refused = run(quota, ref(scene), "--lang", "ko")  # no token: the client's own message
    assert "API 토큰이 없습니다" in refused.output


def test_the_servers_refusal_comes_in_the_clients_language(run, scene, make):
    outsider = make.token(make.user())
    english = run(quota, ref(scene), "--lang", "en", token=outsider)
    korean = run(quota, ref(scene), "--lang", "ko", token=outsider)
    assert english.exit_code == korean.exit_code == 1
    assert english.output != korean.output
    assert any("\uac00" <= char <= "\ud7a3" for char in korean.output)


def test_the_problem_page_shows_its_slugs_id_and_the_command(client, scene):
    html = client.get(f"/c/{scene.competition.slug}/p/{scene.problem.slug}").get_data(as_text=True)
    assert f'value="judge submit {ref(scene)} predictions.csv"' in html
    assert f"id {scene.problem.id}" in html
