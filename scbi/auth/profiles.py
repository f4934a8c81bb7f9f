"""The account behind a coach or mentee profile (the profile services call this)."""

from __future__ import annotations

from scbi import audit
from scbi.auth.models import Role
from scbi.auth.passwords import hash_generated_password
from scbi.auth.services import (
    account_snapshot,
    create_user,
    end_sessions,
    generate_password,
    user_by_email,
)
from scbi.errors import ValidationFailed
from scbi.extensions import db


def create_profile_account(
    errors,
    *,
    by,
    role: Role,
    email: str,
    full_name: str,
    password: str | None,
    password_hash: str | None,
    must_change_password: bool,
    joins: Role | None = None,
):
    """The account behind a coach or mentee profile, its problems added to ``errors``
    (so the form shows account and profile problems together).

    Returns ``(user or None, password)``; without a password one is generated. When the
    e-mail is that of an account holding the ``joins`` role (a mentee who now coaches:
    the cascade), that account takes the new role too and keeps its password: the
    password returned is None. Its sessions end, as with any change of roles.
    """
    existing = user_by_email(email) if joins else None
    if existing is not None and joins in existing.roles and role not in existing.roles:
        before = account_snapshot(existing)
        existing.set_roles(existing.roles | {role})
        end_sessions(existing)
        db.session.flush()
        audit.record(
            "user.update", by=by, entity=existing, before=before, after=account_snapshot(existing)
        )
        return existing, None
    if password is None and password_hash is None:
        password = generate_password()
        password_hash = hash_generated_password(password)
    try:
        user = create_user(
            by=by,
            email=email,
            full_name=full_name,
            password=password,
            password_hash=password_hash,
            must_change_password=must_change_password,
            roles=[role.value],
            allowed_roles=frozenset({role}),
        )
    except ValidationFailed as error:
        for field, messages in error.fields.items():
            for message in messages:
                errors.add(field, message)
        return None, password
    return user, password
