"""Per-request machinery: request ids, security headers, and the forced password change."""

from __future__ import annotations

import re
import secrets

from flask import Flask, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

# A client's own X-Request-ID, kept beside the server's (never instead of it)
_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Pages a user who must change their password may still reach.
_OPEN_WHILE_PASSWORD_EXPIRED = {"auth.change_password", "auth.logout", "static", "bootstrap.static"}


def register_request_hooks(app: Flask) -> None:
    @app.before_request
    def assign_request_id():
        """The request id is always the server's; a client's, if well formed, is kept
        apart (audit events carry both), so no client can choose the id we log."""
        g.request_id = secrets.token_hex(8)
        supplied = request.headers.get("X-Request-ID", "")
        g.client_request_id = supplied if _CLIENT_REQUEST_ID.fullmatch(supplied) else None

    @app.before_request
    def force_password_change():
        if request.path.startswith("/api/") or request.endpoint in _OPEN_WHILE_PASSWORD_EXPIRED:
            return None
        if current_user.is_authenticated and current_user.must_change_password:
            flash(_("Choose a new password before you continue."), "warning")
            return redirect(url_for("auth.change_password"))
        return None

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers["X-Request-ID"] = g.get("request_id", "")
        if request.endpoint not in ("static", "bootstrap.static"):
            # Pages and API answers carry personal data: never kept by a browser or proxy.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        if app.config.get("HSTS"):
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        return response
