"""Restoring a backup into an empty database: whole and identical, or nothing."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Numeric,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.exc import StatementError

from scbi import files
from scbi.backup import common
from scbi.backup.common import BATCH, FORMAT, VERSION, BackupError, Summary, reset_sequences
from scbi.extensions import db

# What a truncated, edited or foreign archive raises while it is read and loaded.
DAMAGE = (KeyError, ValueError, TypeError, EOFError, zipfile.BadZipFile, zlib.error)
MAX_MANIFEST = 10 * 1024 * 1024
MAX_LINE = 1024 * 1024  # a row's line: text fields are at most 10,000 characters


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
        current = common.revision(conn)
        if manifest["revision"] != common.head():
            raise BackupError(
                f"The backup is of schema revision {manifest['revision']}, this release's is "
                f"{common.head()}: restore it with the release that made it, then upgrade that "
                "database to this release (docs/operations.md)."
            )
        if current != manifest["revision"]:
            raise BackupError(
                f"This database is at schema revision {current or 'none'}: run `flask "
                "--app wsgi db upgrade` on an empty database, then restore."
            )
        tables = {t.name: t for t in common.tables()}
        if set(manifest["tables"]) != set(tables):
            raise BackupError("The backup's tables are not this version's tables.")
        # The audit chain's head last: it only follows audit_event, so name a data table first.
        for table in sorted(tables.values(), key=lambda t: t.name == "audit_chain_head"):
            if conn.scalar(select(func.count()).select_from(table)):
                raise BackupError(f"Restore needs an empty database; table {table.name} has rows.")
        summary = Summary(manifest["revision"])
        try:
            for table in tables.values():
                summary.rows[table.name] = _load(conn, archive, table, manifest["tables"])
            stored = dict(conn.execute(common.stored_files()).all())
            if stored != manifest["files"]:
                raise BackupError("The backup's evidence files are not the ones its logs cite.")
            _restore_files(archive, manifest["files"], written)
            summary.files = len(stored)
            reset_sequences(conn)
            for table in tables.values():
                digest = hashlib.sha256()
                for line in common.lines(conn, table):
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
    if isinstance(kind, Numeric):  # written as exact text (common.plain)
        return lambda v: None if v is None else Decimal(v)
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
