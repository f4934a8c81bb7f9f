"""Declarative base, constraint naming convention and the mixins every table uses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from operator import itemgetter
from pathlib import Path

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Integer,
    MetaData,
    String,
    bindparam,
    event,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column, registry
from sqlalchemy.types import TypeDecorator

from scbi.sql import FOLD_FUNCTION, batches

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None):
    """The Alembic configuration of ``migrations/`` for ``url`` (default: the app's)."""
    from alembic.config import Config
    from flask import current_app

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["url"] = url or current_app.config["SQLALCHEMY_DATABASE_URI"]
    return config


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and always read back timezone-aware.

    SQLite keeps no zone; PostgreSQL's ``timestamptz`` does. Both give aware UTC here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class EnumText(TypeDecorator):
    """A StrEnum column: stored as its value in a VARCHAR (a CHECK from :func:`enum_check`
    keeps it one of them), read back as the member, so code and templates compare and
    label members, never strings."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return value._value_ if isinstance(value, StrEnum) else value

    def result_processor(self, dialect, coltype):
        # A dict lookup per value (C speed), not an Enum call: exports read 100,000s of rows.
        # NULL stays None; any other stored value is one the CHECK admits.
        return self.enum._value2member_map_.get


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


def enum_check(column: str, values: type[StrEnum], name: str | None = None) -> CheckConstraint:
    """A CHECK that ``column`` holds one of the enum's values (the same on both databases)."""
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_known")


def insert_rows(session: Session, model, rows: list[dict], *, key: str | None = None) -> list:
    """Insert ``rows`` into ``model``'s table: SQL, not the ORM's unit of work, one
    statement a row sent as one batch, so thousands of rows cost about what the database
    takes. With ``key``, a unique column every row gives, their new ids are returned in
    the rows' order (read back by that column, a few hundred at a time: faster than
    RETURNING on both databases). The session does not hold the rows as objects."""
    table = model.__table__
    if rows:
        _send_rows(session.connection(), table, rows)
    if key is None:
        return []
    column, ids = table.c[key], {}
    for batch in batches([row[key] for row in rows]):
        ids.update(session.execute(select(column, table.c.id).where(column.in_(batch))).all())
    return [ids[row[key]] for row in rows]


def _send_rows(connection, table, rows: list[dict]) -> None:
    """``rows`` (each with the keys of the first) through one compiled INSERT and the
    driver's ``executemany``. Each value goes through its column's bind processor for this
    database (a time in UTC, an enum's value, JSON as text) and a column the rows leave
    out takes its (constant) default, as SQLAlchemy's own executemany would do; but that
    builds and checks a dict of parameters a row, which cost more than the database takes
    to write them."""
    dialect = connection.dialect
    given = list(rows[0])
    filled = [
        c
        for c in table.columns
        if c.key not in rows[0] and c.default is not None and not c.default.is_sequence
    ]
    if any(not c.default.is_scalar for c in filled):
        # a default made by a function (it may read the statement's context) or by SQL:
        # SQLAlchemy's own executemany fills it (no model leaves one out today)
        connection.execute(insert(table), rows)
        return
    bound = [table.c[name] for name in given] + filled
    values = {c.key: bindparam(c.key, type_=c.type) for c in bound}
    compiled = insert(table).values(values).compile(dialect=dialect)
    processors = {c.key: c.type.dialect_impl(dialect).bind_processor(dialect) for c in bound}
    names = compiled.positiontup if compiled.positional else [c.key for c in bound]
    columns = []  # column by column: map() runs each processor over all rows at C speed
    for name in names:
        if name in rows[0]:
            cells = list(map(itemgetter(name), rows))
        else:
            cells = [table.c[name].default.arg] * len(rows)
        if (process := processors[name]) is not None:
            cells = list(map(_once(process), cells))
        columns.append(cells)
    if compiled.positional:
        parameters = list(zip(*columns, strict=True))
    else:
        parameters = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    connection.exec_driver_sql(compiled.string, parameters)


def _once(process):
    """``process``, run once for each object however many rows share it (a batch's rows
    share their time stamps and their empty values); by identity, so equal values of
    different forms (1 and 1.0, 2.5 and 2.50) are each processed as they are."""
    done: dict[int, object] = {}

    def processed(value):
        key = id(value)  # every value lives as long as the batch: no id is reused
        if key not in done:
            done[key] = process(value)
        return done[key]

    return processed


class IdMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionMixin:
    """Optimistic locking on what people edit.

    Every UPDATE carries ``WHERE version = <the version read>``, so a concurrent writer
    matches no row and SQLAlchemy raises ``StaleDataError``; services also compare the
    version the client read (:func:`scbi.errors.check_version`) before changing anything.

    The version moves on when an edited attribute (or collection) changes; columns named
    in ``__unversioned__`` are bookkeeping (a sign-in time, a session epoch) that must not
    make someone's open edit form stale.
    """

    __unversioned__: frozenset[str] = frozenset()

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


_NEVER_VERSIONED = frozenset({"version", "updated_at", "created_at"})


@event.listens_for(Session, "before_flush")
def _bump_versions(session, flush_context, instances) -> None:
    for obj in session.dirty:
        if not isinstance(obj, VersionMixin):
            continue
        skip = _NEVER_VERSIONED | obj.__unversioned__
        state = inspect(obj)
        if state.attrs.version.history.has_changes():
            continue  # a service moved it on itself (e.g. a change in child rows)
        if any(a.key not in skip and a.history.has_changes() for a in state.attrs):
            obj.version = (obj.version or 0) + 1


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: WAL journal, a busy timeout and foreign keys on every connection, and a
    lower() that folds every letter (scbi.sql.folded)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    dbapi_connection.create_function(FOLD_FUNCTION, 1, _lower, deterministic=True)


def _lower(text: str | None) -> str | None:
    return None if text is None else text.lower()


def app_role_grants(role: str) -> list[str]:
    """The privileges of a PostgreSQL role that runs the application but cannot change the
    schema (docs/deployment.md): rows of every table, the audit trail only read and added
    to, the schema revision only read. Issued by the tables' owner after each upgrade."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", role):
        raise ValueError(f"not a plain PostgreSQL role name: {role!r}")
    who = f'"{role}"'
    return [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {who}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {who}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {who}",
    ]


# --- a transaction that wrote nothing ends with COMMIT --------------------------------------

_READ = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
_WRITE_IN_WITH = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_SIDE_EFFECT = re.compile(r"\b(setval|nextval)\s*\(", re.IGNORECASE)
_WROTE = "scbi.wrote"


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    read = (
        _READ.match(statement)
        and not (statement.lstrip()[:4].upper() == "WITH" and _WRITE_IN_WITH.search(statement))
        and not _SIDE_EFFECT.search(statement)
    )
    if not read or executemany:
        conn.info[_WROTE] = True


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _transaction_ended(conn) -> None:
    conn.info.pop(_WROTE, None)


def end_read_only(session: Session, *, keep: bool = False) -> None:
    """Commit the session's transaction if it wrote nothing and holds nothing to write
    (``keep``: something is waiting to be written at commit, such as an audit event).

    For the database a read-only transaction's COMMIT is its ROLLBACK; but psycopg
    forgets every statement it prepared on the connection at a ROLLBACK, so a page that
    only reads would have each of its statements planned anew on every request (an
    eager-loading join of a dozen tables takes PostgreSQL milliseconds to plan).
    """
    if keep or session.new or session.dirty or session.deleted:
        return
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:  # none, or one a failure ended
        return
    expire, session.expire_on_commit = session.expire_on_commit, False  # nothing changed
    try:
        if not session.connection().info.get(_WROTE):
            session.commit()
    except Exception:  # a broken connection: closing the session rolls back as before
        session.rollback()
    finally:
        session.expire_on_commit = expire
