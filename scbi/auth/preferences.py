"""A person's own preferences: which optional mails they receive (on their account page, or
one click in a mail) and the language they read SCBI and their mails in."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import User
from scbi.errors import NotAllowed, ValidationFailed
from scbi.extensions import db

MAIL_PREFERENCES = {"event": "mail_events", "reminder": "mail_reminders", "digest": "mail_digest"}


def set_mail_preferences(user: User, *, by: User, **wanted: bool) -> None:
    """Turn the optional mails (``mail_events``, ``mail_reminders``, ``mail_digest``) on or
    off for one's own account."""
    if by.id != user.id:
        raise NotAllowed
    before = {name: getattr(user, name) for name in MAIL_PREFERENCES.values()}
    for name, value in wanted.items():
        if name not in before:
            raise ValidationFailed(fields={name: [_("Not a mail preference.")]})
        setattr(user, name, bool(value))
    after = {name: getattr(user, name) for name in MAIL_PREFERENCES.values()}
    db.session.flush()
    if after != before:
        audit.record("user.mail_preferences", by=by, entity=user, before=before, after=after)


def unsubscribe(user_id: int, kind: str) -> User | None:
    """One click in a mail (a signed token, no sign-in): ``kind`` mails stop for the user.
    Returns the account (None if it no longer exists)."""
    user = db.session.get(User, user_id)
    if user is None or kind not in MAIL_PREFERENCES:
        return None
    name = MAIL_PREFERENCES[kind]
    if getattr(user, name):
        setattr(user, name, False)
        db.session.flush()
        audit.record("user.unsubscribe", actor_email=user.email, entity=user, after={name: False})
    return user


def set_language(user: User, language: str) -> None:
    """Save the language a person reads SCBI and their mails in."""
    if language not in current_app.config["LANGUAGES"]:
        raise ValidationFailed(fields={"language": [_("Choose one of the languages offered.")]})
    audit.apply_changes(user, {"language": language}, by=user, action="user.language")
