"""What backup and restore share: the format, canonical lines, the schema revision."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    String,
    func,
    select,
    union_all,
)

import scbi.models  # noqa: F401 - every model registered in the metadata
from scbi.database import alembic_config
from scbi.extensions import db
from scbi.programme.models import IndicatorValue
from scbi.transfer.models import Evidence

FORMAT = "scbi-backup"
VERSION = 1
BATCH = 1000


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass
class Summary:
    revision: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def __str__(self) -> str:
        return (
            f"{sum(self.rows.values()):,} rows of {len(self.rows)} tables and {self.files:,} "
            f"evidence files (schema {self.revision})"
        )


def tables():
    """Every table, parents first (scbi.models registers every feature's models)."""
    return db.metadata.sorted_tables


def plain(value):
    if isinstance(value, Decimal):  # a Numeric column (money, an indicator's value): exact
        return str(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()  # whatever the session's time zone
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def line(row) -> str:
    """Canonical: keys sorted, everything beyond ASCII escaped (any text survives)."""
    return json.dumps([plain(v) for v in row], sort_keys=True) + "\n"


def lines(conn: Connection, table) -> Iterator[str]:
    """The table's rows in primary-key order, text keys compared byte by byte (as SQLite
    does; PostgreSQL's locale would order e-mail addresses differently)."""
    key = [
        c.collate("C") if conn.dialect.name == "postgresql" and isinstance(c.type, String) else c
        for c in table.primary_key.columns
    ]
    query = select(*table.c).order_by(*key)
    for row in conn.execute(query.execution_options(yield_per=BATCH)):
        yield line(row)


def revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def head() -> str:

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def stored_files():
    """``(stored name, sha256)`` of every uploaded file the records cite: the logs'
    evidence and the indicator values' (scbi.files stores both)."""
    files = union_all(
        select(Evidence.stored_name, Evidence.sha256).where(Evidence.stored_name.is_not(None)),
        select(IndicatorValue.stored_name, IndicatorValue.sha256).where(
            IndicatorValue.stored_name.is_not(None)
        ),
    ).subquery()
    return select(files.c.stored_name, files.c.sha256).order_by(files.c.stored_name)


def reset_sequences(conn: Connection) -> None:
    """Rows went in with their ids: move PostgreSQL's sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables():
        if "id" in table.c and table.c.id.primary_key:
            sequence = func.pg_get_serial_sequence(f'"{table.name}"', "id")
            next_id = func.coalesce(func.max(table.c.id), 0) + 1
            conn.execute(select(func.setval(sequence, next_id, False)).select_from(table))
