"""Route × role matrix: every route has an expected answer for every role.

A new route without a row here fails ``test_every_route_is_in_the_matrix``. The world has
two sectors; each role signs in as a person of sector A (the coordinator of A, the coach
and the mentee of pairing A), and paths name sector A's objects. Each request is the
plainest a role could make: a GET, or a POST with a valid CSRF token and an empty form
(web) / an empty JSON object (API). IDOR tests against sector B are in test_idor.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scbi.auth.models import Role
from scbi.extensions import db
from scbi.mail import MailMessage
from tests import factories
from tests.helpers import ROLES, api_token, bearer, csrf_token, login

A, M, C, K, S = ROLES  # anonymous, mentee, coach, coordinator (K), secretariat


def answers(anonymous, mentee, coach, coordinator, secretariat):
    return {A: anonymous, M: mentee, C: coach, K: coordinator, S: secretariat}


SIGNED_IN = answers(302, 200, 200, 200, 200)
STAFF_PAGE = answers(302, 403, 403, 200, 200)
STAFF_FORM = answers(302, 403, 403, 422, 422)
STAFF_ACTION = answers(302, 403, 403, 302, 302)
SEC_PAGE = answers(302, 403, 403, 403, 200)
COACH_ACTION = answers(302, 403, 302, 403, 403)
COACH_PAGE = answers(302, 403, 200, 403, 403)
SEC_FORM = answers(302, 403, 403, 403, 422)
SEC_ACTION = answers(302, 403, 403, 403, 302)
NOT_FOUND = answers(404, 404, 404, 404, 404)
API_ANY = answers(401, 200, 200, 200, 200)
API_SEC = answers(401, 403, 403, 403, 200)
API_SEC_WRITE = answers(401, 403, 403, 403, 422)
API_STAFF_WRITE = answers(401, 403, 403, 422, 422)
API_COACH_WRITE = answers(401, 403, 422, 403, 403)
RUNNER_PAGE = answers(302, 403, 200, 200, 200)  # a short engagement's coach and its managers
RUNNER_FORM = answers(302, 403, 422, 422, 422)
API_RUNNER = answers(401, 403, 422, 422, 422)

# (endpoint, method): (path, {role: status}); {x} are sector A's objects, {target} a user.
MATRIX = {
    ("main.home", "GET"): ("/", SIGNED_IN),
    ("main.audit_trail", "GET"): ("/audit", SEC_PAGE),
    ("main.audit_csv", "GET"): ("/audit.csv", SEC_PAGE),
    ("main.service_worker", "GET"): ("/sw.js", answers(200, 200, 200, 200, 200)),
    ("auth.login", "GET"): ("/login", answers(200, 302, 302, 302, 302)),
    ("auth.login", "POST"): ("/login", answers(422, 302, 302, 302, 302)),
    ("auth.logout", "POST"): ("/logout", answers(302, 302, 302, 302, 302)),
    ("auth.change_password", "GET"): ("/account/password", SIGNED_IN),
    ("auth.change_password", "POST"): ("/account/password", answers(302, 422, 422, 422, 422)),
    ("auth.users", "GET"): ("/users", SEC_PAGE),
    ("auth.user_new", "GET"): ("/users/new", SEC_PAGE),
    ("auth.user_new", "POST"): ("/users/new", SEC_FORM),
    ("auth.user_edit", "GET"): ("/users/{target}", SEC_PAGE),
    ("auth.user_edit", "POST"): ("/users/{target}", SEC_FORM),
    ("auth.user_reset_password", "POST"): (
        "/users/{target}/reset-password",
        answers(302, 403, 403, 403, 200),
    ),
    ("auth.user_unlock", "POST"): ("/users/{target}/unlock", SEC_ACTION),
    # with mail off (the matrix's world): no invitation to resend, no reset link to ask for
    ("auth.user_invite", "POST"): ("/users/{target}/invite", answers(302, 403, 403, 403, 409)),
    ("auth.language", "POST"): ("/language", answers(302, 302, 302, 302, 302)),
    ("auth.account", "GET"): ("/account", SIGNED_IN),
    ("auth.account", "POST"): ("/account", answers(302, 302, 302, 302, 302)),
    ("auth.forgot_password", "GET"): ("/password/forgot", answers(200, 200, 200, 200, 200)),
    ("auth.forgot_password", "POST"): ("/password/forgot", answers(200, 200, 200, 200, 200)),
    ("auth.accept_invitation", "GET"): ("/invitation/not-a-token", NOT_FOUND),
    ("auth.accept_invitation", "POST"): ("/invitation/not-a-token", NOT_FOUND),
    ("auth.reset_with_link", "GET"): ("/password/reset/not-a-token", NOT_FOUND),
    ("auth.reset_with_link", "POST"): ("/password/reset/not-a-token", NOT_FOUND),
    ("auth.unsubscribe", "GET"): ("/unsubscribe/not-a-token", NOT_FOUND),
    ("auth.unsubscribe", "POST"): ("/unsubscribe/not-a-token", NOT_FOUND),
    # a session the world has not: none to read, for anyone
    ("transfer.session", "GET"): ("/sessions/2000000000", answers(302, 404, 404, 404, 404)),
    ("notify.outbox_page", "GET"): ("/mail", SEC_PAGE),
    ("notify.message", "GET"): ("/mail/{mail}", SEC_PAGE),
    # the world's mails are held (mail off): only a failed one is sent again
    ("notify.message_send_again", "POST"): (
        "/mail/{mail}/send-again",
        answers(302, 403, 403, 403, 409),
    ),
    # programme set-up
    ("programme.overview", "GET"): ("/programme", SIGNED_IN),
    ("programme.phase_new", "GET"): ("/phases/new", SEC_PAGE),
    ("programme.phase_new", "POST"): ("/phases/new", SEC_FORM),
    ("programme.phase_edit", "GET"): ("/phases/{phase}/edit", SEC_PAGE),
    ("programme.phase_edit", "POST"): ("/phases/{phase}/edit", SEC_FORM),
    ("programme.sector", "GET"): ("/sectors/{sector}", SIGNED_IN),
    ("programme.sector_new", "GET"): ("/sectors/new", SEC_PAGE),
    ("programme.sector_new", "POST"): ("/sectors/new", SEC_FORM),
    ("programme.sector_edit", "GET"): ("/sectors/{sector}/edit", SEC_PAGE),
    ("programme.sector_edit", "POST"): ("/sectors/{sector}/edit", SEC_FORM),
    ("programme.sector_coordinator_add", "POST"): ("/sectors/{sector}/coordinators", SEC_FORM),
    ("programme.sector_coordinator_new", "GET"): (
        "/sectors/{sector}/coordinators/new",
        SEC_PAGE,
    ),
    ("programme.sector_coordinator_new", "POST"): (
        "/sectors/{sector}/coordinators/new",
        SEC_FORM,
    ),
    ("programme.institution", "GET"): ("/institutions/{institution}", SIGNED_IN),
    ("programme.institution_new", "GET"): ("/institutions/new", SEC_PAGE),
    ("programme.institution_new", "POST"): ("/institutions/new", SEC_FORM),
    ("programme.institution_edit", "GET"): ("/institutions/{institution}/edit", SEC_PAGE),
    ("programme.institution_edit", "POST"): ("/institutions/{institution}/edit", SEC_FORM),
    ("programme.result_new", "GET"): ("/priority-results/new", SEC_PAGE),
    ("programme.result_new", "POST"): ("/priority-results/new", SEC_FORM),
    ("programme.result", "GET"): ("/priority-results/{result}", SIGNED_IN),
    ("programme.result", "POST"): ("/priority-results/{result}", SEC_FORM),
    # a result's indicators (the results chain): sector A's result, its coordinator manages
    ("programme.indicator_new", "GET"): ("/priority-results/{result}/indicators/new", STAFF_PAGE),
    ("programme.indicator_new", "POST"): ("/priority-results/{result}/indicators/new", STAFF_FORM),
    ("programme.indicator_edit", "GET"): ("/indicators/{indicator}/edit", STAFF_PAGE),
    ("programme.indicator_edit", "POST"): ("/indicators/{indicator}/edit", STAFF_FORM),
    ("programme.indicator_value", "GET"): ("/indicators/{indicator}/values", STAFF_PAGE),
    ("programme.indicator_value", "POST"): ("/indicators/{indicator}/values", STAFF_FORM),
    # deletions: a confirmation page; a POST without the version read deletes nothing
    ("programme.indicator_delete", "GET"): ("/indicators/{indicator}/delete", STAFF_PAGE),
    ("programme.indicator_delete", "POST"): ("/indicators/{indicator}/delete", STAFF_FORM),
    ("programme.indicator_value_delete", "GET"): (
        "/indicator-values/{indicator_value}/delete",
        STAFF_PAGE,
    ),
    ("programme.indicator_value_delete", "POST"): (
        "/indicator-values/{indicator_value}/delete",
        STAFF_FORM,
    ),
    ("programme.indicator_evidence", "GET"): (
        "/indicator-values/{indicator_value}/download",
        SIGNED_IN,
    ),
    ("programme.frameworks_list", "GET"): ("/frameworks", SIGNED_IN),
    ("programme.framework", "GET"): ("/frameworks/{framework}", SIGNED_IN),
    ("programme.framework_new", "GET"): ("/frameworks/new", SEC_PAGE),
    ("programme.framework_new", "POST"): ("/frameworks/new", SEC_FORM),
    ("programme.framework_edit", "GET"): ("/frameworks/{framework}/edit", SEC_PAGE),
    ("programme.framework_edit", "POST"): ("/frameworks/{framework}/edit", SEC_FORM),
    ("programme.framework_import", "GET"): ("/frameworks/import", SEC_PAGE),
    ("programme.framework_import", "POST"): ("/frameworks/import", SEC_FORM),
    ("programme.framework_import_confirm", "POST"): ("/frameworks/import/confirm", SEC_FORM),
    ("programme.framework_core", "POST"): ("/frameworks/{framework}/core", SEC_FORM),
    ("programme.framework_export", "GET"): ("/frameworks/{framework}/export", SIGNED_IN),
    ("programme.competency_new", "GET"): ("/frameworks/{framework}/competencies/new", SEC_PAGE),
    ("programme.competency_new", "POST"): ("/frameworks/{framework}/competencies/new", SEC_FORM),
    ("programme.competency_edit", "GET"): ("/competencies/{competency}/edit", SEC_PAGE),
    ("programme.competency_edit", "POST"): ("/competencies/{competency}/edit", SEC_FORM),
    ("people.people_import", "GET"): ("/people/import", SEC_PAGE),
    ("people.people_import", "POST"): ("/people/import", SEC_FORM),
    ("people.people_template", "GET"): ("/people/import/template-mentee.csv", SEC_PAGE),
    # people
    ("coaches.index", "GET"): ("/coaches", STAFF_PAGE),
    ("coaches.new", "GET"): ("/coaches/new", SEC_PAGE),
    ("coaches.new", "POST"): ("/coaches/new", SEC_FORM),
    ("coaches.detail", "GET"): ("/coaches/{coach}", SIGNED_IN),
    ("coaches.edit", "GET"): ("/coaches/{coach}/edit", SEC_PAGE),
    ("coaches.edit", "POST"): ("/coaches/{coach}/edit", SEC_FORM),
    ("mentees.index", "GET"): ("/mentees", answers(302, 403, 200, 200, 200)),
    ("mentees.new", "GET"): ("/mentees/new", SEC_PAGE),
    ("mentees.new", "POST"): ("/mentees/new", SEC_FORM),
    ("mentees.detail", "GET"): ("/mentees/{mentee}", SIGNED_IN),
    ("mentees.edit", "GET"): ("/mentees/{mentee}/edit", SEC_PAGE),
    ("mentees.edit", "POST"): ("/mentees/{mentee}/edit", SEC_FORM),
    ("mentees.status", "GET"): ("/mentees/{mentee}/status", SEC_PAGE),
    ("mentees.status", "POST"): ("/mentees/{mentee}/status", SEC_FORM),
    ("competencies.competencies", "GET"): ("/mentees/{mentee}/competencies", SIGNED_IN),
    ("competencies.assess", "GET"): ("/mentees/{mentee}/assessments/new", SIGNED_IN),
    ("competencies.assess", "POST"): (
        "/mentees/{mentee}/assessments/new",
        answers(302, 422, 422, 422, 422),
    ),
    ("competencies.review_pick_up", "POST"): (
        "/assessments/{assessment}/pick-up",
        answers(302, 403, 302, 302, 302),
    ),
    ("competencies.portfolio", "GET"): ("/mentees/{mentee}/portfolio", SIGNED_IN),
    ("competencies.portfolio_pdf", "GET"): ("/mentees/{mentee}/portfolio.pdf", SIGNED_IN),
    ("competencies.reviews", "GET"): ("/reviews", answers(302, 403, 200, 200, 200)),
    ("competencies.levels", "GET"): ("/mentees/levels", STAFF_PAGE),
    ("competencies.my_competencies", "GET"): ("/my/competencies", answers(302, 302, 403, 403, 403)),
    # follow-ups after the programme (mentee A is still in it: nothing is due, 409 not_due)
    ("retention.follow_ups", "GET"): ("/follow-ups", STAFF_PAGE),
    ("retention.answer", "GET"): (
        "/mentees/{mentee}/follow-ups/6",
        answers(302, 200, 403, 200, 200),
    ),
    ("retention.answer", "POST"): (
        "/mentees/{mentee}/follow-ups/6",
        answers(302, 409, 403, 403, 409),
    ),
    ("api.list_follow_ups", "GET"): ("/api/v1/follow-ups", answers(401, 403, 403, 200, 200)),
    ("api.mentee_follow_ups", "GET"): (
        "/api/v1/mentees/{mentee}/follow-ups",
        answers(401, 200, 403, 200, 200),
    ),
    ("api.put_follow_up", "PUT"): (
        "/api/v1/mentees/{mentee}/follow-ups/6",
        answers(401, 422, 403, 403, 422),
    ),
    # short engagements: {engagement} is sector A's brokered one, {running} its active one
    # (coach A brokered, mentee A in the counterpart team: both read them; coach A starts,
    # checks in and closes them; the managers do everything)
    ("engagements.index", "GET"): ("/engagements", SIGNED_IN),
    ("engagements.new", "GET"): ("/engagements/new", STAFF_PAGE),
    ("engagements.new", "POST"): ("/engagements/new", STAFF_FORM),
    ("engagements.detail", "GET"): ("/engagements/{engagement}", SIGNED_IN),
    ("engagements.edit", "GET"): ("/engagements/{engagement}/edit", STAFF_PAGE),
    ("engagements.edit", "POST"): ("/engagements/{engagement}/edit", STAFF_FORM),
    ("engagements.team", "GET"): ("/engagements/{engagement}/team", STAFF_PAGE),
    ("engagements.team", "POST"): ("/engagements/{engagement}/team", STAFF_FORM),
    ("engagements.broker", "GET"): ("/engagements/{engagement}/broker", STAFF_PAGE),
    ("engagements.broker", "POST"): ("/engagements/{engagement}/broker", STAFF_FORM),
    ("engagements.start", "GET"): ("/engagements/{engagement}/start", RUNNER_PAGE),
    ("engagements.start", "POST"): ("/engagements/{engagement}/start", RUNNER_FORM),
    ("engagements.check_in", "GET"): ("/engagements/{running}/check-ins/new", RUNNER_PAGE),
    ("engagements.check_in", "POST"): ("/engagements/{running}/check-ins/new", RUNNER_FORM),
    ("engagements.close", "GET"): ("/engagements/{running}/close", RUNNER_PAGE),
    ("engagements.close", "POST"): ("/engagements/{running}/close", RUNNER_FORM),
    ("engagements.decline", "GET"): ("/engagements/{engagement}/decline", STAFF_PAGE),
    ("engagements.decline", "POST"): ("/engagements/{engagement}/decline", STAFF_FORM),
    ("engagements.withdraw", "GET"): ("/engagements/{engagement}/withdraw", STAFF_PAGE),
    ("engagements.withdraw", "POST"): ("/engagements/{engagement}/withdraw", STAFF_FORM),
    ("api.list_engagements", "GET"): ("/api/v1/engagements", API_ANY),
    ("api.create_engagement", "POST"): ("/api/v1/engagements", API_STAFF_WRITE),
    ("api.get_engagement", "GET"): ("/api/v1/engagements/{engagement}", API_ANY),
    ("api.patch_engagement", "PATCH"): ("/api/v1/engagements/{engagement}", API_STAFF_WRITE),
    ("api.put_engagement_team", "PUT"): (
        "/api/v1/engagements/{engagement}/team",
        API_STAFF_WRITE,
    ),
    ("api.broker_engagement", "POST"): (
        "/api/v1/engagements/{engagement}/broker",
        API_STAFF_WRITE,
    ),
    ("api.start_engagement", "POST"): ("/api/v1/engagements/{engagement}/start", API_RUNNER),
    ("api.list_engagement_check_ins", "GET"): (
        "/api/v1/engagements/{running}/check-ins",
        API_ANY,
    ),
    ("api.add_engagement_check_in", "POST"): (
        "/api/v1/engagements/{running}/check-ins",
        API_RUNNER,
    ),
    ("api.close_engagement", "POST"): ("/api/v1/engagements/{running}/close", API_RUNNER),
    ("api.decline_engagement", "POST"): (
        "/api/v1/engagements/{engagement}/decline",
        API_STAFF_WRITE,
    ),
    ("api.withdraw_engagement", "POST"): (
        "/api/v1/engagements/{engagement}/withdraw",
        API_STAFF_WRITE,
    ),
    # peer exchanges: {exchange} is sector A's, mentee A and coach A took part (the action
    # is mentee A's, the plan link coach A's, the participant removed someone from outside)
    ("exchanges.index", "GET"): ("/exchanges", SIGNED_IN),
    ("exchanges.new", "GET"): ("/exchanges/new", STAFF_PAGE),
    ("exchanges.new", "POST"): ("/exchanges/new", STAFF_FORM),
    ("exchanges.detail", "GET"): ("/exchanges/{exchange}", SIGNED_IN),
    ("exchanges.edit", "GET"): ("/exchanges/{exchange}/edit", STAFF_PAGE),
    ("exchanges.edit", "POST"): ("/exchanges/{exchange}/edit", STAFF_FORM),
    ("exchanges.participants", "GET"): ("/exchanges/{exchange}/participants", STAFF_PAGE),
    ("exchanges.participants", "POST"): ("/exchanges/{exchange}/participants", STAFF_FORM),
    ("exchanges.participant_remove", "POST"): (
        "/exchanges/{exchange}/participants/{exchange_participant}/remove",
        STAFF_ACTION,
    ),
    ("exchanges.action_new", "GET"): ("/exchanges/{exchange}/actions/new", STAFF_PAGE),
    ("exchanges.action_new", "POST"): ("/exchanges/{exchange}/actions/new", STAFF_FORM),
    ("exchanges.action_edit", "GET"): ("/exchange-actions/{exchange_action}/edit", STAFF_PAGE),
    ("exchanges.action_edit", "POST"): ("/exchange-actions/{exchange_action}/edit", STAFF_FORM),
    # without the version read, nothing is marked done: back to the exchange's page
    ("exchanges.action_done", "POST"): (
        "/exchange-actions/{exchange_action}/done",
        answers(302, 302, 302, 302, 302),
    ),
    ("exchanges.reflection", "GET"): (
        "/exchanges/{exchange}/reflection",
        answers(302, 200, 403, 403, 403),
    ),
    ("exchanges.reflection", "POST"): (
        "/exchanges/{exchange}/reflection",
        answers(302, 422, 403, 403, 403),
    ),
    ("exchanges.plan_links", "GET"): ("/exchanges/{exchange}/plan-links", COACH_PAGE),
    ("exchanges.plan_links", "POST"): (
        "/exchanges/{exchange}/plan-links",
        answers(302, 403, 422, 403, 403),
    ),
    ("exchanges.plan_unlink", "POST"): (
        "/exchange-plan-links/{exchange_plan_link}/remove",
        answers(302, 403, 302, 302, 302),
    ),
    ("api.list_exchanges", "GET"): ("/api/v1/exchanges", API_ANY),
    ("api.create_exchange", "POST"): ("/api/v1/exchanges", API_STAFF_WRITE),
    ("api.get_exchange", "GET"): ("/api/v1/exchanges/{exchange}", API_ANY),
    ("api.patch_exchange", "PATCH"): ("/api/v1/exchanges/{exchange}", API_STAFF_WRITE),
    ("api.add_exchange_participant", "POST"): (
        "/api/v1/exchanges/{exchange}/participants",
        API_STAFF_WRITE,
    ),
    ("api.remove_exchange_participant", "DELETE"): (
        "/api/v1/exchanges/{exchange}/participants/{exchange_participant}",
        answers(401, 403, 403, 204, 204),
    ),
    ("api.add_exchange_action", "POST"): ("/api/v1/exchanges/{exchange}/actions", API_STAFF_WRITE),
    ("api.patch_exchange_action", "PATCH"): (
        "/api/v1/exchange-actions/{exchange_action}",
        API_STAFF_WRITE,
    ),
    ("api.exchange_action_done", "POST"): (
        "/api/v1/exchange-actions/{exchange_action}/done",
        answers(401, 422, 422, 422, 422),
    ),
    ("api.list_exchange_reflections", "GET"): ("/api/v1/exchanges/{exchange}/reflections", API_ANY),
    ("api.put_exchange_reflection", "PUT"): (
        "/api/v1/exchanges/{exchange}/reflection",
        answers(401, 422, 403, 403, 403),
    ),
    ("api.link_exchange_plan", "POST"): (
        "/api/v1/exchanges/{exchange}/plan-links",
        API_COACH_WRITE,
    ),
    ("api.unlink_exchange_plan", "DELETE"): (
        "/api/v1/exchange-plan-links/{exchange_plan_link}",
        answers(401, 403, 204, 204, 204),
    ),
    # the lessons register: {published} is sector A's publication (an entry of the register),
    # {lesson_tag} a problem tag on one; a bare form names no tag (422)
    ("lessons.index", "GET"): ("/lessons", STAFF_PAGE),
    ("lessons.tags", "GET"): ("/lessons/report/{published}/tags", STAFF_PAGE),
    ("lessons.tags", "POST"): ("/lessons/report/{published}/tags", STAFF_FORM),
    ("lessons.remove_tag", "POST"): ("/lesson-tags/{lesson_tag}/remove", STAFF_ACTION),
    ("api.list_lessons", "GET"): ("/api/v1/lessons", answers(401, 403, 403, 200, 200)),
    ("api.add_lesson_tag", "POST"): ("/api/v1/lessons/report/{published}/tags", API_STAFF_WRITE),
    ("api.remove_lesson_tag", "DELETE"): (
        "/api/v1/lesson-tags/{lesson_tag}",
        answers(401, 403, 403, 204, 204),
    ),
    # pairings
    ("transfer.pairings", "GET"): ("/pairings", SIGNED_IN),
    ("transfer.pairing_new", "GET"): ("/pairings/new", STAFF_PAGE),
    ("transfer.pairing_new", "POST"): ("/pairings/new", STAFF_FORM),
    ("transfer.pairing", "GET"): ("/pairings/{pairing}", SIGNED_IN),
    ("transfer.pairing_pause", "POST"): ("/pairings/{pairing}/pause", STAFF_ACTION),
    ("transfer.pairing_resume", "POST"): ("/pairings/{pairing}/resume", STAFF_ACTION),
    ("transfer.pairing_end", "GET"): ("/pairings/{pairing}/end", STAFF_PAGE),
    ("transfer.pairing_end", "POST"): ("/pairings/{pairing}/end", STAFF_FORM),
    # plans, logs, evidence (web)
    ("transfer.plan_new", "GET"): ("/pairings/{pairing}/plans/new", COACH_ACTION),
    ("transfer.plan_new", "POST"): ("/pairings/{pairing}/plans/new", COACH_ACTION),
    ("transfer.plan_edit", "GET"): ("/plans/{plan}/edit", COACH_ACTION),
    ("transfer.plan_edit", "POST"): ("/plans/{plan}/edit", COACH_ACTION),
    ("transfer.plan", "GET"): ("/plans/{plan}", SIGNED_IN),
    ("transfer.plan", "POST"): ("/plans/{plan}", answers(302, 302, 302, 302, 302)),
    ("transfer.plan_revise", "POST"): ("/plans/{plan}/revise", COACH_ACTION),
    ("transfer.plans_waiting", "GET"): ("/plans", STAFF_PAGE),
    ("transfer.log_new", "GET"): ("/pairings/{pairing}/logs/new", answers(302, 403, 200, 403, 403)),
    ("transfer.log_new", "POST"): (
        "/pairings/{pairing}/logs/new",
        answers(302, 403, 422, 403, 403),
    ),
    ("transfer.log_edit", "GET"): ("/logs/{log}/edit", COACH_ACTION),
    ("transfer.log_edit", "POST"): ("/logs/{log}/edit", COACH_ACTION),
    ("transfer.log", "GET"): ("/logs/{log}", SIGNED_IN),
    ("transfer.log", "POST"): ("/logs/{log}", answers(302, 422, 422, 422, 422)),
    ("transfer.log_evidence", "POST"): ("/logs/{log}/evidence", COACH_ACTION),
    ("transfer.evidence_remove", "POST"): ("/evidence/{evidence}/remove", COACH_ACTION),
    ("transfer.evidence_download", "GET"): ("/evidence/{evidence}/download", SIGNED_IN),
    ("transfer.my_logs", "GET"): ("/my/logs", answers(302, 200, 200, 403, 403)),
    ("transfer.logs_verify", "POST"): ("/logs/verify", STAFF_ACTION),
    ("transfer.logs_list", "GET"): ("/logs", STAFF_PAGE),
    ("transfer.logs_export", "GET"): ("/logs/export.csv", STAFF_PAGE),
    ("coaches.follow_up", "GET"): ("/coaches/follow-up", STAFF_PAGE),
    ("partners.index", "GET"): ("/partners", SEC_PAGE),
    ("partners.new", "GET"): ("/partners/new", SEC_PAGE),
    ("partners.new", "POST"): ("/partners/new", SEC_FORM),
    ("partners.edit", "GET"): ("/partners/{partner}/edit", SEC_PAGE),
    ("partners.edit", "POST"): ("/partners/{partner}/edit", SEC_FORM),
    ("partners.funding", "GET"): ("/coaches/{coach}/funding", STAFF_PAGE),
    ("partners.funding", "POST"): ("/coaches/{coach}/funding", SEC_FORM),
    ("partners.remove_funding", "POST"): ("/coaches/{coach}/funding/0/remove", SEC_FORM),
    ("partners.rates", "GET"): ("/partners/rates", SEC_PAGE),
    ("partners.rate_new", "GET"): ("/partners/rates/new", SEC_PAGE),
    ("partners.rate_new", "POST"): ("/partners/rates/new", SEC_FORM),
    ("partners.rate_edit", "GET"): ("/partners/rates/{rate}/edit", SEC_PAGE),
    ("partners.rate_edit", "POST"): ("/partners/rates/{rate}/edit", SEC_FORM),
    # API
    ("api.health", "GET"): ("/api/v1/health", answers(200, 200, 200, 200, 200)),
    ("api.openapi_document", "GET"): ("/api/v1/openapi.json", answers(200, 200, 200, 200, 200)),
    ("api.create_token", "POST"): ("/api/v1/tokens", answers(422, 422, 422, 422, 422)),
    ("api.delete_current_token", "DELETE"): (
        "/api/v1/tokens/current",
        answers(401, 204, 204, 204, 204),
    ),
    ("api.me", "GET"): ("/api/v1/me", API_ANY),
    ("api.list_users", "GET"): ("/api/v1/users", API_SEC),
    ("api.get_user", "GET"): ("/api/v1/users/{target}", API_SEC),
    ("api.create_user", "POST"): ("/api/v1/users", API_SEC_WRITE),
    ("api.patch_user", "PATCH"): ("/api/v1/users/{target}", API_SEC_WRITE),
    ("api.list_phases", "GET"): ("/api/v1/phases", API_ANY),
    ("api.create_phase", "POST"): ("/api/v1/phases", API_SEC_WRITE),
    ("api.list_sectors", "GET"): ("/api/v1/sectors", API_ANY),
    ("api.create_sector", "POST"): ("/api/v1/sectors", API_SEC_WRITE),
    ("api.get_sector", "GET"): ("/api/v1/sectors/{sector}", API_ANY),
    ("api.patch_sector", "PATCH"): ("/api/v1/sectors/{sector}", API_SEC_WRITE),
    ("api.list_institutions", "GET"): ("/api/v1/institutions", API_ANY),
    ("api.create_institution", "POST"): ("/api/v1/institutions", API_SEC_WRITE),
    ("api.list_priority_results", "GET"): ("/api/v1/priority-results", API_ANY),
    ("api.create_priority_result", "POST"): ("/api/v1/priority-results", API_SEC_WRITE),
    ("api.patch_priority_result", "PATCH"): ("/api/v1/priority-results/{result}", API_SEC_WRITE),
    ("api.list_indicators", "GET"): ("/api/v1/priority-results/{result}/indicators", API_ANY),
    ("api.create_indicator", "POST"): (
        "/api/v1/priority-results/{result}/indicators",
        API_STAFF_WRITE,
    ),
    ("api.get_indicator", "GET"): ("/api/v1/indicators/{indicator}", API_ANY),
    ("api.patch_indicator", "PATCH"): ("/api/v1/indicators/{indicator}", API_STAFF_WRITE),
    # without ?version= nothing is deleted: 422 naming it
    ("api.delete_indicator", "DELETE"): ("/api/v1/indicators/{indicator}", API_STAFF_WRITE),
    ("api.delete_indicator_value", "DELETE"): (
        "/api/v1/indicators/{indicator}/values/2025/1",
        API_STAFF_WRITE,
    ),
    # FY 2025 Q2 has no value yet: an empty body misses the value and its source
    ("api.put_indicator_value", "PUT"): (
        "/api/v1/indicators/{indicator}/values/2025/2",
        API_STAFF_WRITE,
    ),
    # FY 2025 Q1 has a value; a JSON body carries no file
    ("api.add_indicator_evidence", "POST"): (
        "/api/v1/indicators/{indicator}/values/2025/1/evidence",
        answers(401, 403, 403, 400, 400),
    ),
    ("api.download_indicator_evidence", "GET"): (
        "/api/v1/indicators/{indicator}/values/2025/1/evidence",
        API_ANY,
    ),
    ("api.list_frameworks", "GET"): ("/api/v1/frameworks", API_ANY),
    ("api.create_framework", "POST"): ("/api/v1/frameworks", API_SEC_WRITE),
    ("api.get_framework", "GET"): ("/api/v1/frameworks/{framework}", API_ANY),
    ("api.add_competency", "POST"): ("/api/v1/frameworks/{framework}/competencies", API_SEC_WRITE),
    ("api.patch_competency", "PATCH"): ("/api/v1/competencies/{competency}", API_SEC_WRITE),
    ("api.put_framework_core", "PUT"): ("/api/v1/frameworks/{framework}/core", API_SEC_WRITE),
    ("api.import_framework", "POST"): (
        "/api/v1/frameworks/import",
        answers(401, 403, 403, 403, 400),
    ),
    ("api.export_framework", "GET"): ("/api/v1/frameworks/{framework}/export", API_ANY),
    ("api.list_coaches", "GET"): ("/api/v1/coaches", API_ANY),
    ("api.create_coach", "POST"): ("/api/v1/coaches", API_SEC_WRITE),
    ("api.get_coach", "GET"): ("/api/v1/coaches/{coach}", API_ANY),
    ("api.patch_coach", "PATCH"): ("/api/v1/coaches/{coach}", API_SEC_WRITE),
    ("api.list_partners", "GET"): ("/api/v1/partners", answers(401, 403, 403, 200, 200)),
    ("api.create_partner", "POST"): ("/api/v1/partners", API_SEC_WRITE),
    ("api.patch_partner", "PATCH"): ("/api/v1/partners/{partner}", API_SEC_WRITE),
    ("api.get_funding", "GET"): (
        "/api/v1/coaches/{coach}/funding",
        answers(401, 403, 403, 200, 200),
    ),
    ("api.put_funding", "PUT"): ("/api/v1/coaches/{coach}/funding", API_SEC_WRITE),
    ("api.list_exchange_rates", "GET"): ("/api/v1/exchange-rates", API_SEC),
    ("api.put_exchange_rate", "PUT"): ("/api/v1/exchange-rates/2025/3/EUR", API_SEC_WRITE),
    ("api.list_mentees", "GET"): ("/api/v1/mentees", API_ANY),
    ("api.create_mentee", "POST"): ("/api/v1/mentees", API_SEC_WRITE),
    ("api.get_mentee", "GET"): ("/api/v1/mentees/{mentee}", API_ANY),
    ("api.patch_mentee", "PATCH"): ("/api/v1/mentees/{mentee}", API_SEC_WRITE),
    ("api.import_people_api", "POST"): ("/api/v1/people/import", API_SEC_WRITE),
    ("api.import_template", "GET"): ("/api/v1/people/import/template?kind=coach", API_ANY),
    ("api.list_pairings", "GET"): ("/api/v1/pairings", API_ANY),
    ("api.create_pairing", "POST"): ("/api/v1/pairings", API_STAFF_WRITE),
    ("api.get_pairing", "GET"): ("/api/v1/pairings/{pairing}", API_ANY),
    ("api.end_pairing", "POST"): ("/api/v1/pairings/{pairing}/end", API_STAFF_WRITE),
    ("api.pause_pairing", "POST"): ("/api/v1/pairings/{pairing}/pause", API_STAFF_WRITE),
    ("api.resume_pairing", "POST"): ("/api/v1/pairings/{pairing}/resume", API_STAFF_WRITE),
    # plans, logs, evidence
    ("api.list_plans", "GET"): ("/api/v1/pairings/{pairing}/plans", API_ANY),
    ("api.create_plan", "POST"): ("/api/v1/pairings/{pairing}/plans", API_COACH_WRITE),
    ("api.get_plan", "GET"): ("/api/v1/plans/{plan}", API_ANY),
    ("api.put_plan", "PUT"): ("/api/v1/plans/{plan}", API_COACH_WRITE),
    ("api.submit_plan", "POST"): ("/api/v1/plans/{plan}/submit", answers(401, 403, 409, 403, 403)),
    ("api.approve_plan", "POST"): (
        "/api/v1/plans/{plan}/approve",
        answers(401, 403, 403, 409, 409),
    ),
    ("api.return_plan", "POST"): ("/api/v1/plans/{plan}/return", API_STAFF_WRITE),
    ("api.revise_plan", "POST"): ("/api/v1/plans/{plan}/revise", answers(401, 403, 201, 403, 403)),
    ("api.list_pairing_logs", "GET"): ("/api/v1/pairings/{pairing}/logs", API_ANY),
    ("api.create_log", "POST"): ("/api/v1/pairings/{pairing}/logs", API_COACH_WRITE),
    ("api.get_log", "GET"): ("/api/v1/logs/{log}", API_ANY),
    ("api.put_log", "PUT"): ("/api/v1/logs/{log}", API_COACH_WRITE),
    ("api.submit_log", "POST"): ("/api/v1/logs/{log}/submit", answers(401, 403, 409, 403, 403)),
    ("api.acknowledge_log", "POST"): (
        "/api/v1/logs/{log}/acknowledge",
        answers(401, 200, 403, 403, 403),
    ),
    ("api.dispute_log", "POST"): ("/api/v1/logs/{log}/dispute", answers(401, 422, 403, 403, 403)),
    ("api.verify_log", "POST"): ("/api/v1/logs/{log}/verify", answers(401, 403, 403, 409, 409)),
    ("api.list_logs", "GET"): ("/api/v1/logs", answers(401, 403, 403, 200, 200)),
    ("api.list_evidence", "GET"): ("/api/v1/logs/{log}/evidence", API_ANY),
    ("api.add_evidence", "POST"): ("/api/v1/logs/{log}/evidence", API_COACH_WRITE),
    ("api.delete_evidence", "DELETE"): (
        "/api/v1/evidence/{evidence}",
        answers(401, 403, 409, 403, 403),
    ),
    ("api.download_evidence", "GET"): ("/api/v1/evidence/{evidence}/download", API_ANY),
    # competencies and assessments
    ("api.list_assessments", "GET"): ("/api/v1/mentees/{mentee}/assessments", API_ANY),
    ("api.add_assessment", "POST"): (
        "/api/v1/mentees/{mentee}/assessments",
        answers(401, 422, 422, 422, 422),
    ),
    ("api.mentee_competencies", "GET"): ("/api/v1/mentees/{mentee}/competencies", API_ANY),
    ("api.pick_up", "POST"): (
        "/api/v1/assessments/{assessment}/pick-up",
        answers(401, 403, 200, 200, 200),
    ),
    ("api.critical_mass_report", "GET"): (
        "/api/v1/reports/critical-mass",
        answers(401, 403, 403, 200, 200),
    ),
    ("api.assessments_list", "GET"): ("/api/v1/assessments", answers(401, 403, 403, 200, 200)),
    ("api.sector_report", "GET"): (
        "/api/v1/reports/sectors/{sector}",
        answers(401, 403, 403, 200, 200),
    ),
    ("api.programme_report", "GET"): (
        "/api/v1/reports/programme",
        answers(401, 403, 403, 200, 200),
    ),
    # reports
    ("reports.programme", "GET"): ("/reports", STAFF_PAGE),
    ("reports.sector", "GET"): ("/reports/sectors/{sector}", STAFF_PAGE),
    ("reports.sector_assessments_csv", "GET"): (
        "/reports/sectors/{sector}/assessments.csv",
        STAFF_PAGE,
    ),
    # the lists behind a report's figures (figures you can open)
    ("reports.experts", "GET"): ("/reports/experts?sector_id={sector}", STAFF_PAGE),
    ("reports.plan_items", "GET"): ("/reports/plan-items?sector_id={sector}", STAFF_PAGE),
    ("reports.costs", "GET"): ("/reports/costs?sector_id={sector}", STAFF_PAGE),
    ("reports.priority_results", "GET"): (
        "/reports/priority-results?sector_id={sector}",
        STAFF_PAGE,
    ),
    # published reports
    ("reports.publish", "POST"): ("/reports/sectors/{sector}/publish", STAFF_FORM),
    ("reports.published", "GET"): ("/reports/published/{published}", STAFF_PAGE),
    ("reports.addendum", "POST"): ("/reports/published/{published}/addendum", STAFF_FORM),
    ("api.list_published_reports", "GET"): (
        "/api/v1/reports/published",
        answers(401, 403, 403, 200, 200),
    ),
    ("api.get_published_report", "GET"): (
        "/api/v1/reports/published/{published}",
        answers(401, 403, 403, 200, 200),
    ),
    ("api.publish_report", "POST"): ("/api/v1/reports/published", API_STAFF_WRITE),
}

IGNORED = {"static", "bootstrap.static"}


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in IGNORED
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - set(MATRIX) == set(), "routes without an expected answer per role"
    assert set(MATRIX) - routes == set(), "matrix rows for routes that no longer exist"


def person(world, role):
    return {
        M: world.a.mentee_user,
        C: world.a.coach_user,
        K: world.a.coordinator,
        S: world.secretariat,
    }.get(role)


# A development partner's account (reading for a partner that funds sector A's coach): the
# routes that name Role.PARTNER, each with its answer. Every other route that names roles
# answers it 404, as if it did not exist; a route open to anyone signed in (the home page,
# the account) or to no one in particular (sign-in, the forgot-password page) answers it
# as it answers a mentee.
PARTNER = {
    ("reports.programme", "GET"): 200,
    ("reports.sector", "GET"): 200,
    ("reports.published", "GET"): 200,
    ("api.critical_mass_report", "GET"): 200,
    ("api.sector_report", "GET"): 200,
    ("api.programme_report", "GET"): 200,
    ("api.list_published_reports", "GET"): 200,
    ("api.get_published_report", "GET"): 200,
}


def partner_expects(app, route) -> int:
    endpoint, _method = route
    roles = getattr(app.view_functions[endpoint], "roles", None)
    if route in PARTNER:
        return PARTNER[route]
    assert roles is None or Role.PARTNER not in roles, f"{route}: add the partner's answer"
    if roles is not None:
        return 404
    return MATRIX[route][1][M]


@pytest.mark.parametrize("route", sorted(MATRIX), ids="{0[0]} {0[1]}".format)
def test_route_answers_a_development_partner_as_expected(app, client, make_user, route):
    _endpoint, method = route
    path_template, _expected = MATRIX[route]
    world = factories.world(app)
    with app.app_context():
        partner = factories.partner_account(world.a.coach_id)
    path = fill(app, world, path_template, target=make_user("coordinator").id)
    if path.startswith("/api/"):
        kwargs = {"headers": bearer(api_token(client, partner))}
        if method in ("POST", "PATCH", "PUT"):
            kwargs["json"] = {}
    else:
        login(client, partner)
        kwargs = {}
        if method == "POST":
            kwargs["data"] = {"csrf_token": csrf_token(client, "/login")}
    response = client.open(path, method=method, **kwargs)
    expected = partner_expects(app, route)
    assert response.status_code == expected, response.get_data(as_text=True)[:300]


def fill(app, world, path_template: str, target: int) -> str:
    """The path of a matrix row for sector A of ``world`` ({target} is a user's id)."""
    published = None
    if "{published}" in path_template:  # a publication of sector A, only where a path needs one
        from scbi.reports.models import PublishedReport

        with app.app_context():  # one for the whole world, however many paths ask
            published = db.session.scalar(
                select(PublishedReport.id).where(PublishedReport.sector_id == world.a.sector_id)
            )
            if published is None:
                published = factories.publication(world.a.sector_id).id
                db.session.commit()
    partner = None
    if "{partner}" in path_template:  # a development partner, only where a path needs one
        from scbi.partners.models import Partner
        from scbi.partners.services import create_partner

        with app.app_context():  # one for the whole world, however many paths ask
            partner = db.session.scalar(select(Partner.id).where(Partner.acronym == "AG"))
            if partner is None:
                partner = create_partner(by=factories.admin(), name="Agency", acronym="AG").id
                db.session.commit()
    rate = None
    if "{rate}" in path_template:  # an exchange rate, only where a path needs one
        from scbi.partners.queries import rate_for
        from scbi.partners.services import create_rate

        with app.app_context():  # one for the whole world, however many paths ask
            made = rate_for(2025, 3, "EUR") or create_rate(
                by=factories.admin(), fiscal_year=2025, quarter=3, currency="EUR", rate="1.1"
            )
            rate = made.id
            db.session.commit()
    indicator = indicator_value = None
    if "{indicator" in path_template:  # sector A's result's, with a value and its evidence
        from scbi.programme.models import Indicator, IndicatorValue

        with app.app_context():  # one for the whole world, however many paths ask
            found = db.session.execute(
                select(Indicator.id, IndicatorValue.id)
                .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
                .where(Indicator.result_id == world.result_id)
            ).first()
            if found is None:
                made, value = factories.indicator(world.result_id)
                found = (made.id, value.id)
                db.session.commit()
            indicator, indicator_value = found
    engagement = running = None
    if "{engagement}" in path_template or "{running}" in path_template:
        from tests.engagements.helpers import matrix_engagements

        with app.app_context():  # two for the whole world, however many paths ask
            engagement, running = matrix_engagements(world)
    exchange = {}
    if "{exchange" in path_template:  # sector A's exchange: mentee A and coach A took part
        from tests.exchanges.helpers import exchange_of_a

        with app.app_context():
            made = exchange_of_a(world)
        exchange = {
            "exchange": made.id,
            "exchange_participant": made.guest_id,
            "exchange_action": made.action_id,
            "exchange_plan_link": made.link_id,
        }
    lesson_tag = None
    if "{lesson_tag}" in path_template:  # a problem tag on a publication of sector A
        from tests.lessons.helpers import published, tag

        with app.app_context():
            lesson_tag = tag("report", published(world), problem="late logs").id
    mail = None
    if "{mail}" in path_template:  # a mail the world's pairing caused (held: mail is off)
        with app.app_context():
            mail = db.session.scalar(select(MailMessage.id).limit(1))
    return path_template.format(
        lesson_tag=lesson_tag,
        engagement=engagement,
        running=running,
        **exchange,
        mail=mail,
        partner=partner,
        indicator=indicator,
        indicator_value=indicator_value,
        rate=rate,
        published=published,
        target=target,
        phase=world.phase_id,
        sector=world.a.sector_id,
        institution=world.a.institution_id,
        result=world.result_id,
        framework=world.framework_id,
        competency=world.competency_id,
        coach=world.a.coach_id,
        mentee=world.a.mentee_id,
        pairing=world.a.pairing_id,
        plan=world.plan_id,
        log=world.log_id,
        evidence=world.evidence_id,
        assessment=world.assessment_id,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(MATRIX), ids="{0[0]} {0[1]}".format)
def test_route_answers_each_role_as_expected(app, client, make_user, route, role):
    _endpoint, method = route
    path_template, expected = MATRIX[route]
    world = factories.world(app)
    target = make_user("coordinator")
    path = fill(app, world, path_template, target=target.id)
    user = person(world, role)
    if path.startswith("/api/"):
        kwargs = {"headers": bearer(api_token(client, user)) if user else {}}
        if method in ("POST", "PATCH", "PUT"):
            kwargs["json"] = {}
    else:
        if user:
            login(client, user)
        kwargs = {}
        if method == "POST":
            kwargs["data"] = {"csrf_token": csrf_token(client, "/login")}
    response = client.open(path, method=method, **kwargs)
    assert response.status_code == expected[role], response.get_data(as_text=True)[:300]
