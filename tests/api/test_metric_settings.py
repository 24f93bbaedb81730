"""A problem's metric settings (K, season, quantiles): set on creation or by PATCH, checked
against the metric with a message naming the setting, and kept only while the metric takes
them."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from judge.core.extensions import db
from judge.problems.models import Problem
from judge.scoring import metrics
from tests.api.test_problems import create

FORECAST = "id,y\n" + "".join(f"r{i},{10 + i % 7}\n" for i in range(60))


@pytest.fixture
def setup(make):
    organizer = make.user()
    return organizer, make.competition(organizer)


def test_pinball_takes_its_quantiles_and_one_prediction_column_each(api, setup):
    organizer, competition = setup
    response = create(api, organizer, competition, solution=FORECAST, metric="pinball",
                      metric_options="quantiles=0.1 0.5 0.9",
                      prediction_columns="q10,q50,q90")  # fmt: skip
    assert response.status_code == 201, response.json
    body = response.json
    assert body["metric_options"] == {"quantiles": [0.1, 0.5, 0.9]}
    assert body["prediction_columns"] == ["q10", "q50", "q90"]
    assert body["higher_is_better"] is False


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"metric": "pinball", "prediction_columns": "q10,q90"}, "needs the setting “quantiles”"),
        ({"metric": "pinball", "metric_options": "quantiles=0.5 1.5"}, "between 0 and 1"),
        ({"metric": "pinball", "metric_options": "quantiles=0.5",
          "prediction_columns": "q10,q90"}, "(1 quantiles), but there are 2 prediction columns"),
        ({"metric": "mase", "metric_options": "season=0"}, "at least 1"),
        ({"metric": "mase", "metric_options": "k=10"}, "mase takes no setting “k”"),
        ({"metric": "rmse", "metric_options": "season=7"}, "It takes: none"),
        ({"metric": "mase", "metric_options": "season 7"}, "name=value"),
    ],
)  # fmt: skip
def test_bad_settings_are_refused_by_name_and_nothing_is_created(api, setup, fields, needle):
    organizer, competition = setup
    response = create(api, organizer, competition, solution=FORECAST, **fields)
    assert response.status_code == 422, response.json
    assert needle in str(response.json["error"])
    assert db.session.query(Problem).count() == 0


def test_settings_change_by_patch_and_go_when_the_metric_no_longer_takes_them(api, setup):
    organizer, competition = setup
    created = create(api, organizer, competition, solution=FORECAST, metric="mase",
                     metric_options="season=7").json  # fmt: skip
    assert created["metric_options"] == {"season": 7}
    path = f"/problems/{created['id']}"
    changed = api.patch(path, as_=organizer, json={"metric_options": {"season": 3}})
    assert changed.status_code == 200, changed.json
    assert changed.json["metric_options"] == {"season": 3}
    refused = api.patch(path, as_=organizer, json={"metric_options": {"season": "weekly"}})
    assert refused.status_code == 422
    assert refused.json["error"]["field"] == "metric_options"
    other = api.patch(path, as_=organizer, json={"metric": "wmape"})
    assert other.json["metric_options"] is None
    assert db.session.get(Problem, created["id"]).metric_options is None


def test_a_settings_message_is_in_korean_for_a_korean_reader(app):
    with app.test_request_context(), force_locale("ko"):
        with pytest.raises(ValueError, match="1 이상"):
            metrics.check_options(metrics.get("mase"), {"season": "0"})
        with pytest.raises(ValueError, match="quantiles"):
            metrics.check_options(metrics.get("pinball"), {})


def test_a_ranked_list_problem_takes_k(api, setup):
    organizer, competition = setup
    solution = "id,items\n" + "".join(f"u{i},i{i} i{i + 1}\n" for i in range(40))
    response = create(api, organizer, competition, solution=solution, metric="ndcg_at_k",
                      metric_options="k=5")  # fmt: skip
    assert response.status_code == 201, response.json
    assert response.json["metric_options"] == {"k": 5}
    assert response.json["higher_is_better"] is True


def test_a_mask_problem_takes_its_image_size_and_empty_rule(api, setup):
    organizer, competition = setup
    solution = "id,mask\n" + "".join(f"img{i},{i % 5 + 1} 3\n" for i in range(40))
    response = create(api, organizer, competition, solution=solution, metric="dice_rle",
                      metric_options="height=4; width=3; empty=skip")  # fmt: skip
    assert response.status_code == 201, response.json
    assert response.json["metric_options"] == {"height": 4, "width": 3, "empty": "skip"}
    refused = api.patch(
        f"/problems/{response.json['id']}",
        as_=organizer,
        json={"metric_options": {"height": 4, "width": 3, "empty": "maybe"}},
    )
    assert refused.status_code == 422
    assert "must be one or skip" in refused.json["error"]["message"]
    missing = api.patch(
        f"/problems/{response.json['id']}", as_=organizer, json={"metric_options": {"height": 4}}
    )
    assert "needs the setting “width”" in missing.json["error"]["message"]


def test_a_miou_problem_takes_a_mask_column_per_class_and_the_image_size(api, setup):
    organizer, competition = setup
    solution = "id,road,sky\n" + "".join(f"img{i},{i % 5 + 1} 3,\n" for i in range(40))
    response = create(api, organizer, competition, solution=solution, metric="miou",
                      metric_options="height=4; width=3")  # fmt: skip
    assert response.status_code == 201, response.json
    assert response.json["prediction_columns"] == ["road", "sky"]
    assert response.json["metric_options"] == {"height": 4, "width": 3}


def test_a_detection_problem_takes_one_prediction_string_per_image(api, setup):
    organizer, competition = setup
    solution = "id,PredictionString\n" + "".join(f"img{i},car {i} 0 10 10\n" for i in range(40))
    response = create(api, organizer, competition, solution=solution, metric="map_50_95")
    assert response.status_code == 201, response.json
    assert response.json["prediction_columns"] == ["PredictionString"]
    assert response.json["metric_options"] is None  # it takes no settings


def test_a_multilabel_problem_takes_a_label_column_or_a_zero_one_column_per_label(api, setup):
    organizer, competition = setup
    labels = "id,tags\n" + "".join(f"r{i},a{' b' * (i % 2)}\n" for i in range(40))
    response = create(api, organizer, competition, solution=labels, metric="jaccard_samples")
    assert response.status_code == 201, response.json
    assert response.json["prediction_columns"] == ["tags"]
    assert response.json["higher_is_better"] is True
    columns = "id,a,b,c\n" + "".join(f"r{i},{i % 2},1,0\n" for i in range(40))
    response = create(api, organizer, competition, solution=columns, metric="hamming_loss",
                      slug="weather")  # fmt: skip
    assert response.status_code == 201, response.json
    assert response.json["prediction_columns"] == ["a", "b", "c"]
    assert response.json["higher_is_better"] is False
