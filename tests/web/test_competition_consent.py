"""A competition's own consent terms (versioned) and the fields it asks each participant."""

from __future__ import annotations

import sqlalchemy as sa

from judge.audit.models import AuditEntry
from judge.competitions import consent, participant_fields
from judge.competitions.models import (
    CompetitionConsent,
    CompetitionConsentAcceptance,
    ParticipantAnswer,
    RulesAcceptance,
)
from judge.core.db import unit_of_work, utcnow
from judge.core.extensions import db
from judge.teams import services as teams
from tests.factories import hours
from tests.web.conftest import count

KO = {"Accept-Language": "ko"}
SPONSOR_TERMS = "The sponsor may use your name for prize tax reporting."


def publish(competition, text_en=SPONSOR_TERMS, text_ko="상금 세금 신고에 이름을 씁니다."):
    organizer = competition.roles[0].user
    with unit_of_work():
        return consent.publish(competition, text_ko, text_en, organizer, utcnow()).version


def add_field(competition, label="Student status", required=True, division=None):
    organizer = competition.roles[0].user
    with unit_of_work():
        field = participant_fields.add_field(
            competition, label + " (ko)", label, required, division, organizer, utcnow()
        )
    return field.id


def accept(client, competition, headers=None, **data):
    url = f"/c/{competition.slug}/rules/accept"
    return client.post(url, data=data, headers=headers or {}, follow_redirects=True)


def test_organizer_publishes_versions_and_never_rewrites_one(client, cast, as_role):
    as_role("organizer")
    url = f"/c/{cast.competition.slug}/manage/consent"
    form = {"consent-text_ko": "약관 1", "consent-text_en": "Terms 1", "consent-understood": "y"}
    assert (
        "Version 1 of the consent text is published."
        in client.post(url, data=form, follow_redirects=True).text
    )
    again = client.post(url, data=form).text
    assert "The text is unchanged; no new version is needed." in again
    client.post(url, data=form | {"consent-text_en": "Terms 2"})
    versions = db.session.scalars(sa.select(CompetitionConsent).order_by("version")).all()
    assert [(v.version, v.text_en) for v in versions] == [(1, "Terms 1"), (2, "Terms 2")]
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("competition_consent_published") == 2


def test_publishing_asks_for_the_confirmation_box(client, cast, as_role):
    as_role("organizer")
    url = f"/c/{cast.competition.slug}/manage/consent"
    page = client.post(url, data={"consent-text_ko": "약관", "consent-text_en": "Terms"}).text
    assert "Please tick the box to publish a new version." in page
    assert count(CompetitionConsent) == 0


def test_rules_need_the_consent_tick_and_store_version_and_time(client, cast, as_role):
    publish(cast.competition)
    outsider = as_role("outsider")
    page = client.get(f"/c/{cast.competition.slug}").text
    assert SPONSOR_TERMS in page
    refused = accept(client, cast.competition).text
    assert "Please tick the box to accept the competition&#39;s consent terms." in refused
    assert count(RulesAcceptance) == 2  # the two teams' leaders only
    accept(client, cast.competition, consent="1")
    stored = db.session.scalar(
        sa.select(CompetitionConsentAcceptance).where(
            CompetitionConsentAcceptance.user_id == outsider.id
        )
    )
    assert stored.consent.version == 1 and stored.accepted_at is not None


def test_a_new_version_is_asked_before_download_and_keeps_the_old_acceptance(client, cast, as_role):
    publish(cast.competition)
    participant = as_role("participant")
    accept(client, cast.competition, consent="1")
    publish(cast.competition, text_en="New terms: results are shared with the ministry.")
    problem_url = f"/c/{cast.competition.slug}/p/{cast.problem.slug}"
    file_id = cast.problem.files[0].id
    refused = client.get(f"{problem_url}/files/{file_id}", follow_redirects=True).text
    assert "consent terms changed (version 2)" in refused
    assert "New terms: results are shared with the ministry." in refused
    accept(client, cast.competition, consent="2")
    assert client.get(f"{problem_url}/files/{file_id}").status_code == 200
    mine = db.session.scalars(
        sa.select(CompetitionConsentAcceptance).where(
            CompetitionConsentAcceptance.user_id == participant.id
        )
    ).all()
    assert sorted(a.consent.version for a in mine) == [1, 2]


def test_a_stale_version_is_refused(client, cast, as_role):
    publish(cast.competition)
    publish(cast.competition, text_en="Second terms")
    as_role("outsider")
    page = accept(client, cast.competition, consent="1").text
    assert "The consent terms changed while you were reading them." in page
    assert count(CompetitionConsentAcceptance) == 0


def test_required_field_and_confirmation_are_needed_and_nothing_is_half_written(
    client, cast, as_role
):
    publish(cast.competition)
    status = add_field(cast.competition, "Student status")
    school = add_field(cast.competition, "School", required=False)
    outsider = as_role("outsider")
    missing = accept(client, cast.competition, consent="1", **{f"field-{school}": "KAIST"})
    assert "Please fill in “Student status”." in missing.text
    unconfirmed = accept(client, cast.competition, consent="1", **{f"field-{status}": "재학"})
    assert "Please confirm that what you entered is true." in unconfirmed.text
    assert count(ParticipantAnswer) == 0 and count(CompetitionConsentAcceptance) == 0
    accept(client, cast.competition, consent="1", confirm="yes", **{f"field-{status}": "재학"})
    answers = participant_fields.answers_of(outsider, cast.competition)
    assert {k: a.value for k, a in answers.items()} == {status: "재학"}
    assert answers[status].confirmed_at is not None


