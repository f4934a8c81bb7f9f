"""What the application keeps beside the history for the reports (``level_change``,
``log_month``): each such table is rebuilt and checked the same way, against a SELECT that
computes its rows from the history."""

from __future__ import annotations

from sqlalchemy import Select, delete, except_, func, insert, select

from scbi.extensions import db


def rebuild(model, columns: tuple[str, ...], computed: Select) -> int:
    """Write ``model``'s whole table again from ``computed`` (a SELECT of ``columns``);
    the number of rows."""
    connection = db.session.connection()
    connection.execute(delete(model))
    connection.execute(insert(model).from_select(list(columns), computed))
    return db.session.scalar(select(func.count()).select_from(model))


def drift(model, columns: tuple[str, ...], computed: Select) -> int:
    """Rows that differ between ``model``'s table and ``computed`` (0 when kept): each row
    missing and each row extra counts once."""
    kept = select(*(getattr(model, name) for name in columns))
    missing = except_(computed, kept).subquery()
    extra = except_(kept, computed).subquery()
    return db.session.scalar(select(func.count()).select_from(missing)) + db.session.scalar(
        select(func.count()).select_from(extra)
    )
