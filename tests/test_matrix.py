"""Route × role matrix: every route has an expected answer for every role.

A new route without a row here fails ``test_every_route_is_in_the_matrix``. Each request
is the plainest one a role could make: a GET, or a POST with a valid CSRF token and an
empty form (web) / empty JSON object (API).
"""

from __future__ import annotations

import pytest

from tests.helpers import ROLES, csrf_token

A, M, C, K, S = ROLES  # anonymous, mentee, coach, coordinator (K), secretariat


def answers(anonymous, mentee, coach, coordinator, secretariat):
    return {A: anonymous, M: mentee, C: coach, K: coordinator, S: secretariat}


SIGNED_IN = answers(302, 200, 200, 200, 200)
SECRETARIAT_PAGE = answers(302, 403, 403, 403, 200)
SECRETARIAT_FORM = answers(302, 403, 403, 403, 422)
SECRETARIAT_ACTION = answers(302, 403, 403, 403, 302)
API_ANY = answers(401, 200, 200, 200, 200)
API_SECRETARIAT = answers(401, 403, 403, 403, 200)

# (endpoint, method): (path, {role: status}); {target} is another user's id.
MATRIX = {
    ("main.home", "GET"): ("/", SIGNED_IN),
    ("main.audit_trail", "GET"): ("/audit", SECRETARIAT_PAGE),
    ("auth.login", "GET"): ("/login", answers(200, 302, 302, 302, 302)),
    ("auth.login", "POST"): ("/login", answers(422, 302, 302, 302, 302)),
    ("auth.logout", "POST"): ("/logout", answers(302, 302, 302, 302, 302)),
    ("auth.change_password", "GET"): ("/account/password", SIGNED_IN),
    ("auth.change_password", "POST"): ("/account/password", answers(302, 422, 422, 422, 422)),
    ("auth.users", "GET"): ("/users", SECRETARIAT_PAGE),
    ("auth.user_new", "GET"): ("/users/new", SECRETARIAT_PAGE),
    ("auth.user_new", "POST"): ("/users/new", SECRETARIAT_FORM),
    ("auth.user_edit", "GET"): ("/users/{target}", SECRETARIAT_PAGE),
    ("auth.user_edit", "POST"): ("/users/{target}", SECRETARIAT_FORM),
    ("auth.user_reset_password", "POST"): (
        "/users/{target}/reset-password",
        answers(302, 403, 403, 403, 200),
    ),
    ("auth.user_unlock", "POST"): ("/users/{target}/unlock", SECRETARIAT_ACTION),
    ("api.health", "GET"): ("/api/v1/health", answers(200, 200, 200, 200, 200)),
    ("api.openapi_document", "GET"): ("/api/v1/openapi.json", answers(200, 200, 200, 200, 200)),
    ("api.create_token", "POST"): ("/api/v1/tokens", answers(422, 422, 422, 422, 422)),
    ("api.delete_current_token", "DELETE"): (
        "/api/v1/tokens/current",
        answers(401, 204, 204, 204, 204),
    ),
    ("api.me", "GET"): ("/api/v1/me", API_ANY),
    ("api.list_users", "GET"): ("/api/v1/users", API_SECRETARIAT),
    ("api.get_user", "GET"): ("/api/v1/users/{target}", API_SECRETARIAT),
    ("api.create_user", "POST"): ("/api/v1/users", answers(401, 403, 403, 403, 422)),
    ("api.patch_user", "PATCH"): ("/api/v1/users/{target}", answers(401, 403, 403, 403, 422)),
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(MATRIX), ids="{0[0]} {0[1]}".format)
def test_route_answers_each_role_as_expected(app, client, make_user, login_as, api_as, route, role):
    _endpoint, method = route
    path_template, expected = MATRIX[route]
    target = make_user("coordinator")
    path = path_template.format(target=target.id)
    if path.startswith("/api/"):
        _, headers = api_as(role)
        kwargs = {"headers": headers}
        if method in ("POST", "PATCH", "PUT"):
            kwargs["json"] = {}
    else:
        login_as(role)
        kwargs = {}
        if method == "POST":
            kwargs["data"] = {"csrf_token": csrf_token(client, "/login")}
    response = client.open(path, method=method, **kwargs)
    assert response.status_code == expected[role], response.get_data(as_text=True)[:300]
