"""A bundle's terms, logo, sponsor and titles on import, and a CodaLab bundle whose mistakes
(a missing page, a bad date, a missing folder, an unsafe zip entry) are listed all at once,
each with its file and key."""

from __future__ import annotations

import io

import sqlalchemy as sa

from judge.competitions.models import Sponsor
from judge.core import storage
from judge.core.extensions import db
from tests.bundles.test_bundles import problems_of, write_bundle, zipped
from tests.bundles.test_docker_images import KO
from tests.bundles.test_import_defaults import FILES
from tests.bundles.test_organizer_failures import METADATA, SCORER

TERMS = "# 참가 규칙\n\nOne account per person."
CODALAB = """
title: Three mistakes
html:
  overview: overview.html
  terms: terms.html
phases:
  1:
    phasenumber: 1
    label: Final
    start_date: next week
    scoring_program: scoring_program.zip
    reference_data: reference_data.zip
    public_data: public_data.zip
"""


def codabench(tasks: list[str], top: str = "") -> str:
    listed = "".join(
        f"  - index: {n}\n    name: {name}\n    scoring_program: scoring_program/\n"
        f"    reference_data: reference_data/\n"
        for n, name in enumerate(tasks)
    )
    return f"""
version: 2
title: 결함 탐지 대회
{top}
tasks:
{listed}
phases:
  - {{index: 0, name: Only, tasks: [{", ".join(str(n) for n in range(len(tasks)))}]}}
leaderboards:
  - {{index: 0, title: Results, key: main, columns: [{{title: Accuracy, key: acc, index: 0}}]}}
"""


def run(runner, competition, tmp_path, yaml: str, *options: str, **extra):
    bundle = write_bundle(tmp_path / "b.zip", {"competition.yaml": yaml, **FILES, **extra})
    return runner.invoke(
        args=["import-bundle", str(bundle), "--competition", competition.slug, *options]
    )


def test_a_codalab_bundle_lists_its_four_mistakes_at_once(runner, competition, tmp_path):
    blobs = storage.root() / "blobs"
    before = {p for p in blobs.rglob("*") if p.is_file()} if blobs.exists() else set()
    bundle = write_bundle(tmp_path / "old.zip", {
        "competition.yaml": CODALAB, "overview.html": "<p>Hi</p>",
        "scoring_program.zip": zipped({"score.py": SCORER, "metadata.yaml": METADATA}),
        "reference_data.zip": zipped({"../truth": "1 2 3\n"})})  # fmt: skip
    result = runner.invoke(args=["import-bundle", str(bundle), "--competition", competition.slug])
    assert result.exit_code != 0
    for line in (
        "competition.yaml: html.terms names “terms.html”, which is not in the bundle.",
        "competition.yaml: phases[1].start_date: “next week” is not a date.",
        "competition.yaml: phases[1].public_data names “public_data.zip”, which is not in the "
        "bundle.",
        "competition.yaml: phases[1].reference_data: “reference_data.zip”: The "
        "reference_data.zip contains an unsafe path, “../truth”",
    ):
        assert line in result.output
    assert problems_of(competition) == [] and competition.rules == ""
    assert {p for p in blobs.rglob("*") if p.is_file()} <= before


def test_the_terms_become_the_rules_and_the_logo_is_named(runner, client, competition,
                                                          tmp_path):  # fmt: skip
    yaml = codabench(["Defect task"], "terms: terms.md\nimage: logo.png")
    result = run(runner, competition, tmp_path, yaml, **{"terms.md": TERMS, "logo.png": b"\x89"})
    assert result.exit_code == 0, result.output
    assert "The competition had no rules: the bundle's terms are now its rules." in result.output
    assert "Not used: image (logo.png): judge has no competition logo" in result.output
    db.session.expire_all()
    assert competition.rules == TERMS
    page = client.get(f"/c/{competition.slug}").text
    assert "참가 규칙" in page and "One account per person." in page
    assert "logo.png" not in page


def test_rules_already_written_are_kept(runner, competition, tmp_path):
    competition.rules = "Our own rules."
    db.session.commit()
    yaml = codabench(["Defect task"], "terms: terms.md")
    result = run(runner, competition, tmp_path, yaml, **{"terms.md": TERMS})
    assert result.exit_code == 0, result.output
    assert "The competition has rules already; the bundle's terms were not used" in result.output
    db.session.expire_all()
    assert competition.rules == "Our own rules."


