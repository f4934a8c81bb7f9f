"""Logs a client sends: once per key (a phone's entry, a form's submission, an API call
with an Idempotency-Key), and a group session's logs, one for each of the coach's mentees
in one activity. Both are made by :func:`scbi.transfer.services.logs.create_log`."""

from __future__ import annotations

import re
from io import BytesIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scbi import audit
from scbi.auth.models import User
from scbi.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from scbi.extensions import db
from scbi.transfer.models import LogSession, Pairing, TransferLog
from scbi.transfer.services import evidence
from scbi.transfer.services.logs import create_log, submit_log

CLIENT_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,64}")


def create_log_once(pairing: Pairing, *, by: User, key: str, **data) -> tuple[TransferLog, bool]:
    """Write the log a client sends with its own ``key`` (a phone's entry, a form's
    submission), once: the same key again — a retry after a lost answer, a double tap, an
    offline entry sent twice — gives back the log it made. Returns ``(log, made now)``.

    Raises ValidationFailed for a key that is not 8–64 letters, digits or ``_.:-``, and
    Conflict when the key made a log of another pairing."""
    _check_key(key)
    made = _logged_with(by, key)
    if made is None:
        try:
            return create_log(pairing, by=by, client_key=key, **data), True
        except IntegrityError:
            # A parallel sending with this key committed its log between the read above and
            # this insert. This transaction has written nothing else yet (the log is the
            # first thing a sending writes): it ends, and that log is given back. (No
            # savepoint: SQLite's driver commits a savepoint opened outside a transaction.)
            db.session.rollback()
            made = _logged_with(by, key)
            if made is None:
                raise
    if made.pairing_id != pairing.id:
        raise Conflict(
            _("This key was already used for a log of another pairing."),
            code="client_key_reused",
        )
    return made, False


def create_session_logs(
    pairings: list[Pairing],
    *,
    by: User,
    key: str | None = None,
    roles: dict[int, str] | None = None,
    **data,
) -> tuple[list[TransferLog], bool]:
    """One activity with several of ``by``'s mentees (a training, a joint site visit): a
    log for each pairing, the same content, tied by a new session; each then has its own
    life (its mentee's part can be changed while a draft, its own acknowledgement or
    dispute; ``roles`` gives a mentee's part, by pairing id, where it is not ``data``'s).
    All or none: a pairing that refuses the log names its mentee. With ``key``
    the session is made once (each log keeps a key of its own from it): the same key again
    gives back its logs. Returns ``(logs, made now)``."""
    if key is not None:
        _check_key(key)
    if key is not None and (made := _logged_with(by, key)) is not None:
        if made.session_id is None:
            return [made], False
        return list(
            db.session.scalars(
                select(TransferLog)
                .where(TransferLog.session_id == made.session_id)
                .order_by(TransferLog.id)
            )
        ), False
    session = LogSession(author_id=by.id)
    db.session.add(session)
    db.session.flush()
    made_logs = []
    for n, pairing in enumerate(pairings):
        try:
            log = create_log(
                pairing,
                by=by,
                client_key=(key if n == 0 else f"{key}:{pairing.id}") if key else None,
                **(
                    data
                    | ({"mentee_role": roles[pairing.id]} if pairing.id in (roles or {}) else {})
                ),
            )
        except (ValidationFailed, InvalidTransition, NotAllowed) as refusal:
            if n == 0:
                raise
            messages = [m for ms in getattr(refusal, "fields", {}).values() for m in ms]
            raise ValidationFailed(
                fields={
                    "session_pairing_ids": [
                        _(
                            "Not logged for %(name)s: %(reason)s",
                            name=pairing.mentee.full_name,
                            reason=" ".join(messages) or refusal.message,
                        )
                    ]
                }
            ) from None
        log.session_id = session.id
        made_logs.append(log)
    db.session.flush()
    audit.record(
        "log.session",
        by=by,
        entity=(LogSession.__tablename__, session.id),
        after={"log_ids": [log.id for log in made_logs]},
    )
    return made_logs, True


def _part_of(pairing: Pairing, roles: dict[int, str] | None) -> dict:
    """The mentee's own part in a session, where it is not the form's."""
    return {"mentee_role": roles[pairing.id]} if roles and pairing.id in roles else {}


def _check_key(key) -> None:
    if not isinstance(key, str) or not CLIENT_KEY.fullmatch(key):
        raise ValidationFailed(
            fields={"client_key": [_("Use 8 to 64 letters, digits or the signs _ . : -.")]}
        )


def _logged_with(author: User, key: str) -> TransferLog | None:
    return db.session.scalar(
        select(TransferLog).where(TransferLog.author_id == author.id, TransferLog.client_key == key)
    )


def send_quick_log(
    pairing: Pairing,
    *,
    by: User,
    key: str | None,
    values: dict,
    partners: list[Pairing] = (),
    roles: dict[int, str] | None = None,
    files: list[tuple[str, bytes]] = (),
    link: str = "",
    submit: bool = False,
) -> TransferLog:
    """The quick log as the coach sends it: the log (once per ``key``), or a group session's
    logs with ``partners``; the photo, files (``(name, content)``) and link sent with it,
    on each log of the session; and each sent to its mentee when ``submit``. All or
    nothing. A key sent before gives back the first sending's log, as it is now. Returns
    the log of ``pairing``."""
    if partners:
        made_logs, made = create_session_logs(
            [pairing, *partners], by=by, key=key, roles=roles, **values
        )
    elif key:
        log, made = create_log_once(pairing, by=by, key=key, **values)
        made_logs = [log]
    else:
        made_logs, made = [create_log(pairing, by=by, **values)], True
    if made:
        complete(made_logs, by=by, files=files, link=link, submit=submit)
    return made_logs[0]


def complete(
    logs: list[TransferLog],
    *,
    by: User,
    files: list[tuple[str, bytes]] = (),
    link: str = "",
    submit: bool = False,
) -> None:
    """Attach what was sent with the logs (each file and the link on every one), then send
    them to their mentees when asked."""
    for log in logs:
        for name, content in files:
            evidence.add_file(log, by=by, stream=BytesIO(content), filename=name)
        if link:
            evidence.add_link(log, by=by, url=link, title=link)
        if submit:
            submit_log(log, by=by)
