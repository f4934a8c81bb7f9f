"""Evidence on a log: files (type checked on the content) and links.

Added by the log's author until the mentee acknowledges the log (a draft, a disputed or a
sent log: a photo taken on the day can follow a log sent from the field); removed only
from a draft (the file
leaves the disk when the removal commits). A failure half-way leaves neither a record
nor a file (see scbi.files).
"""

from __future__ import annotations

from typing import BinaryIO
from urllib.parse import urlsplit

from flask_babel import gettext as _

from scbi import audit, files
from scbi.auth.models import User
from scbi.database import utcnow
from scbi.downloads import Download
from scbi.errors import InvalidTransition, NotAllowed, NotFound
from scbi.extensions import db
from scbi.files import refusal_message, safe_name
from scbi.transfer.models import EVIDENCE, Evidence, LogEvent, LogStatus, TransferLog
from scbi.validation import Errors

__all__ = ["refusal_message", "safe_name"]  # the checks every upload shares (scbi.files)


EVIDENCE_STATUSES = frozenset({LogStatus.DRAFT, LogStatus.DISPUTED, LogStatus.SUBMITTED})


def _require_author(log: TransferLog, by: User) -> None:
    if log.author_id != by.id:
        raise NotAllowed(_("Only the log's author adds or removes its evidence."))
    if LogStatus(log.status) not in EVIDENCE_STATUSES:
        raise InvalidTransition(
            _(
                "Evidence is added until the mentee acknowledges the log (this one is: "
                "%(status)s).",
                status=LogStatus(log.status).label,
            )
        )
    if not log.pairing.is_open:  # the mentee's exit ends the pairing too
        raise InvalidTransition(_("This pairing has ended; its logs can no longer change."))


def add_file(
    log: TransferLog, *, by: User, stream: BinaryIO, filename: str, title: str = ""
) -> Evidence:
    _require_author(log, by)
    name, stored = files.store_upload(stream, filename, db.session)
    evidence = Evidence(
        log_id=log.id,
        title=(title or name)[: EVIDENCE["title"].max_length],
        original_name=name,
        stored_name=stored.stored_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=by.id,
        uploaded_at=utcnow(),
    )
    return _attach(log, evidence, by)


def add_link(log: TransferLog, *, by: User, url: str, title: str) -> Evidence:
    _require_author(log, by)
    errors = Errors()
    url = errors.text("url", url, **EVIDENCE["url"].check())
    title = errors.text("title", title, **EVIDENCE["title"].check())
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        errors.add("url", _("Give a web address starting with https:// or http://."))
    errors.raise_if_any()
    evidence = Evidence(
        log_id=log.id, title=title, url=url, uploaded_by_id=by.id, uploaded_at=utcnow()
    )
    return _attach(log, evidence, by)


def _attach(log: TransferLog, evidence: Evidence, by: User) -> Evidence:
    db.session.add(evidence)
    log.events.append(
        LogEvent(action="evidence_added", by_id=by.id, at=utcnow(), comment=evidence.title)
    )
    log.version += 1
    db.session.flush()
    audit.record(
        "evidence.add",
        by=by,
        entity=evidence,
        after={
            "log_id": log.id,
            "title": evidence.title,
            "sha256": evidence.sha256,
            "url": evidence.url,
            "size": evidence.size,
        },
    )
    return evidence


def remove_evidence(evidence: Evidence, *, by: User) -> None:
    log = evidence.log
    _require_author(log, by)
    if log.status != LogStatus.DRAFT:
        raise InvalidTransition(_("Evidence of a submitted log stays; add a correction instead."))
    if evidence.stored_name:
        files.delete_after_commit(evidence.stored_name, db.session)
    log.events.append(
        LogEvent(action="evidence_removed", by_id=by.id, at=utcnow(), comment=evidence.title)
    )
    log.version += 1
    audit.record(
        "evidence.remove",
        by=by,
        entity=evidence,
        before={"log_id": log.id, "title": evidence.title, "sha256": evidence.sha256},
    )
    db.session.delete(evidence)
    db.session.flush()


def evidence_file(evidence: Evidence, *, inline: bool = False) -> Download:
    """The evidence file under its original name: saved, or with ``inline`` opened in the
    browser when it is an image or a PDF (``Evidence.opens_in_browser``: the type stored
    at upload, checked on the content); links and missing files raise NotFound."""
    if not evidence.is_file:
        raise NotFound
    return files.stored_download(
        evidence.stored_name, evidence.content_type, evidence.original_name, inline=inline
    )
