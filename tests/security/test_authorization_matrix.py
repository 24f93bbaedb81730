"""Every endpoint, every role, own and other people's resources: who gets what.

The matrix below classifies every endpoint of ``app.url_map``; a new
endpoint that is not in it fails ``test_every_endpoint_is_classified``, so
whoever adds one must decide here who may call it. Each case sends one
request as each of nine people (a fresh copy of the same database for each
state-changing request) and checks the status, that API refusals are JSON
errors, and that hidden values (private scores before the reveal, the
solution's labels, other teams' files and invite codes, draft problems)
appear only in the answers of those who may see them.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from judge.core.extensions import db
from tests.conftest import PASSWORD
from tests.security.conftest import (
    HIDDEN_PRIVATE,
    HIDDEN_SOLUTION,
    PRIVATE_QUESTION,
    SECRET_TASK,
)

ROLES = (
    "anonymous",
    "participant",  # team A
    "rival",  # team B
    "other_sponsor",  # member of another sponsor of the same competition
    "sponsor",  # member of the problem's own sponsor
    "judge",
    "organizer",
    "other_organizer",  # organizer of another competition
    "admin",
)
EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
ORGANIZERS = frozenset({"organizer", "admin"})
MANAGERS = ORGANIZERS | {"sponsor"}  # of the problem: its competition's organizers, its sponsor
TEAM_A = frozenset({"participant"})
TEAMS = frozenset({"participant", "rival"})
STAFF = MANAGERS | {"other_sponsor", "judge"}
# The problem is open: what decides scoring is no longer its sponsor's to change (403 naming
# the field; field × role × state in test_field_permissions.py).
LIVE = {"sponsor": 403}
LOGIN = "login"  # 302 to the login page
REDIRECT = "redirect"  # 302 anywhere else
XHR = {"X-Requested-With": "XMLHttpRequest", "Accept": "application/json"}


def grant(allowed, ok, denied, anonymous=None, **special) -> dict[str, object]:
    """``ok`` for the allowed roles, ``denied`` for the rest, ``anonymous`` for the anonymous."""
    table = {role: (ok if role in allowed else denied) for role in ROLES}
    if anonymous is not None:
        table["anonymous"] = anonymous
    table.update(special)
    return table


def api(allowed, ok, denied=403, **special):
    return grant(allowed, ok, denied, 401, **special)


def web(allowed, ok, denied=403, **special):
    return grant(allowed, ok, denied, LOGIN, **special)


def csv_file(name: str, body: bytes = b"id,label\n1,0\n") -> tuple[io.BytesIO, str]:
    return (io.BytesIO(body), name)


@dataclass
class Case:
    endpoint: str
    method: str
    path: str
    expect: dict[str, object]
    data: object = None  # a form (dict, files as (stream, name)) or JSON (json=True)
    json: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()  # strings only ``may_see`` may receive
    may_see: frozenset[str] = frozenset()
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.endpoint}{'@' + self.label if self.label else ''}"


def solution_csv() -> bytes:
    return ("id,label\n" + "".join(f"{i},{i % 2}\n" for i in range(1, 41))).encode()


def problem_form() -> dict:
    return {"slug": "brand-new", "title": "Brand new", "sponsor_id": "{sponsor}",
            "metric": "accuracy", "id_column": "id", "public_fraction": "0.3",
            "solution": lambda: csv_file("solution.csv", solution_csv())}  # fmt: skip


C, P, D = "/c/{slug}", "/c/{slug}/p/{p}", "/c/{slug}/p/{draft}"
S = "/c/{slug}/s/phased"
A1 = "/api/v1"
SECRET_INVITE = "{invite_a}"

# fmt: off
CASES = [
    # --- accounts ---------------------------------------------------------------------------
    Case("accounts.login", "GET", "/login", grant(EVERYONE, 200, 200)),
    Case("accounts.logout", "POST", "/logout", grant(EVERYONE, REDIRECT, REDIRECT)),
    Case("accounts.logout_everywhere", "POST", "/logout/everywhere", web(LOGGED_IN, REDIRECT)),
    Case("accounts.register", "GET", "/register", grant(EVERYONE, 200, 200)),
    Case("accounts.set_language", "POST", "/language/en", grant(EVERYONE, REDIRECT, REDIRECT)),
    Case("accounts.account", "GET", "/account", web(LOGGED_IN, 200)),
    Case("accounts.account", "POST", "/account", web(LOGGED_IN, REDIRECT), label="save",
         data={"name": "Someone", "affiliation": "", "locale": "en"}),
    Case("accounts.delete_account", "GET", "/account/delete", web(LOGGED_IN, 200)),
    Case("accounts.delete_account", "POST", "/account/delete", web(LOGGED_IN, 200),
         label="wrong-password", data={"password": "wrong", "confirm": "y"}),
    Case("accounts.tokens", "GET", "/account/tokens", web(LOGGED_IN, 200),
         secrets=("{token_prefix_a}",), may_see=TEAM_A),
    Case("accounts.revoke_token", "POST", "/account/tokens/{token_a}/revoke",
         web(LOGGED_IN, REDIRECT)),  # refusal is a flashed "no such token": see the last test
    Case("accounts.forgot_password", "GET", "/password/forgot", grant(EVERYONE, 200, 200)),
    Case("accounts.forgot_password", "POST", "/password/forgot",  # answered on the login page
         grant(EVERYONE, LOGIN, LOGIN), label="ask", data={"email": "nobody@example.com"}),
    Case("accounts.reset_password", "GET", "/password/reset/forged", grant(EVERYONE, 400, 400)),
    Case("accounts.verify_email", "GET", "/verify/forged", grant(EVERYONE, 400, 400)),
    Case("accounts.resend_verification", "POST", "/account/verification",
         web(LOGGED_IN, REDIRECT)),  # verified accounts get the same answer and no mail
    Case("accounts.consent", "GET", "/account/consent", web(LOGGED_IN, REDIRECT)),  # accepted
    Case("accounts.set_optional_consent", "POST", "/account/consent/optional",
         web(LOGGED_IN, REDIRECT), data={"accepted": "yes"}),
    Case("accounts.change_password", "GET", "/account/password", web(LOGGED_IN, 200)),
    Case("accounts.change_password", "POST", "/account/password", web(LOGGED_IN, 200),
         label="wrong-current", data={"current_password": "wrong", "password": "new password!",
                                      "confirm": "new password!"}),
    # The outbox (mail to anyone) is the site administrators'; tests/mail reads a message.
    Case("mail.outbox", "GET", "/admin/outbox", web({"admin"}, 200, 404)),
    Case("mail.message", "GET", "/admin/outbox/999", web({"admin"}, 404, 404)),
    Case("mail.message_html", "GET", "/admin/outbox/999/html", web({"admin"}, 404, 404)),
    # Site administrators' user management: not there for anyone else.
    Case("admin_users.index", "GET", "/admin/users", web({"admin"}, 200, 404)),
    Case("admin_competitions.index", "GET", "/admin/competitions", web({"admin"}, 200, 404)),
    Case("admin_competitions.archive", "GET", "/admin/competitions/{slug}/archive",
         web({"admin"}, 200, 404)),
    Case("admin_competitions.archive", "POST", "/admin/competitions/{slug}/archive",
         web({"admin"}, REDIRECT, 404), label="do"),
    Case("admin_competitions.restore", "GET", "/admin/competitions/{slug}/restore",
         web({"admin"}, 200, 404)),
    Case("admin_competitions.restore", "POST", "/admin/competitions/{slug}/restore",
         web({"admin"}, 200, 404), label="not-archived"),
    Case("admin_audit.index", "GET", "/admin/audit", web({"admin"}, 200, 404)),
    Case("admin_users.show", "GET", "/admin/users/{rival_id}", web({"admin"}, 200, 404)),
    Case("admin_users.show", "POST", "/admin/users/{rival_id}", web({"admin"}, REDIRECT, 404),
         label="affiliation", data={"affiliation": "Elsewhere"}),
    Case("admin_users.disable", "GET", "/admin/users/{rival_id}/disable",
         web({"admin"}, 200, 404)),
    Case("admin_users.disable", "POST", "/admin/users/{rival_id}/disable",
         web({"admin"}, REDIRECT, 404), label="confirmed"),
    Case("admin_users.enable", "POST", "/admin/users/{rival_id}/enable",
         web({"admin"}, REDIRECT, 404)),
    Case("admin_users.send_reset", "POST", "/admin/users/{rival_id}/password-reset",
         web({"admin"}, REDIRECT, 404)),
    # --- competitions (web) -----------------------------------------------------------------
    Case("competitions.index", "GET", "/", grant(EVERYONE, 200, 200),
         secrets=("Secret Draft",), may_see=frozenset()),
    Case("competitions.show", "GET", C, grant(EVERYONE, 200, 200),
         secrets=("Secret Draft",), may_see=MANAGERS),
    Case("competitions.show", "GET", C, grant(EVERYONE, 200, 200), label="invite",
         secrets=(SECRET_INVITE,), may_see=TEAM_A),
    Case("competitions.create", "GET", "/competitions/new", web({"admin"}, 200)),
    Case("competitions.accept_rules", "POST", C + "/rules/accept", web(LOGGED_IN, REDIRECT)),
    Case("competitions.manage", "GET", C + "/manage", web(ORGANIZERS, 200)),
    Case("competition_states.publish", "GET", C + "/manage/publish", web(ORGANIZERS, 200)),
    Case("competition_states.publish", "POST", C + "/manage/publish", web(ORGANIZERS, 200),
         label="published-already"),
    Case("competitions.manage", "GET", "/c/elsewhere/manage",
         web({"other_organizer", "admin"}, 200), label="other-competition"),
    Case("competitions.update_settings", "POST", C + "/manage/settings", web(ORGANIZERS, 200)),
    Case("competitions.add_division", "POST", C + "/manage/divisions", web(ORGANIZERS, REDIRECT),
         data={"division-name": "Open", "division-eligibility": "Anyone"}),
    Case("competitions.add_sponsor", "POST", C + "/manage/sponsors", web(ORGANIZERS, REDIRECT),
         data={"sponsor-name": "New Co"}),
    Case("competition_parts.edit", "GET", C + "/manage/divisions/{division}",
         web(ORGANIZERS, 200)),
    Case("competition_parts.edit", "POST", C + "/manage/sponsors/{sponsor}",
         web(ORGANIZERS, REDIRECT), data={"name": "Renamed Co"}, label="save"),
    Case("competition_parts.remove", "POST", C + "/manage/divisions/{empty_division}/remove",
         web(ORGANIZERS, REDIRECT), data={"confirm": "y"}),
    Case("competitions.add_sponsor_member", "POST", C + "/manage/sponsor-members",
         web(ORGANIZERS, REDIRECT),
         data={"member-sponsor_id": "{sponsor}", "member-email": "{newcomer_email}"}),
    Case("competitions.assign_role", "POST", C + "/manage/roles", web(ORGANIZERS, REDIRECT),
         data={"role-email": "{newcomer_email}", "role-role": "judge"}),
    Case("competitions.remove_role", "POST", C + "/manage/roles/{judge_role}/remove",
         web(ORGANIZERS, REDIRECT)),
    Case("competitions.revoke_invitation", "POST", C + "/manage/invitations/999/revoke",
         web(ORGANIZERS, REDIRECT)),
    Case("competitions.save_details", "POST", C + "/details", web(LOGGED_IN, REDIRECT)),
    Case("competitions.participant_list", "GET", C + "/participants", web(ORGANIZERS, 200)),
    # The export of personal data: organizers only (each download audited).
    Case("competitions.export_participants", "GET", C + "/participants.csv",
         web(ORGANIZERS, 200), label="csv"),
    Case("competitions.export_participants", "GET", C + "/participants.xlsx",
         web(ORGANIZERS, 200), label="xlsx"),
    Case("competitions.publish_consent", "POST", C + "/manage/consent",
         web(ORGANIZERS, REDIRECT),
         data={"consent-text_ko": "약관", "consent-text_en": "Terms", "consent-understood": "y"}),
    Case("competitions.add_field", "POST", C + "/manage/fields", web(ORGANIZERS, REDIRECT),
         data={"field-label_ko": "학교", "field-label_en": "School", "field-division_id": "0"}),
    Case("competitions.remove_field", "POST", C + "/manage/fields/999/remove",
         web(ORGANIZERS, REDIRECT)),
    # --- notices, questions and answers (web) -----------------------------------------------
    Case("notices.post", "GET", C + "/notices/new", web(MANAGERS, 200)),
    Case("notices.post", "POST", C + "/notices/new", web(ORGANIZERS, REDIRECT, sponsor=200),
         data={"title": "Notice", "body": "Hello", "problem_id": "0"}),
    Case("notices.post", "POST", C + "/notices/new", web(MANAGERS, REDIRECT), label="draft",
         data={"title": "Secret Draft news", "body": "x", "problem_id": "{draft_id}"}),
    Case("notices.edit", "GET", C + "/notices/{notice}/edit", web(ORGANIZERS, 200)),
    Case("notices.edit", "GET", C + "/notices/999999/edit", web(frozenset(), 200, 404),
         label="unknown"),
    Case("notices.withdraw", "POST", C + "/notices/{notice}/withdraw",
         web(ORGANIZERS, REDIRECT)),
    Case("notices.questions", "GET", C + "/questions", grant(EVERYONE, 200, 200),
         secrets=(PRIVATE_QUESTION,), may_see=TEAM_A | MANAGERS),
    Case("notices.questions", "GET", C + "/questions?q=leaky", grant(EVERYONE, 200, 200),
         label="search", secrets=(PRIVATE_QUESTION,), may_see=TEAM_A | MANAGERS),
    Case("notices.my_questions", "GET", C + "/questions/mine", web(LOGGED_IN, 200),
         secrets=(PRIVATE_QUESTION,), may_see=TEAM_A),
    Case("notices.ask", "POST", C + "/questions", web(LOGGED_IN, REDIRECT),
         data={"title": "Why?", "body": "Because.", "problem_id": "0"}),
    Case("notices.question", "GET", C + "/questions/{question}",
         grant(TEAM_A | MANAGERS, 200, 404), secrets=(PRIVATE_QUESTION,),
         may_see=TEAM_A | MANAGERS),
    Case("notices.answer", "POST", C + "/questions/{question}/answer",
         web(MANAGERS, REDIRECT, 404, participant=403), data={"answer": "Yes", "publish": "y"}),
    Case("notifications.index", "GET", "/notifications", web(LOGGED_IN, 200)),
    Case("notifications.read_all", "POST", "/notifications/read", web(LOGGED_IN, REDIRECT)),
    Case("notifications.preferences", "GET", "/account/notifications", web(LOGGED_IN, 200)),
    # --- problems (web) ---------------------------------------------------------------------
    Case("problems.show", "GET", P, grant(EVERYONE, 200, 200),
         secrets=(HIDDEN_SOLUTION, *HIDDEN_PRIVATE), may_see=frozenset()),
    Case("problems.show", "GET", D, grant(MANAGERS, 200, 404), label="draft",
         secrets=("Secret Draft",), may_see=MANAGERS),
    Case("problems.show", "GET", C + "/p/foreign", grant(EVERYONE, 404, 404),
         label="other-competitions-problem-under-this-one"),
    Case("problems.create", "GET", C + "/problems/new", web(MANAGERS | {"other_sponsor"}, 200)),
    # --- problems with phases (web): the page for all, the rest organizers' only -------------
    Case("series.show", "GET", S, grant(EVERYONE, 200, 200), secrets=(SECRET_TASK,),
         may_see=MANAGERS),
    Case("series.show", "GET", "/c/elsewhere/s/phased", grant(EVERYONE, 404, 404),
         label="other-competition"),
    Case("series_manage.create", "GET", C + "/series/new", web(ORGANIZERS, 200)),
    Case("series_manage.create", "POST", C + "/series/new", web(ORGANIZERS, 200), label="post",
         data={"series_slug": "x"}),  # refused beside its fields, nothing made
    Case("series_manage.manage", "GET", S + "/manage", web(ORGANIZERS, 200)),
    Case("series_manage.update_series", "POST", S + "/settings", web(ORGANIZERS, REDIRECT),
         data={"title": "Renamed", "description": "", "score_decimals": "3"}),
    Case("series_manage.update_phase", "POST", S + "/phases/1", web(ORGANIZERS, REDIRECT),
         data={"phase0-phase_name": "Qualifier", "phase0-daily_limit": "4",
               "phase0-max_final_selections": "2"}),
    Case("series_manage.decides", "GET", S + "/phases/1/decides", web(ORGANIZERS, 200)),
    Case("series_manage.decides", "POST", S + "/phases/1/decides", web(ORGANIZERS, REDIRECT),
         label="post", data={"choice": "yes"}),
    Case("series_manage.add_phase", "GET", S + "/phases/new", web(ORGANIZERS, 200)),
    Case("series_manage.add_task", "GET", S + "/phases/1/tasks/new", web(ORGANIZERS, 200)),
    Case("problems.manage", "GET", P + "/manage", web(MANAGERS, 200)),
    Case("problems.manage", "GET", D + "/manage", web(MANAGERS, 200, 404), label="draft"),
    Case("problems.manage", "GET", "/c/elsewhere/p/foreign/manage",
         web({"other_organizer", "admin"}, 200), label="other-competition"),
    Case("problems.add_file", "POST", P + "/files", web(MANAGERS, REDIRECT),
         data={"file": lambda: csv_file("extra.csv"), "description": ""}),
    Case("problems.remove_file", "POST", P + "/files/{file}/remove", web(MANAGERS, REDIRECT)),
    Case("problems.replace_solution", "POST", P + "/solution", web(MANAGERS, REDIRECT, sponsor=200),
         data={"solution": lambda: csv_file("solution.csv", solution_csv())}),
    Case("problem_solution.confirm", "GET", P + "/solution/confirm",  # nothing uploaded
         web(MANAGERS, REDIRECT)),
    Case("problems.publish", "POST", D + "/publish", web(MANAGERS, REDIRECT, 404)),
    Case("problems.update_settings", "POST", P + "/settings", web(MANAGERS, REDIRECT),
         data={"failed_daily_limit": "3", "max_final_selections": "2"}),
    Case("problem_review.submit", "POST", D + "/review", web(MANAGERS, REDIRECT, 404)),
    Case("problem_review.publish", "POST", D + "/review/publish",
         web(ORGANIZERS, REDIRECT, 404, sponsor=403), data={"confirm": "y"}),
    Case("problem_review.send_back", "POST", D + "/review/send-back",
         web(ORGANIZERS, REDIRECT, 404, sponsor=403), data={"comment": "Units?"}),
    Case("problems.unpublish", "POST", P + "/unpublish", web(MANAGERS, REDIRECT)),
    Case("problems.download_file", "GET", P + "/files/{file}",
         grant(TEAMS | STAFF, 200, REDIRECT), secrets=("x,label",), may_see=TEAMS | STAFF),
    Case("problems.download_solution", "GET", P + "/solution", grant(MANAGERS, 200, 403),
         secrets=(HIDDEN_SOLUTION,), may_see=MANAGERS),
    Case("problems.download_solution", "GET", D + "/solution", grant(MANAGERS, 200, 404),
         label="draft", secrets=(HIDDEN_SOLUTION,), may_see=MANAGERS),
    # --- submissions (web) ------------------------------------------------------------------
    Case("submissions.create", "POST", P + "/submissions",
         grant(TEAMS, 202, 403, 401), headers=XHR,
         data={"file": lambda: csv_file("predictions.csv"), "description": ""}),
    # The problem takes predictions, so a team's validation run is refused with a conflict.
    Case("submissions.create_validation_run", "POST", P + "/validation-runs",
         grant(TEAMS, 409, 403, 401), headers=XHR,
         data={"file": lambda: csv_file("code.zip", b"PK")}),
    Case("submissions.status", "GET", P + "/submissions/{sub_a}/status",
         grant(TEAM_A, 200, 404, 401), secrets=HIDDEN_PRIVATE, may_see=frozenset()),
    Case("submissions.status", "GET", P + "/submissions/{sub_b}/status",
         grant({"rival"}, 200, 404, 401), label="team-b", secrets=HIDDEN_PRIVATE),
    Case("submissions.download", "GET", P + "/submissions/{sub_a}/file",
         web(TEAM_A, 200, 404), secrets=("pia-only-content",), may_see=TEAM_A),
    Case("submissions.download", "GET", P + "/submissions/{sub_b}/file",
         web({"rival"}, 200, 404), label="team-b", secrets=("rita-only-content",),
         may_see=frozenset({"rival"})),
    # The organizer's baseline run belongs to no team: no team page shows it.
    Case("submissions.status", "GET", P + "/submissions/{baseline}/status",
         grant(frozenset(), 200, 404, 401), label="baseline", secrets=HIDDEN_PRIVATE),
    Case("submissions.download", "GET", P + "/submissions/{baseline}/file",
         web(frozenset(), 200, 404), label="baseline", secrets=("baseline-only-content",)),
    Case("submissions.final", "POST", P + "/submissions/{sub_a}/final",
         web(TEAM_A, REDIRECT, 404), data={"selected": "1"}),
    Case("submissions.cancel", "POST", P + "/submissions/{queued_a}/cancel",
         web(TEAM_A, REDIRECT, 404)),
    # --- leaderboards (web) -----------------------------------------------------------------
    Case("leaderboard.show", "GET", P + "/leaderboard", grant(EVERYONE, 200, 200),
         secrets=HIDDEN_PRIVATE, may_see=frozenset()),
    Case("leaderboard.show", "GET", P + "/leaderboard?board=private",
         grant(MANAGERS, 200, 403), label="private", secrets=HIDDEN_PRIVATE, may_see=MANAGERS),
    Case("leaderboard.show", "GET", D + "/leaderboard", grant(MANAGERS, 200, 404), label="draft"),
    Case("leaderboard.download", "GET", P + "/leaderboard.csv?board=private",
         grant(MANAGERS, 200, 403), secrets=HIDDEN_PRIVATE, may_see=MANAGERS),
    Case("leaderboard.reveal", "POST", P + "/leaderboard/reveal", web(ORGANIZERS, REDIRECT)),
    Case("leaderboard.reveal", "GET", P + "/leaderboard/reveal", web(ORGANIZERS, 200),
         label="ask"),
    # The shake-up shows private ranks: nobody sees it before the reveal, organizers neither.
    Case("leaderboard.shakeup_page", "GET", P + "/shakeup", grant(EVERYONE, 404, 404),
         secrets=HIDDEN_PRIVATE, may_see=frozenset()),
    # --- teams (web): actions always on one's own team --------------------------------------
    Case("teams.mine", "GET", C + "/team", web(TEAMS, REDIRECT, 200)),
    Case("teams.show", "GET", "/teams/{team_a}", grant(EVERYONE, 200, 200),
         secrets=(SECRET_INVITE,), may_see=TEAM_A),
    Case("teams.create", "POST", C + "/team/create", web(LOGGED_IN, 200),
         data={"name": "Fresh Team", "division_id": "{division}"},
         secrets=(SECRET_INVITE,), may_see=TEAM_A),
    Case("teams.join", "POST", C + "/team/join", web(LOGGED_IN, 200),
         data={"code": "not-a-real-code"}, secrets=(SECRET_INVITE,), may_see=TEAM_A),
    Case("teams.leave", "POST", C + "/team/leave", web(TEAMS, REDIRECT, 404)),
    Case("teams.rename", "POST", C + "/team/rename", web(TEAMS, REDIRECT, 404),
         data={"name": "Renamed Team"}),
    Case("teams.new_invite_code", "POST", C + "/team/invite-code", web(TEAMS, REDIRECT, 404)),
    # An organizer's acts on any team of the competition: a confirmation page, then the act.
    Case("team_moderation.confirm", "GET", C + "/teams/{team_a}/disqualify",
         web(ORGANIZERS, 200)),
    Case("team_moderation.apply", "POST", C + "/teams/{team_a}/disqualify",
         web(ORGANIZERS, REDIRECT), data={"reason": "Shared code", "confirm": "y"}),
    # Invitations act on the caller's own team (404 without one); a link opens for anyone.
    Case("team_invitations.create_link", "POST", C + "/team/invitations/link",
         web(TEAMS, 200, 404), secrets=("/invitations/team/",), may_see=TEAMS),
    Case("team_invitations.invite_by_email", "POST", C + "/team/invitations/email",
         web(TEAMS, REDIRECT, 404), data={"email": "friend@example.org"}),
    Case("team_invitations.revoke", "POST", C + "/team/invitations/999/revoke",
         web(TEAMS, REDIRECT, 404)),
    Case("team_invitations.show", "GET", "/invitations/team/forged", grant(EVERYONE, 404, 404)),
    Case("team_invitations.accept", "POST", "/invitations/team/forged",
         web(LOGGED_IN, REDIRECT)),
    # A leader's changes act on the caller's own team (404 without one); the rival names
    # themself or team A, which only a merge request may (and asking shows no invite code).
    Case("team_lifecycle.remove", "GET", C + "/team/members/{rival_id}/remove",
         web({"rival"}, 200, 404)),
    Case("team_lifecycle.remove", "POST", C + "/team/members/{rival_id}/remove",
         web({"rival"}, REDIRECT, 404), label="do"),
    Case("team_lifecycle.hand_over", "GET", C + "/team/members/{rival_id}/lead",
         web({"rival"}, 200, 404)),
    Case("team_lifecycle.hand_over", "POST", C + "/team/members/{rival_id}/lead",
         web({"rival"}, REDIRECT, 404), label="do"),
    Case("team_lifecycle.change_division", "POST", C + "/team/division",
         web(TEAMS, 200, 404), data={"division_id": "{division}"}),
    Case("team_lifecycle.request_merge", "POST", C + "/team/merge-requests",
         web(TEAMS, 200, 404, rival=REDIRECT), data={"team_id": "{team_a}"},
         secrets=(SECRET_INVITE,), may_see=TEAM_A),
    Case("team_lifecycle.accept", "GET", C + "/team/merge-requests/999/accept",
         web(TEAMS, 404, 404)),
    Case("team_lifecycle.accept", "POST", C + "/team/merge-requests/999/accept",
         web(TEAMS, REDIRECT, 404), label="do"),
    Case("team_lifecycle.decline", "POST", C + "/team/merge-requests/999/decline",
         web(TEAMS, REDIRECT, 404)),
    Case("staff_invitations.show", "GET", "/invitations/staff/forged",
         grant(EVERYONE, 404, 404)),
    Case("staff_invitations.accept", "POST", "/invitations/staff/forged",
         web(LOGGED_IN, REDIRECT)),
    Case("static", "GET", "/static/judge.css", grant(EVERYONE, 200, 200)),
    # --- API: tokens ------------------------------------------------------------------------
    Case("api_tokens.create_token", "POST", A1 + "/tokens", grant(EVERYONE, 201, 201),
         data={"email": "{participant_email}", "password": PASSWORD, "name": "x"}, json=True),
    Case("api_tokens.list_tokens", "GET", A1 + "/tokens", api(LOGGED_IN, 200),
         secrets=("{token_prefix_a}",), may_see=TEAM_A),
    Case("api_tokens.revoke_token", "DELETE", A1 + "/tokens/{token_a}", api(TEAM_A, 204, 404)),
    Case("api_tokens.me", "GET", A1 + "/me", api(LOGGED_IN, 200)),
    Case("api_tokens.update_me", "PATCH", A1 + "/me", api(LOGGED_IN, 200),
         data={"locale": "en"}, json=True),
    Case("api-docs.openapi_json", "GET", A1 + "/openapi.json", grant(EVERYONE, 200, 200)),
    Case("api_docs.show", "GET", "/api/docs", grant(EVERYONE, 200, 200)),
    # --- API: competitions ------------------------------------------------------------------
    Case("api_competitions.list_competitions", "GET", A1 + "/competitions",
         grant(EVERYONE, 200, 200)),
    Case("api_competitions.create_competition", "POST", A1 + "/competitions",
         api({"admin"}, 201), data={"slug": "brand-new", "title": "Brand new"}, json=True),
    Case("api_competitions.get_competition", "GET", A1 + "/competitions/{slug}",
         grant(EVERYONE, 200, 200)),
    Case("api_competitions.publish", "POST", A1 + "/competitions/{slug}/publish",
         api(ORGANIZERS, 409)),
    Case("api_competitions.update_competition", "PATCH", A1 + "/competitions/{slug}",
         api(ORGANIZERS, 200), data={"title": "Renamed"}, json=True),
    Case("api_competitions.update_competition", "PATCH", A1 + "/competitions/elsewhere",
         api({"other_organizer", "admin"}, 200), data={"title": "Renamed"}, json=True,
         label="other-competition"),
    Case("api_competitions.list_divisions", "GET", A1 + "/competitions/{slug}/divisions",
         grant(EVERYONE, 200, 200)),
    Case("api_competitions.add_division", "POST", A1 + "/competitions/{slug}/divisions",
         api(ORGANIZERS, 201), data={"name": "Open"}, json=True),
    Case("api_competitions.update_division", "PATCH",
         A1 + "/competitions/{slug}/divisions/{division}", api(ORGANIZERS, 200),
         data={"eligibility": "Anyone"}, json=True),
    Case("api_competitions.remove_division", "DELETE",
         A1 + "/competitions/{slug}/divisions/{empty_division}", api(ORGANIZERS, 204)),
    Case("api_competitions.update_sponsor", "PATCH",
         A1 + "/competitions/{slug}/sponsors/{sponsor}", api(ORGANIZERS, 200),
         data={"website": "https://new.example"}, json=True),
    Case("api_competitions.remove_sponsor", "DELETE",
         A1 + "/competitions/{slug}/sponsors/{empty_sponsor}", api(ORGANIZERS, 204)),
    Case("api_competitions.list_sponsors", "GET", A1 + "/competitions/{slug}/sponsors",
         grant(EVERYONE, 200, 200)),
    Case("api_competitions.add_sponsor", "POST", A1 + "/competitions/{slug}/sponsors",
         api(ORGANIZERS, 201), data={"name": "New Co"}, json=True),
    Case("api_competitions.list_sponsor_members", "GET",
         A1 + "/competitions/{slug}/sponsors/{sponsor}/members", api(MANAGERS, 200)),
    Case("api_competitions.add_sponsor_member", "POST",
         A1 + "/competitions/{slug}/sponsors/{sponsor}/members", api(ORGANIZERS, 201),
         data={"email": "{newcomer_email}"}, json=True),
    Case("api_competitions.list_roles", "GET", A1 + "/competitions/{slug}/roles",
         api(ORGANIZERS, 200)),
    Case("api_competitions.list_invitations", "GET", A1 + "/competitions/{slug}/invitations",
         api(ORGANIZERS, 200)),
    Case("api_competitions.revoke_invitation", "DELETE",
         A1 + "/competitions/{slug}/invitations/999", api(ORGANIZERS, 404)),
    Case("api_competitions.assign_role", "POST", A1 + "/competitions/{slug}/roles",
         api(ORGANIZERS, 201), data={"email": "{newcomer_email}", "role": "judge"}, json=True),
    Case("api_competitions.remove_role", "DELETE",
         A1 + "/competitions/{slug}/roles/{judge_role}", api(ORGANIZERS, 204)),
    Case("api_competitions.accept_rules", "POST", A1 + "/competitions/{slug}/rules/accept",
         api(LOGGED_IN, 200)),
    Case("api_notices.list_notices", "GET", A1 + "/competitions/{slug}/notices",
         grant(EVERYONE, 200, 200)),
    Case("api_notices.post_notice", "POST", A1 + "/competitions/{slug}/notices",
         api(ORGANIZERS, 201), data={"title": "Notice", "body": "Hello"}, json=True),
    Case("api_notices.post_notice", "POST", A1 + "/competitions/{slug}/notices",
         api(MANAGERS, 201, 422), label="draft", json=True,
         data={"title": "Draft news", "body": "x", "problem_id": "{draft_id}"}),
    # --- API: problems ----------------------------------------------------------------------
    Case("api_problems.list_problems", "GET", A1 + "/competitions/{slug}/problems",
         grant(EVERYONE, 200, 200), secrets=("hidden-draft",), may_see=MANAGERS),
    Case("api_problems.create_problem", "POST", A1 + "/competitions/{slug}/problems",
         api(MANAGERS, 201), data=problem_form()),
    Case("api_problems.get_problem", "GET", A1 + "/problems/{pid}", grant(EVERYONE, 200, 200),
         secrets=('"solution"',), may_see=MANAGERS),
    Case("api_problems.get_problem", "GET", A1 + "/problems/{draft_id}",
         grant(MANAGERS, 200, 404), label="draft"),
    Case("api_problems.update_problem", "PATCH", A1 + "/problems/{pid}", api(MANAGERS, 200),
         data={"title": "Renamed"}, json=True),
    Case("api_problems.update_problem", "PATCH", A1 + "/problems/{foreign_id}",
         api({"other_organizer", "admin"}, 200), data={"title": "Renamed"}, json=True,
         label="other-competition"),
    Case("api_problems.publish", "POST", A1 + "/problems/{draft_id}/publish",
         api(MANAGERS, 200, 404, sponsor=403)),
    Case("api_problems.submit_for_review", "POST",
         A1 + "/problems/{draft_id}/submit-for-review", api(MANAGERS, 200, 404)),
    Case("api_problems.send_back", "POST", A1 + "/problems/{draft_id}/send-back",  # not in review
         api(ORGANIZERS, 409, 404, sponsor=403), data={"comment": "Units?"}, json=True),
    Case("api_problems.unpublish", "POST", A1 + "/problems/{pid}/unpublish",
         api(MANAGERS, 200, **LIVE)),
    Case("api_problems.list_files", "GET", A1 + "/problems/{pid}/files",
         grant(EVERYONE, 200, 200)),
    Case("api_problems.add_file", "POST", A1 + "/problems/{pid}/files", api(MANAGERS, 201),
         data={"file": lambda: csv_file("extra.csv")}),
    Case("api_problems.download_file", "GET", A1 + "/problems/{pid}/files/{file}",
         api(TEAMS | STAFF, 200), secrets=("x,label",), may_see=TEAMS | STAFF),
    Case("api_problems.remove_file", "DELETE", A1 + "/problems/{pid}/files/{file}",
         api(MANAGERS, 204)),
    Case("api_problems.download_solution", "GET", A1 + "/problems/{pid}/solution",
         api(MANAGERS, 200), secrets=(HIDDEN_SOLUTION,), may_see=MANAGERS),
    Case("api_problems.download_solution", "GET", A1 + "/problems/{foreign_id}/solution",
         api({"other_organizer", "admin"}, 200), label="other-competition"),
    Case("api_problems.scoring_setup", "GET", A1 + "/problems/{pid}/scoring-setup",
         api(MANAGERS, 200), secrets=("{salt}",), may_see=MANAGERS),
    Case("api_problems.scoring_setup", "GET", A1 + "/problems/{foreign_id}/scoring-setup",
         api({"other_organizer", "admin"}, 200), label="other-competition",
         secrets=("{foreign_salt}",), may_see=frozenset({"other_organizer", "admin"})),
    Case("api_problems.replace_solution", "PUT", A1 + "/problems/{pid}/solution",
         api(MANAGERS, 200, **LIVE),
         data={"solution": lambda: csv_file("s.csv", solution_csv())}),
    # --- API: teams -------------------------------------------------------------------------
    Case("api_teams.list_teams", "GET", A1 + "/competitions/{slug}/teams",
         grant(EVERYONE, 200, 200), secrets=(SECRET_INVITE,), may_see=frozenset()),
    Case("api_teams.create_team", "POST", A1 + "/competitions/{slug}/teams",
         api(frozenset(), 201, 403, participant=409, rival=409),
         data={"name": "Fresh Team", "division_id": "{division}"}, json=True),
    Case("api_teams.join_team", "POST", A1 + "/competitions/{slug}/teams/join",
         api(frozenset(), 200, 403, participant=409, rival=409),
         data={"code": "{invite_a}"}, json=True),
    Case("api_teams.my_team", "GET", A1 + "/competitions/{slug}/my-team", api(TEAMS, 200, 404),
         secrets=(SECRET_INVITE,), may_see=TEAM_A),
    Case("api_teams.get_team", "GET", A1 + "/teams/{team_a}", grant(EVERYONE, 200, 200),
         secrets=(SECRET_INVITE,), may_see=TEAM_A),
    Case("api_teams.list_members", "GET", A1 + "/teams/{team_a}/members",
         grant(EVERYONE, 200, 200)),
    Case("api_teams.leave_team", "DELETE", A1 + "/teams/{team_a}/members/me",
         api(TEAM_A, 204, 404)),
    # A leader's changes: team A has one member (its leader, the participant); the rival leads
    # team B. Only team A's leader gets past the leader check; who then hits a rule.
    Case("api_teams.remove_member", "DELETE", A1 + "/teams/{team_a}/members/{rival_id}",
         api(TEAM_A, 404)),
    Case("api_teams.hand_over", "PUT", A1 + "/teams/{team_a}/leader",
         api(TEAM_A, 404), data={"user_id": "{rival_id}"}, json=True),
    Case("api_teams.change_division", "PUT", A1 + "/teams/{team_a}/division",
         api(TEAM_A, 409), data={"division_id": "{division}"}, json=True),
    Case("api_teams.new_invite_code", "POST", A1 + "/teams/{team_a}/invite-code",
         api(TEAM_A, 200), secrets=(SECRET_INVITE,), may_see=frozenset()),
    Case("api_teams.merge_requests", "GET", A1 + "/teams/{team_a}/merge-requests",
         api(TEAM_A, 200)),
    Case("api_teams.request_merge", "POST", A1 + "/teams/{team_a}/merge-requests",
         api(TEAM_A, 409), data={"team_id": "{team_a}"}, json=True),
    Case("api_teams.accept_merge", "POST", A1 + "/teams/{team_a}/merge-requests/999/accept",
         api(TEAM_A, 404)),
    Case("api_teams.decline_merge", "POST", A1 + "/teams/{team_a}/merge-requests/999/decline",
         api(TEAM_A, 404)),
    Case("api_teams.cancel_merge", "POST", A1 + "/teams/{team_a}/merge-requests/999/cancel",
         api(TEAM_A, 404)),
    Case("api_teams.moderate", "POST", A1 + "/teams/{team_a}/moderation", api(ORGANIZERS, 200),
         data={"act": "disqualify", "reason": "Shared code"}, json=True),
    # --- API: submissions -------------------------------------------------------------------
    Case("api_submissions.submit", "POST", A1 + "/problems/{pid}/submissions", api(TEAMS, 202),
         data={"file": lambda: csv_file("predictions.csv")}),
    Case("api_submissions.submit", "POST", A1 + "/problems/{draft_id}/submissions",
         api(frozenset(), 202, 404), label="draft",
         data={"file": lambda: csv_file("predictions.csv")}),
    Case("api_submissions.my_submissions", "GET", A1 + "/problems/{pid}/submissions",
         api(TEAMS, 200), secrets=("pia.csv",), may_see=TEAM_A),
    Case("api_submissions.my_quota", "GET", A1 + "/problems/{pid}/quota", api(TEAMS, 200)),
    Case("api_validation_runs.submit", "POST", A1 + "/problems/{pid}/validation-runs",
         api(TEAMS, 409), data={"file": lambda: csv_file("code.zip", b"PK")}),
    Case("api_validation_runs.my_runs", "GET", A1 + "/problems/{pid}/validation-runs",
         api(TEAMS, 200)),
    Case("api_validation_runs.get_run", "GET", A1 + "/validation-runs/{sub_a}",
         api(frozenset(), 200, 404), secrets=("pia.csv",)),  # not a validation run
    Case("api_submissions.get_submission", "GET", A1 + "/submissions/{sub_a}",
         api(TEAM_A | MANAGERS, 200, 404), secrets=HIDDEN_PRIVATE, may_see=MANAGERS),
    Case("api_submissions.get_submission", "GET", A1 + "/submissions/{sub_b}",
         api({"rival"} | MANAGERS, 200, 404), label="team-b", secrets=("rita.csv",),
         may_see=MANAGERS | {"rival"}),
    Case("api_submissions.download_file", "GET", A1 + "/submissions/{sub_a}/file",
         api(TEAM_A | MANAGERS, 200, 404), secrets=("pia-only-content",),
         may_see=TEAM_A | MANAGERS),
    Case("api_submissions.download_file", "GET", A1 + "/submissions/{sub_b}/file",
         api({"rival"} | MANAGERS, 200, 404), label="team-b", secrets=("rita-only-content",),
         may_see=MANAGERS | {"rival"}),
    Case("api_submissions.get_submission", "GET", A1 + "/submissions/{baseline}",
         api(MANAGERS, 200, 404), label="baseline", secrets=("baseline-run.csv",),
         may_see=MANAGERS),
    Case("api_submissions.download_file", "GET", A1 + "/submissions/{baseline}/file",
         api(MANAGERS, 200, 404), label="baseline", secrets=("baseline-only-content",),
         may_see=MANAGERS),
    Case("api_submissions.select_final", "POST", A1 + "/submissions/{sub_a}/final",
         api(TEAM_A, 200, 404)),
    Case("api_submissions.unselect_final", "DELETE", A1 + "/submissions/{sub_a}/final",
         api(TEAM_A, 200, 404)),
    Case("api_submissions.cancel", "POST", A1 + "/submissions/{queued_a}/cancel",
         api(TEAM_A | MANAGERS, 200, 404)),
    # --- API: leaderboards ------------------------------------------------------------------
    Case("api_leaderboard.get_board", "GET", A1 + "/problems/{pid}/leaderboard",
         grant(EVERYONE, 200, 200), secrets=HIDDEN_PRIVATE, may_see=frozenset()),
    Case("api_leaderboard.get_board", "GET", A1 + "/problems/{pid}/leaderboard?board=private",
         grant(MANAGERS, 200, 403), label="private", secrets=HIDDEN_PRIVATE, may_see=MANAGERS),
    Case("api_leaderboard.get_board", "GET", A1 + "/problems/{draft_id}/leaderboard",
         grant(MANAGERS, 200, 404), label="draft"),
    Case("api_leaderboard.board_csv", "GET", A1 + "/problems/{pid}/leaderboard.csv?board=private",
         api(MANAGERS, 200), secrets=HIDDEN_PRIVATE, may_see=MANAGERS),
    Case("api_leaderboard.reveal", "POST", A1 + "/problems/{pid}/reveal", api(ORGANIZERS, 200)),
    # --- scoring programs, code submissions, re-scoring (organizers' and sponsors' tools) ----
    Case("problems.attach_program", "POST", P + "/program", web(MANAGERS, 200),
         data={"program": lambda: csv_file("program.zip", b"not a zip")}),
    Case("problems.detach_program", "POST", P + "/program/remove", web(MANAGERS, REDIRECT)),
    Case("problems.take_code", "POST", P + "/code", web(MANAGERS, 200),
         data={"hidden_inputs": lambda: csv_file("test.csv", b"id\n1\n")}),
    Case("problems.take_predictions", "POST", P + "/code/remove", web(MANAGERS, REDIRECT)),
    Case("problems.set_takes_results", "POST", P + "/code/results/off",
         web(MANAGERS, REDIRECT)),
    Case("api_problems.attach_program", "PUT", A1 + "/problems/{pid}/scoring-program",
         api(MANAGERS, 422, **LIVE), data={"program": lambda: csv_file("program.zip", b"not a zip"),
                                   "columns": lambda: '[{"key": "score"}]'}),
    Case("api_problems.detach_program", "DELETE", A1 + "/problems/{pid}/scoring-program",
         api(MANAGERS, 200, **LIVE)),
    Case("api_problems.take_code", "PUT", A1 + "/problems/{pid}/code", api(MANAGERS, 200, **LIVE),
         data={"inputs": lambda: csv_file("test.csv", b"id\n1\n")}),
    Case("api_problems.take_predictions", "DELETE", A1 + "/problems/{pid}/code",
         api(MANAGERS, 200, **LIVE)),
    Case("api_problems.remove_ingestion_program", "DELETE",
         A1 + "/problems/{pid}/code/ingestion-program", api(MANAGERS, 200, **LIVE)),
    Case("staff_submissions.index", "GET", P + "/all-submissions", web(MANAGERS, 200),
         secrets=(*HIDDEN_PRIVATE, "rita.csv"), may_see=MANAGERS),
    Case("staff_submissions.log", "GET", P + "/all-submissions/{sub_b}", web(MANAGERS, 200),
         secrets=("rita.csv",), may_see=MANAGERS),
    Case("staff_submissions.log", "GET", P + "/all-submissions/{baseline}", web(MANAGERS, 200),
         label="baseline", secrets=("baseline-run.csv",), may_see=MANAGERS),
    Case("staff_submissions.rescore", "POST", P + "/all-submissions/{sub_b}/rescore",
         web(MANAGERS, REDIRECT)),
    Case("staff_submissions.rescore_all", "POST", P + "/all-submissions/rescore",
         web(MANAGERS, REDIRECT)),
    Case("staff_submissions.rescore_all", "GET", P + "/all-submissions/rescore",
         web(MANAGERS, 200), label="ask"),
    Case("staff_submissions.cancel", "POST", P + "/all-submissions/{queued_a}/cancel",
         web(MANAGERS, REDIRECT)),
    Case("staff_submissions.run_baseline", "POST", P + "/baseline", web(MANAGERS, REDIRECT)),
    # Carrying a phase's entries: organizers only (the problem takes none: said, nothing made).
    Case("carrying.carry", "GET", P + "/carry", web(ORGANIZERS, REDIRECT), label="ask"),
    Case("carrying.carry", "POST", P + "/carry", web(ORGANIZERS, REDIRECT),
         data={"choice": "private"}),
    Case("staff_submissions.run_bundle_solution", "POST", P + "/baseline/bundle-solution",
         web(MANAGERS, REDIRECT)),  # the problem has no bundle's solution: said, nothing runs
    Case("api_rescoring.all_submissions", "GET", A1 + "/problems/{pid}/all-submissions",
         api(MANAGERS, 200), secrets=(*HIDDEN_PRIVATE, "rita.csv"), may_see=MANAGERS),
    Case("api_rescoring.submission_log", "GET", A1 + "/submissions/{sub_b}/log",
         api(MANAGERS, 200, 404, rival=403)),  # the team sees its own submission exists
    Case("api_rescoring.rescore_submission", "POST", A1 + "/submissions/{sub_b}/rescore",
         api(MANAGERS, 202, 404, rival=403)),
    Case("api_rescoring.rescore_problem", "POST", A1 + "/problems/{pid}/rescore",
         api(MANAGERS, 202)),
    Case("dashboard.show", "GET", P + "/dashboard", web(MANAGERS, 200),
         secrets=("rita.csv",), may_see=MANAGERS),
    # --- stage two: finals console, judging, results, audit log -------------------------------
    Case("finals.console", "GET", C + "/finals", web(ORGANIZERS, 200)),
    Case("finals.save_settings", "POST", C + "/finals/settings", web(ORGANIZERS, REDIRECT)),
    Case("finals.set_deciding", "POST", C + "/finals/series/999999/decides",
         web(ORGANIZERS, REDIRECT), data={"row_id": "999999"}),  # no such series: said
    Case("finals.shortlist", "POST", P.replace("/p/", "/finals/p/") + "/shortlist",
         web(ORGANIZERS, REDIRECT)),
    Case("finals.shortlist", "GET", P.replace("/p/", "/finals/p/") + "/shortlist",
         web(ORGANIZERS, 200), label="ask"),
    Case("finals.compute_stability", "POST",
         P.replace("/p/", "/finals/p/") + "/stability", web(ORGANIZERS, REDIRECT)),
    Case("finals.materials_page", "GET", C + "/finals/materials", web(frozenset(), 200, 404)),
    Case("finals.download_material", "GET", C + "/finals/finalists/999999/report",
         web(frozenset(), 200, 404)),
    Case("finals.set_medals", "POST", P.replace("/p/", "/finals/p/") + "/medals",
         web(ORGANIZERS, REDIRECT), data={"medals": "on"}),
    Case("finals.reproduce", "POST", P.replace("/p/", "/finals/p/") + "/reproduce",
         web(ORGANIZERS, REDIRECT)),
    Case("finals.set_tolerance", "POST", P.replace("/p/", "/finals/p/") + "/tolerance",
         web(ORGANIZERS, REDIRECT), data={"tolerance": "0.02"}),
    Case("finals.with_reason", "POST", C + "/finals/finalists/999999/disqualify",
         web(ORGANIZERS, 404), data={"reason": "x"}),
    Case("finals.reinstate", "POST", C + "/finals/finalists/999999/reinstate",
         web(ORGANIZERS, 404)),
    Case("finals.add_criterion", "POST", C + "/finals/criteria", web(ORGANIZERS, REDIRECT),
         data={"criterion-name": "기술성", "criterion-weight": "50",
               "criterion-max_points": "10"}),
    Case("finals.remove_criterion", "POST", C + "/finals/criteria/999999/remove",
         web(ORGANIZERS, REDIRECT)),
    Case("finals.add_tier", "POST", P.replace("/p/", "/finals/p/") + "/tiers",
         web(ORGANIZERS, REDIRECT)),
    Case("finals.remove_tier", "POST", P.replace("/p/", "/finals/p/") + "/tiers/999999/remove",
         web(ORGANIZERS, REDIRECT)),
    Case("finals.add_prize", "POST", C + "/finals/prizes", web(ORGANIZERS, REDIRECT)),
    Case("finals.assign_judge", "POST", C + "/finals/judges", web(ORGANIZERS, REDIRECT)),
    Case("finals.unassign_judge", "POST",
         P.replace("/p/", "/finals/p/") + "/judges/999999/remove", web(ORGANIZERS, REDIRECT)),
    Case("finals.finalize", "POST", C + "/finals/finalize", web(ORGANIZERS, REDIRECT)),
    Case("finals.finalize", "GET", C + "/finals/finalize", web(ORGANIZERS, 200), label="ask"),
    Case("finals.reopen", "GET", C + "/finals/reopen", web(ORGANIZERS, 200), label="ask"),
    Case("finals.reopen", "POST", C + "/finals/reopen", web(ORGANIZERS, REDIRECT),
         data={"reason": "x"}),
    Case("finals.audit_log", "GET", C + "/audit", web(ORGANIZERS, 200)),
    Case("finals.judging_page", "GET", C + "/judging", web({"judge"}, 200)),
    Case("finals.save_sheet", "POST", C + "/judging", web({"judge"}, REDIRECT),
         data={"p-999999-1": "5"}),  # a team the judge does not judge: refused, redirected
    Case("finals.reviews", "GET", C + "/finals/reviews", web(ORGANIZERS, 200)),
    Case("finals.reviews", "POST", C + "/finals/reviews", web(ORGANIZERS, REDIRECT),
         label="post", data={"shared": "on"}),
    Case("finals.feedback", "GET", C + "/finals/feedback", web(frozenset(), 200, 404)),
    # Certificates exist only once the results are published (here they are not).
    Case("certificates.download", "GET", C + "/results/certificates/tier-1/ko.pdf",
         grant(EVERYONE, 404, 404)),
    Case("certificates.archive", "GET", C + "/results/certificates.zip", web(ORGANIZERS, 404)),
    Case("finals.results_page", "GET", C + "/results", grant(EVERYONE, 200, 200),
         secrets=HIDDEN_PRIVATE, may_see=frozenset()),
    # --- bundles, operations, workers' files --------------------------------------------------
    Case("bundles.upload", "GET", C + "/manage/bundle", web(ORGANIZERS, 200)),
    Case("bundles.upload", "POST", C + "/manage/bundle", web(ORGANIZERS, 200), label="post",
         data={"bundle": lambda: csv_file("bundle.zip", b"not a zip")}),
    Case("ops.health_view", "GET", "/health", grant(EVERYONE, 200, 200)),
    Case("ops.metrics_view", "GET", "/metrics", grant(EVERYONE, 403, 403)),  # not from this host
    Case("worker_files.fetch", "GET", "/internal/files/forged-token",
         grant(EVERYONE, 404, 404), headers=XHR),
]
# fmt: on


# --- running a case ------------------------------------------------------------------------


def world_ids(world, make) -> dict[str, object]:
    """Everything the paths need, as plain values (the rows are gone once the file is copied)."""
    people = world.people
    tokens = {role: make.token(user) for role, user in people.items() if user is not None}
    sessions = {role: make.session(user) for role, user in people.items() if user is not None}
    from judge.accounts.models import ApiToken

    token_a = db.session.scalars(
        db.select(ApiToken).where(ApiToken.user_id == people["participant"].id)
    ).first()
    return {
        "slug": world.competition.slug,
        "p": world.problem.slug,
        "pid": world.problem.id,
        "draft": world.draft.slug,
        "draft_id": world.draft.id,
        "foreign_id": world.foreign.id,
        "salt": world.problem.split_salt,
        "foreign_salt": world.foreign.split_salt,
        "file": world.problem.files[0].id,
        "sponsor": world.competition.sponsors[0].id,
        "division": world.competition.divisions[0].id,
        "empty_division": world.competition.divisions[1].id,  # no team belongs to it
        "empty_sponsor": world.competition.sponsors[1].id,  # it has no problems
        "judge_role": world.judge_role.id,
        "notice": world.notice.id,
        "question": world.question.id,
        "team_a": world.team.id,
        "invite_a": world.team.invite_code,
        "sub_a": world.sub_a.id,
        "sub_b": world.sub_b.id,
        "queued_a": world.queued_a.id,
        "baseline": world.baseline.id,
        "token_a": token_a.id,
        "token_prefix_a": token_a.prefix,
        "newcomer_email": people["newcomer"].email,
        "participant_email": people["participant"].email,
        "rival_id": people["rival"].id,
        "user_ids": {role: user.id for role, user in people.items() if user is not None},
        "tokens": tokens,
        "sessions": sessions,
    }


class Database:
    """Copies of the test's SQLite file: every state-changing request starts from the same."""

    def __init__(self) -> None:
        self.path = Path(db.engine.url.database)
        self.copy = self.path.with_suffix(".snapshot")
        self._close()
        shutil.copyfile(self.path, self.copy)

    def _close(self) -> None:
        db.session.remove()
        db.engine.dispose()

    def restore(self) -> None:
        self._close()
        for extra in ("-wal", "-shm"):
            Path(str(self.path) + extra).unlink(missing_ok=True)
        shutil.copyfile(self.copy, self.path)