def test_a_missing_terms_file_is_named(runner, competition, tmp_path):
    result = run(runner, competition, tmp_path, codabench(["Defect task"], "terms: terms.md"))
    assert result.exit_code != 0
    assert "competition.yaml: terms names “terms.md”, which is not in the bundle." in result.output


def sponsors(competition) -> list[str]:
    query = sa.select(Sponsor.name).where(Sponsor.competition_id == competition.id)
    return list(db.session.scalars(query.order_by(Sponsor.id)))


def test_the_problems_belong_to_the_named_sponsor(runner, competition, tmp_path):
    first = sponsors(competition)[0]
    result = run(runner, competition, tmp_path, codabench(["A task"]), "--sponsor", "Acme 에이크미")
    assert result.exit_code == 0, result.output
    assert "New sponsor “Acme 에이크미”: the problems belong to it." in result.output
    result = run(runner, competition, tmp_path, codabench(["B task"]), "--sponsor", first)
    assert result.exit_code == 0, result.output
    assert f"The problems belong to the sponsor “{first}”." in result.output
    result = run(runner, competition, tmp_path, codabench(["C task"]), "--sponsor", "x" * 201)
    assert result.exit_code != 0
    assert "A sponsor's name has at most 200 characters." in result.output
    assert sponsors(competition) == [first, "Acme 에이크미"]
    owners = {p.slug: p.sponsor_id for p in problems_of(competition)}
    ids = {name: id_ for name, id_ in db.session.execute(sa.select(Sponsor.name, Sponsor.id))}
    assert owners == {"a-task": ids["Acme 에이크미"], "b-task": ids[first]}


def test_slugs_come_from_the_titles_and_stay_unique(runner, competition, tmp_path):
    for name in ["결함 탐지", "Defect 탐지 v2", "표면 검사", "결함 탐지", "Defect 탐지 v2"]:
        result = run(runner, competition, tmp_path, codabench([name]))
        assert result.exit_code == 0, result.output
    slugs = sorted(p.slug for p in problems_of(competition))
    assert slugs == ["defect-v2", "defect-v2-2", "task-1", "task-1-2", "task-1-3"]
    assert "imported defect-v2-2: Defect 탐지 v2" in result.output


def test_a_phases_tasks_are_rows_of_one_series_named_after_the_bundle(runner, competition,
                                                                       tmp_path):  # fmt: skip
    result = run(runner, competition, tmp_path, codabench(["결함 탐지", "Defect 탐지 v2"]))
    assert result.exit_code == 0, result.output
    assert "imported problem (a problem with phases): 결함 탐지 대회" in result.output
    slugs = sorted(p.slug for p in problems_of(competition))
    assert slugs == ["problem-only-defect-v2", "problem-only-t1"]


def test_the_web_page_takes_a_sponsor_and_gives_title_slugs(client, login, competition):
    login(competition.roles[0].user)
    assert 'name="sponsor"' in client.get(f"/c/{competition.slug}/manage/bundle").text
    files = {"competition.yaml": codabench(["결함 탐지"], "terms: terms.md"), "terms.md": TERMS,
             **FILES}  # fmt: skip
    page = client.post(f"/c/{competition.slug}/manage/bundle", data={
        "bundle": (io.BytesIO(zipped(files)), "b.zip"), "sponsor": "Acme"}).text  # fmt: skip
    assert "New sponsor “Acme”: the problems belong to it." in page
    assert "the bundle&#39;s terms are now its rules" in page
    [problem] = problems_of(competition)
    assert problem.slug == "task-1" and problem.title == "결함 탐지"
    assert db.session.get(Sponsor, problem.sponsor_id).name == "Acme"
    files["competition.yaml"] = codabench(["결함 탐지"], "terms: missing.md")
    page = client.post(f"/c/{competition.slug}/manage/bundle", headers=KO, data={
        "bundle": (io.BytesIO(zipped(files)), "b.zip"), "sponsor": "Beta"}).text  # fmt: skip
    assert "competition.yaml: terms" in page and "번들에 없" in page
    assert "Beta" not in sponsors(competition) and len(problems_of(competition)) == 1
