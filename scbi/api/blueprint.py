"""The ``api`` blueprint under /api/v1: bearer tokens only, no cookies, so no CSRF.

Each module of this package registers its endpoints on it."""

from __future__ import annotations

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _

from scbi.auth.tokens import user_for_token
from scbi.errors import NotAuthenticated, PasswordChangeRequired
from scbi.extensions import csrf
from scbi.transaction import commit_if_changed

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def authenticate():
    """Find the bearer token's user; refuse (401) any endpoint not marked public, and
    (403 ``password_change_required``) a user who must first choose a new password."""
    g.api_user = g.api_token = None
    header = request.headers.get("Authorization", "")
    scheme, _sep, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        found = user_for_token(credentials.strip())
        if found is not None:
            g.api_user, g.api_token = found
            commit_if_changed()  # last_used_at, at most every few minutes
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and not getattr(view, "public", False) and g.api_user is None:
        if header:
            raise NotAuthenticated(
                _("The bearer token is invalid, expired or revoked."), code="invalid_token"
            )
        raise NotAuthenticated(_("Send a bearer token: Authorization: Bearer <token>."))
    if view is not None and not getattr(view, "public", False) and g.api_user.must_change_password:
        raise PasswordChangeRequired


@bp.after_request
def bearer_challenge(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="scbi"'
    return response
