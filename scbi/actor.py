"""Who is acting on this request: the API's bearer-token user or the web session's user."""

from __future__ import annotations

from flask import g, has_request_context, request
from flask_login import AnonymousUserMixin, current_user


def in_api() -> bool:
    return has_request_context() and request.path.startswith("/api/")


def acting_user():
    """The authenticated user of this request, or an anonymous user.

    The API never looks at the session cookie (it is exempt from CSRF, so it must not
    accept cookie authentication); the web never looks at bearer tokens.
    """
    if not has_request_context():
        return AnonymousUserMixin()
    if in_api():
        return g.get("api_user") or AnonymousUserMixin()
    return current_user._get_current_object()
