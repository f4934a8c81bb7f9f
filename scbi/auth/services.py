"""Account rules: creating and changing users, logging in, ending sessions.

Every function takes the acting user as ``by`` (None for an anonymous login attempt),
writes its audit event and flushes; the caller commits.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from scbi import audit
from scbi.auth import throttle
from scbi.auth.models import (
    ACCOUNT,
    AccountLink,
    ApiToken,
    LinkPurpose,
    LoginThrottle,
    Role,
    User,
    UserRole,
)
from scbi.auth.passwords import (
    hash_generated_password,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from scbi.auth.permissions import can_reset_password
from scbi.database import insert_rows, utcnow
from scbi.errors import (
    Conflict,
    NotAllowed,
    Throttled,
    ValidationFailed,
    check_version,
)
from scbi.extensions import db

# One mailbox: no space, and none of the characters an address header reads as syntax
# (display names, groups, lists, routes), so what is stored is exactly where mail goes.
_PART = r'[^@\s<>(),;:"\[\]\\]'
EMAIL_RE = re.compile(rf"^{_PART}{{1,64}}@{_PART}+\.{_PART}+$")
STAFF_ROLES = frozenset({Role.SECRETARIAT, Role.COORDINATOR, Role.PARTNER})


def _partner_alone(roles: set[Role], fields: dict) -> None:
    """A development partner's account reads reports and nothing else: it holds no other
    role (its scope would otherwise mix a funder's reading with a programme member's)."""
    if Role.PARTNER in roles and len(roles) > 1:
        fields.setdefault("roles", []).append(
            _("A development partner's account holds no other role.")
        )


class LoginFailed(Exception):
    """Wrong e-mail or password: one answer for both, so accounts cannot be enumerated."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_account_fields(email: str, full_name: str, fields: dict) -> tuple[str, str]:
    """A new account's e-mail and name, normalised, their problems added to ``fields``;
    reads nothing (whether the e-mail is taken is the caller's one query)."""
    email = normalise_email(email)
    if not email:
        fields.setdefault("email", []).append(_("Enter an e-mail address."))
    elif len(email) > ACCOUNT["email"].max_length or not EMAIL_RE.match(email):
        fields.setdefault("email", []).append(_("Enter a valid e-mail address."))
    full_name = (full_name or "").strip()
    if not full_name:
        fields.setdefault("full_name", []).append(_("Enter the person's full name."))
    elif len(full_name) > ACCOUNT["full_name"].max_length:
        fields.setdefault("full_name", []).append(
            _("Use at most %(n)d characters.", n=ACCOUNT["full_name"].max_length)
        )
    return email, full_name


def email_taken(fields: dict) -> None:
    fields.setdefault("email", []).append(_("An account with this e-mail already exists."))


def _check_email_free(email: str, fields: dict) -> None:
    if "email" not in fields and user_by_email(email) is not None:
        email_taken(fields)


def _check_roles(roles: Iterable[str], fields: dict, allowed: frozenset[Role]) -> set[Role]:
    values = set(roles or ())
    unknown = sorted(r for r in values if r not in {x.value for x in allowed})
    if unknown:
        fields.setdefault("roles", []).append(
            _("Not a role you can give here: %(roles)s.", roles=", ".join(map(str, unknown)))
        )
    elif not values:
        fields.setdefault("roles", []).append(_("Choose at least one role."))
    chosen = {Role(r) for r in values if r in {x.value for x in allowed}}
    _partner_alone(chosen, fields)
    return chosen


def create_user(
    *,
    by: User | None,
    email: str,
    full_name: str,
    password: str | None = None,
    roles: Iterable[str],
    allowed_roles: frozenset[Role] = STAFF_ROLES,
    must_change_password: bool = True,
    password_hash: str | None = None,
) -> User:
    """Create an account. Raises ValidationFailed listing every bad field.

    ``password_hash`` gives an already hashed password that needs no rules: one this
    application generated (``hash_generated_password``); ``password`` is then ignored.
    """
    fields: dict[str, list[str]] = {}
    email, full_name = check_account_fields(email, full_name, fields)
    _check_email_free(email, fields)
    if password_hash is None:
        problems = password_problems(password or "", email=email, full_name=full_name)
        if problems:
            fields["password"] = problems
    role_set = _check_roles(roles, fields, allowed_roles)
    if fields:
        raise ValidationFailed(fields=fields)

    user = User(
        email=email,
        full_name=full_name,
        password_hash=password_hash or hash_password(password),
        must_change_password=must_change_password,
    )
    user.set_roles(role_set)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", by=by, entity=user, after=account_snapshot(user))
    return user


