"""Single-use links sent by mail: invitations to choose a first password, and password
resets ("Forgot your password?").

A link carries 256 random bits; only their SHA-256 is stored (``account_link``). It works
once, for ``INVITATION_DAYS`` (an invitation) or ``RESET_MINUTES`` (a reset), and a newer
link of the same kind, or any new password, ends it. Using one sets the password, ends
every session and API token of the account and signs the person in (the view does).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from scbi import audit
from scbi.auth import throttle
from scbi.auth.models import AccountLink, LinkPurpose, LoginThrottle, User
from scbi.auth.passwords import hash_generated_password, hash_password, password_problems
from scbi.auth.permissions import can_reset_password
from scbi.auth.services import (
    create_user,
    end_links,
    end_sessions,
    generate_password,
    user_by_email,
)
from scbi.database import insert_rows, utcnow
from scbi.errors import InvalidTransition, NotAllowed, Throttled, ValidationFailed
from scbi.extensions import db
from scbi.mail.outbox import Mail, enabled, link, queue

# Not a hash: no password signs in to an account that waits for its invitation.
UNUSABLE = "!invited"


class LinkRefused(Exception):
    """The link cannot be used: ``reason`` is "unknown", "used" or "expired"."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _lifetime(purpose: LinkPurpose) -> timedelta:
    config = current_app.config
    if purpose == LinkPurpose.INVITATION:
        return timedelta(days=config["INVITATION_DAYS"])
    return timedelta(minutes=config["RESET_MINUTES"])


def _issue(user_ids: list[int], purpose: LinkPurpose, now: datetime) -> dict[int, str]:
    """A new link for each user (ending their earlier ones of the same kind): the tokens."""
    end_links(user_ids, now, purpose)
    tokens = {user_id: secrets.token_urlsafe(32) for user_id in user_ids}
    expires = now + _lifetime(purpose)
    insert_rows(
        db.session,
        AccountLink,
        [
            {
                "user_id": user_id,
                "purpose": purpose,
                "token_hash": _digest(token),
                "created_at": now,
                "expires_at": expires,
            }
            for user_id, token in tokens.items()
        ],
    )
    return tokens


# --- invitations ---------------------------------------------------------------------------


def invite(people: list[tuple[int, str, str]], *, by) -> None:
    """Mail each person ``(user id, e-mail, full name)`` an invitation to choose their
    password: one insert of the links and one of the mails however many there are."""
    if not people:
        return
    now = utcnow()
    tokens = _issue([user_id for user_id, _email, _name in people], LinkPurpose.INVITATION, now)
    days = current_app.config["INVITATION_DAYS"]
    inviter = by.full_name if by is not None and by.is_authenticated else None
    queue(
        [
            Mail(
                kind="invitation",
                to_address=email,
                to_user_id=user_id,
                subject=_l("Choose your password to start using SCBI"),
                template="notice",
                context={
                    "full_name": full_name,
                    "paragraphs": [
                        _l(
                            "%(inviter)s has opened an SCBI account for you: the programme's "
                            "record of coaching, skills-transfer plans and competencies.",
                            inviter=inviter,
                        )
                        if inviter
                        else _l(
                            "An SCBI account has been opened for you: the programme's "
                            "record of coaching, skills-transfer plans and competencies."
                        ),
                        _l(
                            "You will sign in with this address, %(email)s, and a password "
                            "you choose now.",
                            email=email,
                        ),
                    ],
                    "action": _l("Choose your password"),
                    "link": link("auth.accept_invitation", token=tokens[user_id]),
                    "note": _l(
                        "The link works once, for %(days)d days. If it has expired, ask the "
                        "programme secretariat for a new one.",
                        days=days,
                    ),
                },
            )
            for user_id, email, full_name in people
        ]
    )
    audit.record_all(
        "user.invite", by=by, changes=((("user", i), {"days": days}) for i, _e, _n in people)
    )


def create_account(*, by, email: str, full_name: str, roles):
    """A secretariat or coordinator account: invited by mail when mail is on (the password
    returned is None), else given a one-time password, returned to be shown once."""
    if enabled():
        user = create_user(
            by=by,
            email=email,
            full_name=full_name,
            password_hash=UNUSABLE,
            roles=roles,
            must_change_password=False,
        )
        invite([(user.id, user.email, user.full_name)], by=by)
        return user, None
    password = generate_password()
    user = create_user(
        by=by,
        email=email,
        full_name=full_name,
        password_hash=hash_generated_password(password),
        roles=roles,
    )
    return user, password


def can_resend_invitation(by: User, user: User) -> bool:
    """The secretariat sends a new invitation to an active account still without a
    password of its own."""
    return can_reset_password(by, user) and user.active and waits_for_invitation(user)


