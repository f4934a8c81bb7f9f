"""The weekly digest (``flask --app wsgi scbi digest``, from a weekly timer): each person's
"what needs me now", as their home page shows it, unless it is empty or they turned the
digest off. Sent once a week at most (its key is the person and the ISO week)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urljoin

from flask import current_app, request
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scbi.auth.models import User
from scbi.dates import today
from scbi.extensions import db
from scbi.i18n import locale_of
from scbi.mail.outbox import Mail, base_url, queue
from scbi.needs import needs_for
from scbi.notify.reminders import Item

BATCH = 500


def digest(day: date | None = None) -> int:
    """Queue this week's digests; returns how many."""
    year, week, _weekday = (day or today()).isocalendar()
    queued, after = 0, 0
    # Links as the home page makes them, from the public address.
    with current_app.test_request_context(base_url=base_url()):
        while True:
            people = list(
                db.session.scalars(
                    select(User)
                    .where(User.active.is_(True), User.mail_digest.is_(True), User.id > after)
                    .options(selectinload(User.role_rows))
                    .order_by(User.id)
                    .limit(BATCH)
                )
            )
            if not people:
                return queued
            after = people[-1].id
            queued += queue([mail for user in people if (mail := _digest_of(user, year, week))])


def _digest_of(user: User, year: int, week: int) -> Mail | None:
    with force_locale(locale_of(user.language)):  # the needs' texts, in their language
        return _digest_in_language(user, year, week)


def _digest_in_language(user: User, year: int, week: int) -> Mail | None:
    items = [
        Item("", need.title, urljoin(request.url_root, need.url), need.hint)
        for need in needs_for(user)
    ]
    if not items:
        return None
    return Mail(
        kind="digest",
        to_address=user.email,
        to_user_id=user.id,
        language=user.language,
        subject=ngettext(
            "SCBI this week: %(num)d thing needs you",
            "SCBI this week: %(num)d things need you",
            len(items),
        ),
        template="list",
        context={
            "full_name": user.full_name,
            "intro": _("This is what needs you in SCBI this week:"),
            "items": items,
        },
        dedupe_key=f"digest:{user.id}:{year}-W{week:02d}",
    )
