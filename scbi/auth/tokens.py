"""API bearer tokens: issued against a password, stored as SHA-256, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from scbi import audit
from scbi.auth.models import TOKEN, ApiToken, User
from scbi.auth.services import authenticate
from scbi.database import utcnow
from scbi.errors import PasswordChangeRequired
from scbi.extensions import db

PREFIX = "scbi_"
# Writing last_used_at on every call would turn each GET into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(
    email: str, password: str, *, label: str | None = None, client: str | None = None
) -> tuple[str, ApiToken]:
    """Check the credentials (same throttle as the web login) and return a new token.

    The plain token is returned once and never stored. An account that must change its
    password (a one-time password) gets none: PasswordChangeRequired.
    """
    user = authenticate(email, password, client=client)
    if user.must_change_password:
        raise PasswordChangeRequired
    return new_token(user, label=label)


def new_token(user: User, *, label: str | None = None) -> tuple[str, ApiToken]:
    """A new token of ``user``, whoever checked who they are (audited as issued)."""
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        token_hash=_digest(plain),
        label=(label or "")[: TOKEN["label"].max_length] or None,
        expires_at=utcnow() + current_app.config["API_TOKEN_LIFETIME"],
    )
    db.session.add(token)
    db.session.flush()
    audit.record("token.issue", by=user, entity=token)
    return plain, token


def user_for_token(plain: str) -> tuple[User, ApiToken] | None:
    """The active user and live token behind ``plain``, or None.

    The caller refuses the user while ``must_change_password`` is set."""
    if not plain or not plain.startswith(PREFIX) or len(plain) > 100:
        return None
    token = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user).joinedload(User.role_rows))
        .where(ApiToken.token_hash == _digest(plain))
    )
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    user = token.user
    if not user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return user, token


def revoke_token(token: ApiToken, *, by: User) -> None:
    token.revoked_at = utcnow()
    db.session.flush()
    audit.record("token.revoke", by=by, entity=token)