def resend_invitation(user: User, *, by: User) -> None:
    """A new invitation (the earlier link stops working). Raises NotAllowed for anyone but
    the secretariat, InvalidTransition once the person has signed in or with mail off."""
    if not can_reset_password(by, user):
        raise NotAllowed
    if not enabled():
        raise InvalidTransition(_("Mail is off: reset the password to give a one-time one."))
    if not user.active or not waits_for_invitation(user):
        raise InvalidTransition(
            _(
                "This person has already chosen a password; if it is forgotten, they reset "
                'it with "Forgot your password?" on the sign-in page.'
            )
        )
    invite([(user.id, user.email, user.full_name)], by=by)


# --- password reset ------------------------------------------------------------------------


def request_reset(email: str, *, client: str | None) -> None:
    """ "Forgot your password?": mail a reset link if an active account uses ``email``.

    The answer is the same whether or not it does (nothing is returned). At most
    ``RESET_PER_HOUR`` links go to one account an hour (more requests send nothing), and
    each request counts against the client address's sign-in budget (``Throttled`` past
    it: committed first, like a sign-in attempt)."""
    now = utcnow()
    try:
        throttle.claim_client(client, now)
    except throttle.Wait as wait:
        raise Throttled(
            _(
                "Too many requests from your network. Try again in %(minutes)d minutes.",
                minutes=(wait.seconds + 59) // 60,
            ),
            retry_after=wait.seconds,
        ) from None
    user = user_by_email(email)
    if user is None or not user.active or not enabled():
        audit.record("auth.reset_requested", actor_email=email, after={"sent": False})
        return
    recent = db.session.scalar(
        select(func.count())
        .select_from(AccountLink)
        .where(
            AccountLink.user_id == user.id,
            AccountLink.purpose == LinkPurpose.RESET,
            AccountLink.created_at > now - timedelta(hours=1),
        )
    )
    sent = recent < current_app.config["RESET_PER_HOUR"]
    if sent:
        token = _issue([user.id], LinkPurpose.RESET, now)[user.id]
        minutes = current_app.config["RESET_MINUTES"]
        queue(
            [
                Mail(
                    kind="password_reset",
                    to_address=user.email,
                    to_user_id=user.id,
                    language=user.language,
                    subject=_l("Reset your SCBI password"),
                    template="notice",
                    context={
                        "full_name": user.full_name,
                        "paragraphs": [
                            _l(
                                "Someone, probably you, asked to reset the password of your "
                                "SCBI account."
                            ),
                        ],
                        "action": _l("Choose a new password"),
                        "link": link("auth.reset_with_link", token=token),
                        "note": _l(
                            "The link works once, for %(minutes)d minutes. If you did not ask "
                            "for it, ignore this mail: your password stays as it is.",
                            minutes=minutes,
                        ),
                    },
                )
            ]
        )
    audit.record("auth.reset_requested", actor_email=email, entity=user, after={"sent": sent})


# --- using a link --------------------------------------------------------------------------


def open_link(token: str, purpose: LinkPurpose) -> AccountLink:
    """The link of ``token``, if it can still be used; raises LinkRefused saying why not."""
    found = db.session.scalar(
        select(AccountLink).where(
            AccountLink.token_hash == _digest(token or ""), AccountLink.purpose == purpose
        )
    )
    if found is None or not found.user.active:
        raise LinkRefused("unknown")
    if found.used_at is not None:
        raise LinkRefused("used")
    if found.expires_at <= utcnow():
        raise LinkRefused("expired")
    return found


def use_link(token: str, purpose: LinkPurpose, password: str) -> User:
    """Set the password chosen through a link (QUALITY.md's rules): the link is used up,
    every other open link, session and API token of the account ends, a lock after failed
    sign-ins is lifted. Raises LinkRefused, or ValidationFailed on ``password``."""
    found = open_link(token, purpose)
    user = found.user
    problems = password_problems(password or "", email=user.email, full_name=user.full_name)
    if problems:
        raise ValidationFailed(fields={"password": problems})
    now = utcnow()
    # Used up here and now, or not at all: of two requests with the same link, only the one
    # whose UPDATE finds it still open goes on (the other's waits for the row, then sees it
    # used).
    claimed = db.session.execute(
        update(AccountLink)
        .where(AccountLink.id == found.id, AccountLink.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        raise LinkRefused("used")
    user.password_hash = hash_password(password)
    user.must_change_password = False
    user.password_changed_at = user.last_login_at = now
    end_sessions(user)
    end_links([user.id], now)
    throttle_row = db.session.get(LoginThrottle, user.email)
    if throttle_row is not None:
        db.session.delete(throttle_row)
    db.session.flush()
    action = "user.invitation_accept" if purpose == LinkPurpose.INVITATION else "user.reset_by_link"
    audit.record(action, by=user, entity=user)
    audit.record("auth.login", by=user, entity=user)  # signed in by the link (a known client)
    return user


def waits_for_invitation(user: User) -> bool:
    """Whether the account has no password yet: its invitation is not accepted."""
    return user.password_hash == UNUSABLE
