"""The request's unit of work: services change and flush; the view, API handler or CLI
command that called them ends the transaction here, once, and never holds the session
itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from scbi.extensions import db

T = TypeVar("T")


def commit() -> None:
    """End the request's unit of work: what the services changed is written, once.

    Services only flush; the view, API handler or CLI command that called them commits
    here (or rolls back below), so those modules never hold the session themselves."""
    db.session.commit()


def commit_with(answer: Callable[[], T]) -> T:
    """Commit, answering with ``answer()`` read just before: from the objects the services
    have flushed, in the transaction that wrote them. After a commit every loaded object
    is expired, and an answer built then would read the whole record again."""
    value = answer()
    db.session.commit()
    return value


def commit_if_changed() -> None:
    """Commit only when the session holds changes (bookkeeping such as a token's last
    use), so a read-only request sends no COMMIT of its own."""
    if db.session.dirty or db.session.new or db.session.deleted:
        db.session.commit()


def rollback() -> None:
    """Drop the request's changes (a refused form is shown again with nothing saved)."""
    db.session.rollback()


def answers() -> bool:
    """Whether the database answers a trivial query now (the health check)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True