def insert_users(accounts: list[dict], *, by: User | None, role: Role) -> list[int]:
    """Create accounts holding ``role``, already checked (``check_account_fields``, their
    e-mails free): one multi-row insert of the users and one of their roles, an audit
    event each. ``accounts`` give ``email``, ``full_name``, ``password_hash`` and
    ``must_change_password``; their ids are returned in order."""
    if not accounts:
        return []
    now = utcnow()
    defaults = {"active": True, "session_epoch": 1, "version": 1}
    ids = insert_rows(
        db.session,
        User,
        [defaults | a | {"created_at": now, "updated_at": now} for a in accounts],
        key="email",
    )
    insert_rows(db.session, UserRole, [{"user_id": i, "role": role} for i in ids])
    audit.record_all(
        "user.create",
        by=by,
        changes=(
            (
                (User.__tablename__, user_id),
                {
                    "email": account["email"],
                    "full_name": account["full_name"],
                    "active": True,
                    "roles": [role],
                },
            )
            for user_id, account in zip(ids, accounts, strict=True)
        ),
    )
    return ids


def account_snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "active": user.active,
        "roles": sorted(user.roles),
    }


def update_user(
    user: User,
    *,
    by: User,
    version: int | None,
    active: bool | None = None,
    roles: Iterable[str] | None = None,
    full_name: str | None = None,
) -> User:
    """Change an account's name, active flag or roles.

    Deactivation and role changes end the user's sessions and tokens. Refuses to leave
    the programme without an active secretariat account.
    """
    check_version(user, version)
    before = account_snapshot(user)
    fields: dict[str, list[str]] = {}
    if full_name is not None:
        full_name = full_name.strip()
        most = ACCOUNT["full_name"].max_length
        if not full_name or len(full_name) > most:
            fields["full_name"] = [_("Enter a full name of at most %(n)d characters.", n=most)]
    if active is not None and not isinstance(active, bool):
        fields["active"] = [_("Must be true or false.")]
    new_roles = None
    if roles is not None:
        requested = {str(r) for r in roles}
        if not requested <= {r.value for r in STAFF_ROLES}:
            fields["roles"] = [
                _(
                    "Only secretariat, coordinator and development partner roles are given "
                    "here; coach and mentee roles come with their profiles."
                )
            ]
        else:
            # Coach and mentee roles belong to the profiles; keep those the user has.
            new_roles = {Role(r) for r in requested} | (user.roles - STAFF_ROLES)
            if not new_roles:
                fields["roles"] = [_("Choose at least one role.")]
            _partner_alone(new_roles, fields)
    if fields:
        raise ValidationFailed(fields=fields)

    loses_secretariat = (active is False and user.has_role(Role.SECRETARIAT)) or (
        new_roles is not None
        and user.has_role(Role.SECRETARIAT)
        and Role.SECRETARIAT not in new_roles
    )
    if loses_secretariat and _active_secretariat_count() <= 1:
        raise Conflict(
            _("This is the last active secretariat account; create another one first."),
            code="last_secretariat",
        )

    ends_sessions = False
    if full_name is not None:
        user.full_name = full_name
    if active is not None and active != user.active:
        user.active = active
        ends_sessions = True
        if not active:  # a reset link mailed before must not work once reactivated
            end_links([user.id], utcnow())
    if new_roles is not None and new_roles != user.roles:
        user.set_roles(new_roles)
        ends_sessions = True
    if ends_sessions:
        end_sessions(user)
    db.session.flush()
    after = account_snapshot(user)
    if after != before:
        audit.record("user.update", by=by, entity=user, before=before, after=after)
    return user


def _active_secretariat_count() -> int:

    return db.session.scalar(
        select(func.count())
        .select_from(User)
        .join(UserRole)
        .where(User.active.is_(True), UserRole.role == Role.SECRETARIAT)
    )


def end_sessions(user: User) -> None:
    """End every web session and API token of ``user`` now (the session epoch moves on)."""
    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_links(user_ids: list[int], now, purpose: LinkPurpose | None = None) -> None:
    """End the accounts' open mailed links (of one ``purpose``, or all): a newer link or a
    new password replaces them."""
    query = update(AccountLink).where(
        AccountLink.user_id.in_(user_ids), AccountLink.used_at.is_(None)
    )
    if purpose is not None:
        query = query.where(AccountLink.purpose == purpose)
    db.session.execute(query.values(used_at=now))