def fill(value, ids):
    if callable(value):
        return value()
    if isinstance(value, str):
        return value.format(**ids)
    return value


def send(client, case: Case, role: str, ids: dict):
    headers = dict(case.headers)
    if case.path.startswith("/api/") and role != "anonymous":
        headers["Authorization"] = f"Bearer {ids['tokens'][role]}"
    elif role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = str(ids["user_ids"][role])
            session["_session"] = ids["sessions"][role]  # the id of a live session record
            session["_fresh"] = True
    data = {k: fill(v, ids) for k, v in (case.data or {}).items()}
    kwargs = {"json": data} if case.json else {"data": data}
    return client.open(case.path.format(**ids), method=case.method, headers=headers, **kwargs)


def check_status(response, expected, case: Case, role: str) -> None:
    where = f"{case.method} {case.path} as {role}"
    if expected in (LOGIN, REDIRECT):
        assert response.status_code == 302, f"{where}: {response.status_code} {response.text}"
        to_login = "/login" in response.headers["Location"]
        assert to_login == (expected == LOGIN), f"{where}: to {response.headers['Location']}"
    else:
        assert response.status_code == expected, f"{where}: {response.status_code} {response.text}"


def check_refusal(response, case: Case, role: str) -> None:
    """A refused API call answers {"error": {"code", "message"}} and nothing else."""
    if response.status_code < 400 or not (case.path.startswith("/api/") or case.headers):
        return
    body = response.get_json(silent=True)
    assert body is not None, f"{case.id} as {role}: not JSON: {response.text[:200]}"
    assert set(body) == {"error"} and set(body["error"]) <= {"code", "message", "field"}, body
    assert body["error"]["code"] and body["error"]["message"]


