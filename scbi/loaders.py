"""The reads every feature's queries share: a record by id for a page or an API call
(found, or NotFound), and counts by key for the figures pages show.

A feature's scoped loaders (``mentee_or_404(user, id)`` in its ``queries.py``) pass the
feature's visibility filter as ``scope``: a record outside it looks exactly like a missing
one, and the NotFound names the record asked for, so the refusal is audited
(``access.denied``, scbi/errors.py) whether the record exists or not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Select, func, select

from scbi.errors import NotFound
from scbi.extensions import db

T = TypeVar("T")


def hidden(table: str, ident: int) -> NotFound:
    """The 404 of a scoped loader: missing or not visible, naming the record asked for."""
    return NotFound(entity=(table, ident))


def load_or_404(
    model: type[T],
    ident: int,
    *,
    scope: Callable[[Select], Select] | None = None,
    options=(),
) -> T:
    """The ``model`` row whose id is ``ident``, loaded with ``options``.

    Without ``scope`` the record is one every caller of the route may read (programme
    set-up); a missing one is a plain 404. With ``scope``, the row must also pass it, and
    the 404 names the record (a refusal, audited).
    """
    if scope is None:
        found = db.session.get(model, ident, options=list(options))  # the identity map first
        if found is None:
            raise NotFound()
        return found
    found = db.session.scalar(scope(select(model).where(model.id == ident).options(*options)))
    if found is None:
        raise hidden(model.__tablename__, ident)
    return found


def count_by(key, *conditions) -> dict:
    """How many rows per value of ``key`` (a column) meet ``conditions``: one grouped
    query; a value with none is missing from the dict (read it with ``.get(k, 0)``)."""
    query = select(key, func.count()).where(*conditions).group_by(key)
    return dict(db.session.execute(query).all())


def counts(*queries) -> list[int]:
    """How many rows each of ``queries`` has, in one statement (one round trip and one
    plan for a page's several counts, not one each)."""
    sizes = (select(func.count()).select_from(q.subquery()).scalar_subquery() for q in queries)
    return list(db.session.execute(select(*sizes)).one())


def tallies(*queries) -> list[tuple[int, int | None]]:
    """For each of ``queries`` (each selecting one id column), how many rows it has and,
    when it has exactly one, that row's id (None otherwise), in one statement: a queue of
    one opens its record, not a list of one."""
    return read_tallies(tally_statement(*queries))


def tally_statement(*queries) -> Select:
    """The one statement of :func:`tallies`: a page that asks the same questions on every
    request builds it once, with bind parameters for what changes (the user), and reads
    it with :func:`read_tallies` (building it and its cache key cost more than running it)."""
    columns = []
    for query in queries:
        rows = query.subquery()
        columns.append(select(func.count()).select_from(rows).scalar_subquery())
        # any row's id will do (it is used only when there is one): no sort, no full read
        columns.append(select(rows.c[0]).limit(1).scalar_subquery())
    return select(*columns)


def read_tallies(statement: Select, parameters: dict | None = None) -> list:
    """The ``(count, the id when only one)`` pairs of a :func:`tally_statement`."""
    values = db.session.execute(statement, parameters or {}).one()
    return [
        (count, first if count == 1 else None)
        for count, first in zip(values[::2], values[1::2], strict=True)
    ]


def count_where(model, *conditions) -> int:
    """How many rows of ``model`` meet ``conditions``."""
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))