# --- logging in ----------------------------------------------------------------------------


def authenticate(email: str, password: str, *, client: str | None = None) -> User:
    """Return the user for ``email`` and ``password`` or raise.

    Raises :class:`LoginFailed` for a wrong password, an unknown e-mail or an inactive
    account alike, and :class:`Throttled` while the e-mail or the ``client`` address is
    slowed or locked (scbi.auth.throttle: counted in the database, so every worker sees
    it). The attempt is counted and *committed* before the password is checked, so that
    no lock is held during the check: call this before changing anything else.
    """
    email = normalise_email(email)[: ACCOUNT["email"].max_length]
    now = utcnow()
    try:
        throttle.claim(email, client, now)
    except throttle.Wait as wait:
        audit.record("auth.login_throttled", actor_email=email, after={"limit": wait.scope})
        raise Throttled(_throttle_message(wait), retry_after=wait.seconds) from None

    user = user_by_email(email) if email else None

    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        audit.record(
            "auth.login_failed", actor_email=email, entity=("user", user.id) if user else None
        )
        raise LoginFailed

    new_hash = hash_password(password) if needs_rehash(user.password_hash) else None
    throttle.succeeded(email, client)
    if new_hash:
        user.password_hash = new_hash
    user.last_login_at = now
    db.session.flush()
    audit.record("auth.login", by=user, entity=user)
    return user


def _throttle_message(wait: throttle.Wait) -> str:
    minutes = (wait.seconds + 59) // 60
    if wait.scope == "client":
        if wait.seconds > 90:
            return _(
                "Too many failed sign-ins from your network. Try again in %(minutes)d minutes.",
                minutes=minutes,
            )
        return _(
            "Too many failed sign-ins from your network. Try again in %(seconds)d seconds.",
            seconds=wait.seconds,
        )
    if wait.seconds > 90:
        return _(
            "Too many failed sign-ins for this e-mail. Try again in %(minutes)d minutes, "
            "or ask the secretariat to unlock the account.",
            minutes=minutes,
        )
    return _(
        "Too many failed sign-ins for this e-mail. Try again in %(seconds)d seconds.",
        seconds=wait.seconds,
    )


def unlock(user: User, *, by: User) -> None:
    """Clear the failed-login count of ``user``'s e-mail."""
    throttle = db.session.get(LoginThrottle, user.email)
    if throttle is not None:
        db.session.delete(throttle)
        db.session.flush()
        audit.record("user.unlock", by=by, entity=user)


def record_logout(user: User) -> None:
    """Logging out ends every session and token of the user, not only this browser's."""
    end_sessions(user)
    db.session.flush()
    audit.record("auth.logout", by=user, entity=user)


# --- passwords -----------------------------------------------------------------------------


def change_password(user: User, *, current: str, new: str) -> None:
    """Change one's own password; every other session and token of the user ends."""
    fields: dict[str, list[str]] = {}
    if not verify_password(user.password_hash, current or ""):
        fields["current_password"] = [_("This is not your current password.")]
    problems = password_problems(new or "", email=user.email, full_name=user.full_name)
    if problems:
        fields["new_password"] = problems
    elif not fields and new == current:
        fields["new_password"] = [_("Choose a password different from the current one.")]
    if fields:
        raise ValidationFailed(fields=fields)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    end_sessions(user)
    end_links([user.id], user.password_changed_at)
    db.session.flush()
    audit.record("user.password_change", by=user, entity=user)


def reset_password(user: User, *, by: User) -> str:
    """Give ``user`` a new one-time password (returned once) to change at next sign-in."""
    if not can_reset_password(by, user):
        own = user.id == by.id
        raise NotAllowed(_("Use the change-password page for your own account.") if own else None)
    password = generate_password()
    user.password_hash = hash_generated_password(password)
    user.must_change_password = True
    end_sessions(user)
    end_links([user.id], utcnow())
    db.session.flush()
    unlock(user, by=by)
    audit.record("user.password_reset", by=by, entity=user)
    return password


def generate_password() -> str:
    """A random password of about 124 bits (25 characters from 31, at least the 112 bits
    that let it be stored with a fast hash), in groups easy to read out and type."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    number = secrets.randbelow(len(alphabet) ** 25)  # one draw: 25 uniform characters
    characters = []
    for _position in range(25):
        number, index = divmod(number, len(alphabet))
        characters.append(alphabet[index])
    return "-".join("".join(characters[i : i + 5]) for i in range(0, 25, 5))