def check_secrets(response, case: Case, role: str, ids: dict) -> None:
    if role in case.may_see:
        return
    text = response.get_data().decode(errors="replace")  # binary answers (XLSX) too
    for secret in case.secrets:
        assert secret.format(**ids) not in text, f"{case.id} leaks {secret!r} to {role}"


@dataclass
class Matrix:
    app: object
    ids: dict
    database: Database
    dirty: bool = False

    def client(self, role: str):
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{ROLES.index(role) + 1}"  # own rate budget
        return client

    def fresh(self) -> None:
        """Start from the snapshot if the last request may have changed something."""
        if self.dirty:
            self.database.restore()
        self.dirty = False


@pytest.fixture(scope="module")
def matrix(module_app, module_world) -> Matrix:
    world, make = module_world
    return Matrix(module_app, world_ids(world, make), Database())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_endpoint_answers_each_role_as_classified(matrix: Matrix, case: Case):
    for role in ROLES:
        matrix.fresh()
        matrix.dirty = case.method != "GET"
        response = send(matrix.client(role), case, role, matrix.ids)
        check_status(response, case.expect[role], case, role)
        check_refusal(response, case, role)
        check_secrets(response, case, role, matrix.ids)


def test_every_endpoint_is_classified(module_app):
    """A new endpoint must be added to CASES (deciding who may call it) before it ships."""
    classified = {case.endpoint for case in CASES}
    endpoints = {rule.endpoint for rule in module_app.url_map.iter_rules()}
    assert endpoints - classified == set(), "add these endpoints to the authorization matrix"
    assert classified - endpoints == set(), "these classified endpoints no longer exist"


def test_revoking_someone_elses_token_changes_nothing(matrix: Matrix):
    """The web revoke answers every logged-in user with a redirect; only the owner's works."""
    case = next(c for c in CASES if c.endpoint == "accounts.revoke_token")
    token = matrix.ids["tokens"]["participant"]
    for role in LOGGED_IN:
        matrix.fresh()
        matrix.dirty = True
        client = matrix.client(role)
        send(client, case, role, matrix.ids)
        still_works = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert still_works.status_code == (401 if role == "participant" else 200), role
