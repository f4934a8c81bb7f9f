"""Queueing mail: each message rendered from its templates (plain text and HTML) and
written as an outbox row in the caller's transaction, delivered later by the worker.

With mail off (no ``SCBI_MAIL_SERVER``) the rows are still written, as *held*: the
secretariat sees at /mail what would have been sent, and nothing is ever delivered.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, is_dataclass, replace
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, request
from flask_babel import LazyString, force_locale, format_date
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from scbi.database import insert_rows, utcnow
from scbi.extensions import db
from scbi.i18n import locale_of
from scbi.mail.models import MailMessage, MailStatus
from scbi.sql import batches

# Mails a person cannot turn off: they carry a link to sign in with (never shown at /mail).
ESSENTIAL = frozenset({"invitation", "password_reset"})
# What a person can turn off, each by its own preference on the account.
OPTIONAL = ("event", "reminder", "digest")


@dataclass
class Mail:
    """One message to one person, before rendering: ``template`` names
    ``mail/<template>.txt`` and ``.html``, which read ``context``."""

    kind: str
    to_address: str
    subject: object  # a string, or a lazy one made in the recipient's language
    template: str
    context: dict = field(default_factory=dict)
    to_user_id: int | None = None
    dedupe_key: str | None = None
    language: str | None = None  # the recipient's (None: the programme's default)


_holding: ContextVar[bool] = ContextVar("scbi.mail.holding", default=False)


@contextmanager
def holding() -> Iterator[None]:
    """Mail queued inside (commit included) is held, never sent: the demo's made-up
    history is not news to anyone."""
    token = _holding.set(True)
    try:
        yield
    finally:
        _holding.reset(token)


def long_date(day) -> LazyString:
    """A date written out in the language the mail is rendered in (1 février 2026)."""
    return LazyString(format_date, day, "long")


def enabled() -> bool:
    """Whether mail is delivered (``SCBI_MAIL_SERVER`` set)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def base_url() -> str:
    """The public address links start with: ``SCBI_BASE_URL``, else (mail off) the
    address this request came to, else the development server's."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def link(endpoint: str, **values) -> str:
    """The full address of a page, for a mail: built from ``base_url`` whether or not a
    request is being answered (a worker or a timer sends from the command line)."""
    base = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def _unsubscribe_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="scbi.mail.unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A signed token that turns off ``kind`` mails for the user, without signing in."""
    return _unsubscribe_signer().dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The (user id, kind) a token was made for, or None for a token this server did not
    sign (changed, or made with another secret key)."""
    try:
        user_id, kind = _unsubscribe_signer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or kind not in OPTIONAL:
        return None
    return user_id, kind


def render(mail: Mail) -> dict:
    """The outbox row of ``mail``, in its recipient's language (its subject and context
    may be lazy strings, made now): the subject on one line, the bodies from the
    templates (HTML escaped by Jinja; the text template is not HTML), and for a mail a
    person may turn off, the one-click unsubscribe address."""
    with force_locale(locale_of(mail.language)):
        return _render(mail)


def _plain(value):
    """``value`` with its lazy strings made, as plain text: a lazy string counts as markup
    for Jinja (it has ``__html__``), and would reach the HTML with the user text in it
    unescaped."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _plain(getattr(value, f.name)) for f in fields(value)})
    return value


def _render(mail: Mail) -> dict:
    mail = replace(mail, subject=str(mail.subject), context=_plain(mail.context))
    unsubscribe = None
    if mail.kind not in ESSENTIAL and mail.to_user_id is not None:
        unsubscribe = link("auth.unsubscribe", token=unsubscribe_token(mail.to_user_id, mail.kind))
    context = {
        **mail.context,
        "subject": mail.subject,
        "unsubscribe_url": unsubscribe,
        "account_url": link("auth.account"),
        "home_url": link("main.home"),
        "sender_name": current_app.config["MAIL_SENDER_NAME"],
    }
    subject = " ".join(str(mail.subject).split())[:300]  # no line break can reach the header
    return {
        "kind": mail.kind,
        "to_address": mail.to_address,
        "to_user_id": mail.to_user_id,
        "subject": subject,
        "text_body": render_template(f"mail/{mail.template}.txt", **context),
        "html_body": render_template(f"mail/{mail.template}.html", **context),
        "unsubscribe_url": unsubscribe,
        "sensitive": mail.kind in ESSENTIAL,
        "dedupe_key": mail.dedupe_key,
    }


def queue(mails: list[Mail]) -> int:
    """Write ``mails`` to the outbox in the current transaction (one multi-row insert),
    skipping any whose ``dedupe_key`` is already there (a reminder sent once per
    occurrence). Returns how many were written."""
    keys = [m.dedupe_key for m in mails if m.dedupe_key]
    taken: set[str] = set()
    for batch in batches(sorted(set(keys))):
        taken.update(
            db.session.scalars(
                select(MailMessage.dedupe_key).where(MailMessage.dedupe_key.in_(batch))
            )
        )
    seen: set[str] = set()
    fresh = []
    for mail in mails:
        if mail.dedupe_key:
            if mail.dedupe_key in taken or mail.dedupe_key in seen:
                continue
            seen.add(mail.dedupe_key)
        fresh.append(mail)
    if not fresh:
        return 0
    now = utcnow()
    status = MailStatus.QUEUED if enabled() and not _holding.get() else MailStatus.HELD
    rows = [
        render(mail)
        | {
            "created_at": now,
            "status": status,
            "attempts": 0,
            "next_attempt_at": now if status == MailStatus.QUEUED else None,
            "last_error": "",
        }
        for mail in fresh
    ]
    insert_rows(db.session, MailMessage, rows)
    return len(rows)
