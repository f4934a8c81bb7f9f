"""Paging for lists. Most lists (people, pairings, accounts: thousands of rows) page by
number with one COUNT and one page query; the lists that grow with the programme's
activity (transfer logs: millions) page by key (:func:`seek`), so every page costs the
same whatever the table's size."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func, select, tuple_

from scbi.extensions import db
from scbi.sql import without_order_hints

MAX_PER_PAGE = 200


def page_args(default_per_page: int = 25) -> tuple[int, int]:
    """``?page=`` and ``?per_page=`` read leniently: nonsense falls back to the defaults."""
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default_per_page, type=int) or default_per_page
    return min(max(page, 1), 10**6), min(max(per_page, 1), MAX_PER_PAGE)


def paginate(query: Select, default_per_page: int = 25):
    page, per_page = page_args(default_per_page)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)


# A list paged by its key counts its rows only up to here: beyond, "more than CAP".
CAP = 10_000


@dataclass(frozen=True)
class SeekPage:
    """A page of a list ordered newest first by (date, id) and paged by that key, not by
    OFFSET: any page, the last one included, reads only its own rows through the index.
    ``after``/``before`` are the keys that fetch the next and previous pages."""

    items: list
    per_page: int
    total: int  # exact up to CAP
    capped: bool  # more than CAP rows
    after: str | None  # the next page's cursor (None on the last page)
    before: str | None  # the previous page's cursor (None on the first page)
    summed: int | None = None  # ``seek``'s ``total_of`` summed over the rows counted


@dataclass(frozen=True)
class NumberedPage:
    """A page by number of a list that grows with the programme (the API's envelope)."""

    items: list
    page: int
    per_page: int
    total: int  # exact up to CAP
    capped: bool
    next: str | None = None  # the cursor of the page after this one (keyed lists only)


def numbered(
    query: Select, entity, order, *, default_per_page: int = 25, options=(), day_column=None
):
    """The ``?page=`` of ``query``'s rows of ``entity`` in ``order``: the page's ids read by
    key (no wide rows sorted), then its objects loaded with ``options``; the count stops at
    :data:`CAP`. A deep page still skips its predecessors' keys; a list ordered newest first
    by (``day_column``, id) also answers ``?after=`` (the ``next`` cursor of the page
    before), which reads only its own rows, however deep."""
    page, per_page = page_args(default_per_page)
    keys = query.with_only_columns(entity.id).order_by(None)
    if day_column is None:
        ids = list(
            db.session.scalars(keys.order_by(*order).offset((page - 1) * per_page).limit(per_page))
        )
        following = None
    else:
        keyed = query.with_only_columns(day_column, entity.id).order_by(*order)
        after = _key(request.args.get("after"))
        if after is not None:
            keyed = keyed.where(tuple_(day_column, entity.id) < after)
        else:
            keyed = keyed.offset((page - 1) * per_page)
        rows = _rows(keyed, per_page)
        ids = [ident for _day, ident in rows[:per_page]]
        following = cursor(*rows[per_page - 1]) if len(rows) > per_page else None
    loaded, counted = load_in_order(entity, ids, options), _capped_count(keys)
    return NumberedPage(
        items=loaded,
        page=page,
        per_page=per_page,
        total=min(counted, CAP),
        capped=counted > CAP,
        next=following,
    )


def cursor(day: date, ident: int) -> str:
    return f"{day.isoformat()}.{ident}"


def _key(raw: str | None) -> tuple[date, int] | None:
    """A cursor read leniently: nonsense is no cursor (the first page)."""
    try:
        day, ident = (raw or "").split(".")
        return date.fromisoformat(day), int(ident)
    except ValueError:
        return None


def seek(
    query: Select,
    entity,
    day_column,
    args,
    *,
    default_per_page: int = 25,
    options=(),
    total_of=None,
):
    """The page ``args`` asks for (``after``, ``before`` or ``last``, else the first) of
    ``query``'s rows of ``entity``, newest first by (``day_column``, id). ``query`` holds
    the filters only; its rows are read by their key (an index on the date and the id),
    then the page's ``entity`` objects are loaded with ``options``. The count stops at
    :data:`CAP`; with ``total_of`` (a column), the same statement also sums it over the
    rows counted (``summed``: the list's total when it is not capped)."""
    _page, per_page = page_args(default_per_page)
    keys = query.with_only_columns(day_column, entity.id).order_by(None)
    newest = (day_column.desc(), entity.id.desc())
    oldest = (day_column.asc(), entity.id.asc())
    after, before = _key(args.get("after")), _key(args.get("before"))
    if after is not None:
        rows = _rows(keys.where(tuple_(day_column, entity.id) < after).order_by(*newest), per_page)
        more_after, more_before = len(rows) > per_page, True
    elif before is not None:
        rows = _rows(keys.where(tuple_(day_column, entity.id) > before).order_by(*oldest), per_page)
        more_after, more_before = True, len(rows) > per_page
        rows = rows[:per_page][::-1]
    elif args.get("last"):
        rows = _rows(keys.order_by(*oldest), per_page)
        more_after, more_before = False, len(rows) > per_page
        rows = rows[:per_page][::-1]
    else:
        rows = _rows(keys.order_by(*newest), per_page)
        more_after, more_before = len(rows) > per_page, False
    rows = rows[:per_page]
    ids = [ident for _day, ident in rows]
    loaded = load_in_order(entity, ids, options)
    if total_of is None:
        counted, summed = _capped_count(keys), None
    else:
        measured = without_order_hints(keys).add_columns(total_of.label("measure"))
        measured = measured.limit(CAP + 1).subquery()
        counted, summed = db.session.execute(
            select(func.count(), func.coalesce(func.sum(measured.c.measure), 0))
        ).one()
    return SeekPage(
        items=loaded,
        per_page=per_page,
        total=min(counted, CAP),
        capped=counted > CAP,
        after=cursor(*rows[-1]) if rows and more_after else None,
        before=cursor(*rows[0]) if rows and more_before else None,
        summed=int(summed) if summed is not None else None,
    )


def _rows(query: Select, per_page: int) -> list[tuple[date, int]]:
    return [tuple(row) for row in db.session.execute(query.limit(per_page + 1))]


def sample(query: Select, entity, args, *, default_per_page: int = 25, options=()):
    """A random page of ``query``'s rows of ``entity`` (a new one on every visit). Up to
    :data:`CAP` rows are shuffled in SQL. Beyond, ids are drawn at random between the
    table's lowest and highest (its primary key's two ends) and the query keeps those it
    admits — each of its rows as likely as any other, in a few primary-key lookups, where a
    shuffle of millions would sort them all."""
    _page, per_page = page_args(default_per_page)
    keys = query.with_only_columns(entity.id).order_by(None)
    counted = _capped_count(keys)
    ids: list[int] = []
    if counted > CAP:
        low, high = db.session.execute(select(func.min(entity.id), func.max(entity.id))).one()
        span = high - low + 1
        # More than CAP rows match, so a draw hits one at least CAP / span of the time:
        # draw ten times more each round until enough are found, at most that bound's worth.
        draws, most = per_page * 4, per_page * 4 * (span // CAP + 1)
        found: list[int] = []
        while len(found) < per_page and draws <= most * 10:
            drawn = {low + secrets.randbelow(span) for _ in range(min(draws, span))}
            found = list(db.session.scalars(keys.where(entity.id.in_(drawn))))
            draws *= 10
        ids = [found.pop(secrets.randbelow(len(found))) for _ in range(min(per_page, len(found)))]
    if len(ids) < per_page:  # a small list, or an unlucky draw: shuffle in SQL
        ids = list(db.session.scalars(keys.order_by(func.random()).limit(per_page)))
    return SeekPage(
        items=load_in_order(entity, ids, options),
        per_page=per_page,
        total=min(counted, CAP),
        capped=counted > CAP,
        after=None,
        before=None,
    )


def load_in_order(entity, ids: list[int], options) -> list:
    """The ``entity`` objects of ``ids``, in that order, loaded with ``options``."""
    found = db.session.scalars(select(entity).where(entity.id.in_(ids)).options(*options))
    by_id = {obj.id: obj for obj in found}
    return [by_id[i] for i in ids if i in by_id]


def _capped_count(keys: Select) -> int:
    """How many rows ``keys`` has, counted no further than CAP + 1."""
    counted = without_order_hints(keys).limit(CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(counted))


class _RowPagination(SelectPagination):
    """A page of a SELECT of several columns: its rows, where ``db.paginate`` keeps the
    first column's values only."""

    def _query_items(self) -> list:
        query = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(query).all())


def paginate_rows(query: Select, default_per_page: int = 25):
    """:func:`paginate` for a query of columns (the page's items are rows): one COUNT and
    one page query, with the pager's attributes (``pages``, ``has_next`` …)."""
    page, per_page = page_args(default_per_page)
    return _RowPagination(
        select=query,
        session=db.session(),
        page=page,
        per_page=per_page,
        max_per_page=MAX_PER_PAGE,
        error_out=False,
        count=True,
    )


class _Listed(Pagination):
    """flask_sqlalchemy's page of a list already in memory (its ``rows`` keyword)."""

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self._query_args["rows"][start : start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def paginate_list(rows: list, default_per_page: int = 25):
    """The ``?page=`` of ``rows`` (a list worked out in Python, in order), read as
    :func:`paginate` reads a query's: the same pager shows it."""
    page, per_page = page_args(default_per_page)
    return _Listed(
        page=page, per_page=per_page, max_per_page=MAX_PER_PAGE, error_out=False, rows=rows
    )
