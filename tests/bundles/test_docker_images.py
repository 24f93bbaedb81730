"""A bundle's docker_image runs on the runtime the operator maps it to; an image mapped to
nothing stops the import there, naming the file and the image, not at the first run."""

from __future__ import annotations

import io
import sys

import pytest

from tests.bundles.test_bundles import (
    CODABENCH_YAML,
    PROGRAM,
    TRUTH,
    problems_of,
    write_bundle,
    zipped,
)

KO = {"Accept-Language": "ko-KR,ko;q=0.9"}


def files(image: str | None) -> dict[str, str | bytes]:
    line = "docker_image: codalab/codalab-legacy:py39\n"
    yaml = CODABENCH_YAML.replace(line, f"docker_image: {image}\n" if image else "")
    return {"competition.yaml": yaml, "evaluation.md": "Accuracy.",
            "scoring_program.zip": PROGRAM, "reference_data/truth.csv": TRUTH,
            "public_data/train.csv": "id,x\n1,2\n"}  # fmt: skip


def imported(runner, competition, tmp_path, image: str | None):
    bundle = write_bundle(tmp_path / "b.zip", files(image))
    return runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])


def test_codabenchs_default_image_runs_on_the_default_runtime(runner, competition, tmp_path):
    result = imported(runner, competition, tmp_path, None)
    assert result.exit_code == 0, result.output
    assert "docker_image: not given; Codabench's default codalab/codalab-legacy:py37" in (
        result.output
    )
    [problem] = problems_of(competition)
    assert problem.runtime == "default"


def test_an_image_maps_to_a_named_runtime_by_a_pattern(app, runner, competition, tmp_path):
    app.config["SANDBOX_RUNTIMES"] = {"legacy": sys.executable}
    app.config["BUNDLE_DOCKER_IMAGES"] = {"codalab/codalab-legacy:*": "legacy"}
    result = imported(runner, competition, tmp_path, "codalab/codalab-legacy:py27")
    assert result.exit_code == 0, result.output
    [problem] = problems_of(competition)
    assert problem.runtime == "legacy"


@pytest.mark.parametrize(("mapping", "message"), [
    ({}, "competition.yaml: docker_image “example/vision:2.1” runs on no runtime here; the "
         "operator maps images to runtimes in BUNDLE_DOCKER_IMAGES."),
    ({"example/*": "gpu"}, "competition.yaml: docker_image “example/vision:2.1” maps to the "
                           "runtime “gpu”, which is not configured (SANDBOX_RUNTIMES)."),
])  # fmt: skip
def test_an_unmapped_image_stops_the_import(app, runner, competition, tmp_path, mapping,
                                            message):  # fmt: skip
    app.config["BUNDLE_DOCKER_IMAGES"] = mapping
    result = imported(runner, competition, tmp_path, "example/vision:2.1")
    assert result.exit_code != 0
    assert message in result.output
    assert problems_of(competition) == []


def test_the_unmapped_image_is_told_in_korean(app, client, login, competition):
    app.config["BUNDLE_DOCKER_IMAGES"] = {}
    login(competition.roles[0].user)
    upload = {"bundle": (io.BytesIO(zipped(files("example/vision:2.1"))), "b.zip")}
    page = client.post(f"/c/{competition.slug}/manage/bundle", data=upload, headers=KO).text
    assert "competition.yaml: docker_image “example/vision:2.1”" in page
    assert "BUNDLE_DOCKER_IMAGES" in page and "런타임" in page
    assert problems_of(competition) == []
