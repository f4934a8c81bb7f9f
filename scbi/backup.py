"""Backup and restore of the whole programme: every table and every evidence file.

A backup is one zip file, portable between SQLite and PostgreSQL:

- ``manifest.json``: the format, the schema revision, and for each table its columns, row
  count and SHA-256; for each evidence file its SHA-256 (the one the database holds);
- ``tables/<table>.jsonl``: one JSON array per row, in primary-key order;
- ``files/<stored name>``: the evidence files.

The checksum of a table is the SHA-256 of its lines, which are canonical (keys sorted,
dates in ISO 8601, timestamps in UTC): the same rows give the same checksum on either
database. A restore goes into an empty database at the backup's revision, checks every
line and file against the manifest as it reads them, then reads the tables back and
compares their checksums before it commits: a restore is whole and identical, or nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from alembic.migration import MigrationContext
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    String,
    bindparam,
    create_engine,
    func,
    insert,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.exc import StatementError

from scbi import files
from scbi.extensions import db

FORMAT = "scbi-backup"
VERSION = 1
BATCH = 1000


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


# What a truncated, edited or foreign archive raises while it is read and loaded.
DAMAGE = (KeyError, ValueError, TypeError, EOFError, zipfile.BadZipFile, zlib.error)
MAX_MANIFEST = 10 * 1024 * 1024
MAX_LINE = 1024 * 1024  # a row's line: text fields are at most 10,000 characters


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


def _tables():
    import scbi.models  # noqa: F401 - every model registered in the metadata

    return db.metadata.sorted_tables


def _plain(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()  # whatever the session's time zone
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _line(row) -> str:
    """Canonical: keys sorted, everything beyond ASCII escaped (any text survives)."""
    return json.dumps([_plain(v) for v in row], sort_keys=True) + "\n"


def _lines(conn: Connection, table) -> Iterator[str]:
    """The table's rows in primary-key order, text keys compared byte by byte (as SQLite
    does; PostgreSQL's locale would order e-mail addresses differently)."""
    key = [
        c.collate("C") if conn.dialect.name == "postgresql" and isinstance(c.type, String) else c
        for c in table.primary_key.columns
    ]
    query = select(*table.c).order_by(*key)
    for row in conn.execute(query.execution_options(yield_per=BATCH)):
        yield _line(row)


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _head() -> str:
    from alembic.script import ScriptDirectory

    from scbi.cli import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


# --- backup --------------------------------------------------------------------------------


def backup(path: Path) -> Summary:
    """Write the backup of the current database and its evidence files to ``path``."""
    if path.exists():
        raise BackupError(f"{path} exists; choose a new file name.")
    with _snapshot() as conn:
        summary = Summary(_revision(conn) or "")
        if summary.revision != _head():
            raise BackupError(
                f"The database is at schema revision {summary.revision or 'none'}, this "
                f"release at {_head()}: run `flask --app wsgi db upgrade` first."
            )
        manifest = {"format": FORMAT, "version": VERSION, "revision": summary.revision}
        manifest["tables"], manifest["files"] = {}, {}
        partial = path.with_name(path.name + ".part")
        try:
            with zipfile.ZipFile(partial, "x", zipfile.ZIP_DEFLATED) as archive:
                for table in _tables():
                    digest, count = hashlib.sha256(), 0
                    with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as out:
                        for line in _lines(conn, table):
                            data = line.encode()
                            digest.update(data)
                            out.write(data)
                            count += 1
                    manifest["tables"][table.name] = {
                        "columns": [c.name for c in table.c],
                        "rows": count,
                        "sha256": digest.hexdigest(),
                    }
                    summary.rows[table.name] = count
                stored = conn.execute(_stored_files()).all()
                for name, sha256 in stored:
                    _archive_file(archive, name, sha256)
                    manifest["files"][name] = sha256
                summary.files = len(stored)
                archive.writestr("manifest.json", json.dumps(manifest, indent=1))
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    return summary