def test_too_long_and_control_characters_are_refused_in_both_languages(client, cast, as_role):
    field = add_field(cast.competition, "School")
    as_role("outsider")
    long = accept(client, cast.competition, confirm="yes", **{f"field-{field}": "x" * 201})
    assert "Please keep this to at most 200 characters (it has 201)." in long.text
    bell = accept(client, cast.competition, KO, confirm="yes", **{f"field-{field}": "KA\x07IST"})
    assert "제어 문자" in bell.text
    missing = accept(client, cast.competition, KO, confirm="yes")
    assert "“School (ko)” 항목을 입력해 주세요." in missing.text
    assert count(ParticipantAnswer) == 0


def test_a_division_field_is_asked_when_entering_that_division(client, cast, as_role, make):
    graduate, undergraduate = cast.competition.divisions
    student_id = add_field(cast.competition, "Student ID", division=graduate)
    outsider = as_role("outsider")
    accept(client, cast.competition)  # the graduate field is not needed to accept the rules
    url = f"/c/{cast.competition.slug}/team/create"
    refused = client.post(url, data={"name": "Grads", "division_id": graduate.id},
                          follow_redirects=True).text  # fmt: skip
    assert "The division “대학원” asks for “Student ID”." in refused
    client.post(f"/c/{cast.competition.slug}/details",
                data={f"field-{student_id}": "2026-123", "confirm": "yes"})  # fmt: skip
    client.post(url, data={"name": "Grads", "division_id": graduate.id})
    assert teams.team_of(outsider, cast.competition).name == "Grads"
    loner = make.user()
    team = make.team(cast.competition, loner, division=1, name="Undergrads")  # nothing asked
    assert team.division_id == undergraduate.id


def test_details_change_until_the_deadline_then_only_organizers_audited(client, cast, as_role):
    field = add_field(cast.competition, "School", required=False)
    participant = as_role("participant")
    details = f"/c/{cast.competition.slug}/details"
    client.post(details, data={f"field-{field}": "KAIST", "confirm": "yes"})
    with unit_of_work():
        cast.competition.team_change_deadline = utcnow() - hours(1)
    late = client.post(details, data={f"field-{field}": "SNU", "confirm": "yes"},
                       follow_redirects=True).text  # fmt: skip
    assert "please ask the organizers to correct your details." in late
    with unit_of_work():
        participant_fields.save(cast.competition, participant, {field: "SNU"}, True, utcnow(),
                                actor=cast["organizer"])  # fmt: skip
    assert participant_fields.answers_of(participant, cast.competition)[field].value == "SNU"
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "participant_answers_changed")
    )
    assert entry.before == {"School": "KAIST"} and entry.after == {"School": "SNU"}


def test_only_organizers_see_the_participants_page(client, cast, as_role, login):
    field = add_field(cast.competition, "School", required=False)
    participant = cast["participant"]
    with unit_of_work():
        participant_fields.save(cast.competition, participant, {field: "Hidden Univ"}, True,
                                utcnow())  # fmt: skip
    url = f"/c/{cast.competition.slug}/participants"
    for role in ("rival", "judge", "sponsor"):
        login(cast[role])
        assert client.get(url).status_code == 403
        assert "Hidden Univ" not in client.get(f"/c/{cast.competition.slug}").text
        client.post("/logout")
    login(cast["organizer"])
    page = client.get(url).text
    assert "Pia Participant" in page and "Hidden Univ" in page


def test_non_organizers_cannot_change_the_definitions(client, cast, as_role):
    field = add_field(cast.competition, "School")
    as_role("participant")
    base = f"/c/{cast.competition.slug}/manage"
    form = {"field-label_ko": "학교", "field-label_en": "School", "field-division_id": "0"}
    assert client.post(f"{base}/fields", data=form).status_code == 403
    assert client.post(f"{base}/fields/{field}/remove").status_code == 403
    consent_form = {"consent-text_ko": "a", "consent-text_en": "b", "consent-understood": "y"}
    assert client.post(f"{base}/consent", data=consent_form).status_code == 403
    assert len(participant_fields.active(cast.competition)) == 1
    assert count(CompetitionConsent) == 0


def test_organizer_adds_and_removes_fields_on_the_console(client, cast, as_role):
    as_role("organizer")
    base = f"/c/{cast.competition.slug}/manage"
    graduate = cast.competition.divisions[0]
    form = {"field-label_ko": "학번", "field-label_en": "Student ID",
            "field-division_id": str(graduate.id), "field-required": "y"}  # fmt: skip
    client.post(f"{base}/fields", data=form)
    (field,) = participant_fields.active(cast.competition)
    assert (field.label_ko, field.required, field.division_id) == ("학번", True, graduate.id)
    empty = client.post(f"{base}/fields", data=form | {"field-label_en": ""}).text
    assert "Please name the field in Korean and in English." in empty
    client.post(f"{base}/fields/{field.id}/remove")
    assert participant_fields.active(cast.competition) == []
