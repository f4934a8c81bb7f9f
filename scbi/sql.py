"""SQL functions written differently on SQLite and PostgreSQL, as SQLAlchemy constructs.

``portable("name", type, sqlite="…", postgresql="…")`` makes a function whose SQL comes
from the template of the dialect it is compiled for, ``{0}``, ``{1}`` … standing for its
arguments. The reports, the level changes and the CSV downloads use it; nothing else
checks the dialect at run time.
"""

from __future__ import annotations

from sqlalchemy import Date, Integer, String, cast, literal_column, null
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import visitors
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeEngine


def portable(name: str, type_: TypeEngine, **templates: str) -> type[FunctionElement]:
    construct = type(name, (FunctionElement,), {"type": type_, "inherit_cache": True})
    for dialect, template in templates.items():

        def render(element, compiler, template=template, **kw):
            return template.format(*(compiler.process(c, **kw) for c in element.clauses))

        compiles(construct, dialect)(render)
    return construct


# The UTC calendar day of a timestamp column.
utc_day = portable(
    "utc_day", Date(), sqlite="date({0})", postgresql="CAST(timezone('UTC', {0}) AS DATE)"
)


def blank(type_: TypeEngine):
    """A NULL of ``type_``: the parts of a UNION ALL that fill different columns pad the
    others with these (PostgreSQL types each column of a UNION)."""
    return cast(null(), type_)


def row_kind(name: str):
    """A part of a UNION ALL's literal first column: which kind of row it is."""
    return literal_column(f"'{name}'", String)


# ``YYYY-MM`` of a date column.
month_of = portable(
    "month_of", String(), sqlite="strftime('%Y-%m', {0})", postgresql="to_char({0}, 'YYYY-MM')"
)

# A column SQLite's planner must not drive a query from (its unary plus hides the column's
# indexes), where walking another index is cheaper: a list in a wide scope read in its own
# order. PostgreSQL's planner weighs the two itself and gets the column as it is.
not_driving = portable("not_driving", Integer(), sqlite="+{0}", postgresql="{0}")


def without_order_hints(statement):
    """``statement`` with its ``not_driving`` hints taken off, for a read that keeps no
    order — a count: the planner may then drive it from the hidden column's index (the
    logs of a sector's pairings counted through (pairing_id, activity_date, status …)
    rather than by walking the date index over the whole table: 10,001 of a million logs
    in 4 ms instead of 28 on SQLite)."""

    def bare(element):
        return next(iter(element.clauses)) if isinstance(element, not_driving) else None

    return visitors.replacement_traverse(statement, {}, bare)


# Text in lower case, every letter of it: PostgreSQL's lower() folds them all (in a UTF-8
# database), SQLite's only A to Z, so on SQLite it is Python's (FOLD_FUNCTION, registered on
# each connection by scbi.database). A search that folds both sides finds "énergie" in
# "Énergie" on either database.
FOLD_FUNCTION = "scbi_lower"
folded = portable("folded", String(), sqlite=FOLD_FUNCTION + "({0})", postgresql="lower({0})")


# Long lists of values (an IN of e-mails) are sent in batches of this many.
BATCH = 500


def batches(items: list, size: int = BATCH):
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