def _archive_file(archive: zipfile.ZipFile, name: str, sha256: str) -> None:
    source = files.path_of(name)
    if not source.exists():
        raise BackupError(f"Evidence file {name} is missing from the upload folder.")
    digest = hashlib.sha256()
    with open(source, "rb") as data, archive.open(f"files/{name}", "w", force_zip64=True) as out:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise BackupError(f"Evidence file {name} no longer matches the hash the log records.")


def _stored_files():
    from scbi.transfer.models import Evidence

    return (
        select(Evidence.stored_name, Evidence.sha256)
        .where(Evidence.stored_name.is_not(None))
        .order_by(Evidence.id)
    )


class _snapshot:
    """A connection that sees one moment of the database for the whole backup."""

    def __enter__(self) -> Connection:
        self._cleanup = []
        if db.engine.dialect.name == "sqlite":
            # SQLite's online backup copies a consistent image; read that copy.
            folder = tempfile.mkdtemp(prefix="scbi-backup-")
            self._cleanup.append(lambda: shutil.rmtree(folder, ignore_errors=True))
            copy = Path(folder) / "snapshot.sqlite"
            source = sqlite3.connect(db.engine.url.database)
            target = sqlite3.connect(copy)
            with target:
                source.backup(target)
            source.close()
            target.close()
            engine = create_engine(f"sqlite:///{copy}")
            self._cleanup.insert(0, engine.dispose)
        else:
            engine = db.engine
        conn = engine.connect()
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        self._cleanup.insert(0, conn.close)
        conn.begin()
        return conn

    def __exit__(self, *exc) -> None:
        for step in self._cleanup:
            step()


# --- restore -------------------------------------------------------------------------------


