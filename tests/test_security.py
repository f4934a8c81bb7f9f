"""Headers on every response, error pages that tell what happened and never leak internals."""

from __future__ import annotations

import re

import pytest

from scbi import create_app
from tests.helpers import login


@pytest.mark.parametrize("path", ["/login", "/api/v1/health", "/no-such-page"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Request-ID"]
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_authenticated_pages_are_not_cached_but_static_files_are(client, make_user):
    login(client, make_user("coach"))
    assert client.get("/").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert static.headers.get("Cache-Control") != "no-store"


def test_bootstrap_is_served_locally(client):
    page = client.get("/login").text
    assert "cdn." not in page
    assert "https://" not in page
    assets = re.findall(r'(?:src|href)="(/[^"]+\.(?:css|js))"', page)
    assert len(assets) >= 3
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_no_inline_script_in_pages(client, make_user):
    login(client, make_user("secretariat"))
    for path in ("/", "/users", "/audit", "/users/new"):
        page = client.get(path).text
        assert "<script>" not in page and "onclick" not in page, path


@pytest.fixture
def failing_app(tmp_path):
    """An app (not the shared one) with a route that crashes, as a bug would."""
    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": "s" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
        }
    )

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals: /srv/scbi/db.sqlite SELECT password_hash")

    @app.route("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret internals")

    return app


def test_500_page_shows_a_request_id_and_no_trace(failing_app):
    client = failing_app.test_client()
    response = client.get("/boom", headers={"X-Request-ID": "abcdef1234567890"})
    api = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert "abcdef1234567890" in response.text
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "max-age" in response.headers["Strict-Transport-Security"]
    assert api.status_code == 500
    assert api.json["error"]["code"] == "internal_error"
    assert "secret internals" not in api.text


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/no-such-page", 404, "Page not found"),
    ],
)
def test_error_pages_are_friendly(client, path, status, text):
    response = client.get(path)
    assert response.status_code == status
    assert text in response.text
    assert "<!doctype html>" in response.text


def test_web_form_too_large_is_413(app, client, make_user):
    login(client, make_user("coach"))
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    response = client.post("/account/password", data={"current_password": big})
    assert response.status_code == 413
    assert "too large" in response.text
