"""A metric's settings and its sample submission on the problem pages, and the settings field
of the new-problem form."""

from __future__ import annotations

from judge.problems.models import Problem
from tests.web.test_problem_pages import base, post_problem

FORECAST = "id,y\n" + "".join(f"{i},{10 + i % 7}\n" for i in range(1, 41))


def test_the_problem_page_shows_the_settings_and_a_sample_file(client, make):
    competition = make.competition()
    make.problem(competition, slug="demand", metric="pinball", solution=FORECAST,
                 prediction_columns=["q10", "q50", "q90"],
                 metric_options={"quantiles": ["0.1", "0.5", "0.9"]})  # fmt: skip
    page = client.get(f"/c/{competition.slug}/p/demand").text
    assert "Pinball loss" in page and "lower is better" in page
    assert "<code>quantiles=0.1 0.5 0.9</code>" in page
    assert "<pre>id,q10,q50,q90\nid_1,10.1,12.1,14.1\n" in page


def test_a_korean_reader_sees_the_sample_file_heading_in_korean(client, make):
    competition = make.competition()
    make.problem(competition, slug="sales", metric="smape", solution=FORECAST)
    page = client.get(f"/c/{competition.slug}/p/sales", headers={"Accept-Language": "ko"}).text
    assert "예시 파일" in page and "<pre>id,y\nid_1,12.5\n" in page


def test_the_new_problem_form_takes_the_metric_settings(client, cast, as_role):
    as_role("organizer")
    solution = FORECAST.encode()
    response = post_problem(client, cast, solution=solution, metric="mase",
                            metric_options="season=7")  # fmt: skip
    assert response.status_code == 302, response.text
    assert Problem.query.filter_by(slug="new-task").one().metric_options == {"season": 7}


def test_a_bad_setting_is_shown_beside_the_field(client, cast, as_role):
    as_role("organizer")
    response = post_problem(client, cast, solution=FORECAST.encode(), metric="mase",
                            metric_options="season=-1")  # fmt: skip
    assert "must be a whole number of at least 1" in response.text
    assert Problem.query.filter_by(slug="new-task").one_or_none() is None
    assert client.get(f"{base(cast)}/p/new-task").status_code == 404


def test_a_ranked_list_problem_shows_its_k_and_a_sample_list(client, make):
    competition = make.competition()
    solution = "id,items\n" + "".join(f"u{i},i{i} i{i + 1}\n" for i in range(1, 41))
    make.problem(competition, slug="recs", metric="map_at_k", solution=solution,
                 metric_options={"k": "12"})  # fmt: skip
    page = client.get(f"/c/{competition.slug}/p/recs").text
    assert "MAP@K (ranked lists)" in page and "<code>k=12</code>" in page
    assert "<pre>id,items\nid_1,item_17 item_3 item_42\n" in page


def test_a_multilabel_problem_shows_a_sample_of_labels_or_of_zero_one_columns(client, make):
    competition = make.competition()
    labels = "id,tags\n" + "".join(f"u{i},rain{' wind' * (i % 2)}\n" for i in range(1, 41))
    make.problem(competition, slug="tags", metric="f1_samples", solution=labels)
    page = client.get(f"/c/{competition.slug}/p/tags").text
    assert "F1 (samples, multi-label)" in page
    assert "<pre>id,tags\nid_1,rain wind\nid_2,\nid_3,snow\n</pre>" in page
    columns = "id,rain,wind,snow\n" + "".join(f"u{i},{i % 2},1,0\n" for i in range(1, 41))
    make.problem(competition, slug="weather", metric="hamming_loss", solution=columns,
                 prediction_columns=["rain", "wind", "snow"])  # fmt: skip
    page = client.get(f"/c/{competition.slug}/p/weather").text
    assert "Hamming loss (multi-label)" in page and "lower is better" in page
    assert "<pre>id,rain,wind,snow\nid_1,1,0,1\nid_2,0,1,0\nid_3,1,0,1\n</pre>" in page