def restore(path: Path) -> Summary:
    """Load the backup at ``path`` into the current database, which must be empty and at
    the backup's schema revision. Commits only when every checksum matches."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"{path} is not a backup file: {error}") from None
    written: list[Path] = []
    with archive:
        manifest = _manifest(archive)
        conn = db.session.connection()
        current = _revision(conn)
        if manifest["revision"] != _head():
            raise BackupError(
                f"The backup is of schema revision {manifest['revision']}, this release's is "
                f"{_head()}: restore it with the release that made it, then upgrade that "
                "database to this release (docs/operations.md)."
            )
        if current != manifest["revision"]:
            raise BackupError(
                f"This database is at schema revision {current or 'none'}: run `flask "
                "--app wsgi db upgrade` on an empty database, then restore."
            )
        tables = {t.name: t for t in _tables()}
        if set(manifest["tables"]) != set(tables):
            raise BackupError("The backup's tables are not this version's tables.")
        for table in tables.values():
            if conn.scalar(select(func.count()).select_from(table)):
                raise BackupError(f"Restore needs an empty database; table {table.name} has rows.")
        summary = Summary(manifest["revision"])
        try:
            for table in tables.values():
                summary.rows[table.name] = _load(conn, archive, table, manifest["tables"])
            stored = dict(conn.execute(_stored_files()).all())
            if stored != manifest["files"]:
                raise BackupError("The backup's evidence files are not the ones its logs cite.")
            _restore_files(archive, manifest["files"], written)
            summary.files = len(stored)
            reset_sequences(conn)
            for table in tables.values():
                digest = hashlib.sha256()
                for line in _lines(conn, table):
                    digest.update(line.encode())
                if digest.hexdigest() != manifest["tables"][table.name]["sha256"]:
                    raise BackupError(f"Table {table.name} reads back differently; nothing kept.")
            db.session.commit()
        except BaseException as error:
            db.session.rollback()
            for target in written:
                target.unlink(missing_ok=True)
            if isinstance(error, DAMAGE):
                raise BackupError(f"The backup is damaged: {error}") from error
            if isinstance(error, StatementError):
                raise BackupError(f"The database refused the backup's rows: {error}") from error
            raise
    return summary


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        if archive.getinfo("manifest.json").file_size > MAX_MANIFEST:
            raise ValueError("manifest too large")
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("The file has no readable manifest: not an SCBI backup.") from None
    if not isinstance(manifest, dict) or (manifest.get("format"), manifest.get("version")) != (
        FORMAT,
        VERSION,
    ):
        raise BackupError("Not an SCBI backup of a format this version reads.")
    tables, stored = manifest.get("tables"), manifest.get("files")
    if not (
        isinstance(manifest.get("revision"), str)
        and isinstance(tables, dict)
        and isinstance(stored, dict)
        and all(
            isinstance(t, dict)
            and isinstance(t.get("columns"), list)
            and isinstance(t.get("rows"), int)
            and isinstance(t.get("sha256"), str)
            for t in tables.values()
        )
        and all(isinstance(v, str) for v in stored.values())
    ):
        raise BackupError("The backup's manifest is damaged.")
    return manifest


def _load(conn: Connection, archive: zipfile.ZipFile, table, expected: dict) -> int:
    entry = expected[table.name]
    if entry["columns"] != [c.name for c in table.c]:
        raise BackupError(f"Table {table.name} has other columns in the backup.")
    readers = [_reader(c) for c in table.c]
    # A column pointing into its own table is filled in afterwards (parents may come later).
    own = [c.name for c in table.c if any(fk.column.table is table for fk in c.foreign_keys)]
    digest, count, batch, later = hashlib.sha256(), 0, [], []
    with archive.open(f"tables/{table.name}.jsonl") as lines:
        while raw := lines.readline(MAX_LINE + 1):
            if len(raw) > MAX_LINE:
                raise ValueError(f"a line of table {table.name} is too long")
            digest.update(raw)
            values = json.loads(raw)
            row = {c.name: read(v) for c, read, v in zip(table.c, readers, values, strict=True)}
            if own and any(row[name] is not None for name in own):
                later.append(row)
                row = {**row, **dict.fromkeys(own)}
            batch.append(row)
            count += 1
            if len(batch) == BATCH:
                conn.execute(insert(table), batch)
                batch = []
    if batch:
        conn.execute(insert(table), batch)
    if digest.hexdigest() != entry["sha256"] or count != entry["rows"]:
        raise BackupError(f"Table {table.name} in the backup is damaged (checksum differs).")
    if later:
        # one executemany; the columns an UPDATE would otherwise stamp (updated_at) keep
        # their backed-up value
        key = table.primary_key.columns
        kept = own + [c.name for c in table.c if c.onupdate is not None]
        statement = (
            sql_update(table)
            .where(*(c == bindparam(f"key_{c.name}") for c in key))
            .values({name: bindparam(f"new_{name}") for name in kept})
        )
        rows = [
            {f"key_{c.name}": row[c.name] for c in key} | {f"new_{n}": row[n] for n in kept}
            for row in later
        ]
        for start in range(0, len(rows), BATCH):
            conn.execute(statement, rows[start : start + BATCH])
    return count


def _reader(column):
    kind = getattr(column.type, "impl", column.type)  # through TypeDecorators (UTCDateTime)
    if isinstance(kind, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(kind, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


def _restore_files(archive: zipfile.ZipFile, expected: dict[str, str], written: list) -> None:
    """Write the evidence files; each one this restore writes is added to ``written`` as
    soon as it exists (a failure removes them). A file already in place with the right
    content (left by an interrupted restore) is kept as it is."""
    for name, sha256 in expected.items():
        target = files.path_of(name)
        if target.exists():
            if _sha256_of(target) != sha256:
                raise BackupError(f"Evidence file {name} is already in the upload folder.")
            continue
        if archive.getinfo(f"files/{name}").file_size > files.MAX_BYTES:
            raise BackupError(f"Evidence file {name} in the backup is larger than any upload.")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        digest = hashlib.sha256()
        try:
            with archive.open(f"files/{name}") as source, open(partial, "wb") as out:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise BackupError(f"Evidence file {name} in the backup is damaged.")
            partial.replace(target)
            written.append(target)
        finally:
            partial.unlink(missing_ok=True)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def reset_sequences(conn: Connection) -> None:
    """Rows went in with their ids: move PostgreSQL's sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in _tables():
        if "id" in table.c and table.c.id.primary_key:
            sequence = func.pg_get_serial_sequence(f'"{table.name}"', "id")
            next_id = func.coalesce(func.max(table.c.id), 0) + 1
            conn.execute(select(func.setval(sequence, next_id, False)).select_from(table))
