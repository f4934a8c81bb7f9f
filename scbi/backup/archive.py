"""Writing a backup: one consistent moment of the database and its evidence files."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import (
    Connection,
    create_engine,
)

from scbi import files
from scbi.backup import common
from scbi.backup.common import FORMAT, VERSION, BackupError, Summary
from scbi.extensions import db


def backup(path: Path) -> Summary:
    """Write the backup of the current database and its evidence files to ``path``."""
    if path.exists():
        raise BackupError(f"{path} exists; choose a new file name.")
    with _snapshot() as conn:
        summary = Summary(common.revision(conn) or "")
        if summary.revision != common.head():
            raise BackupError(
                f"The database is at schema revision {summary.revision or 'none'}, this "
                f"release at {common.head()}: run `flask --app wsgi db upgrade` first."
            )
        manifest = {"format": FORMAT, "version": VERSION, "revision": summary.revision}
        manifest["tables"], manifest["files"] = {}, {}
        partial = path.with_name(path.name + ".part")
        try:
            with zipfile.ZipFile(partial, "x", zipfile.ZIP_DEFLATED) as archive:
                for table in common.tables():
                    digest, count = hashlib.sha256(), 0
                    with archive.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as out:
                        for line in common.lines(conn, table):
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
                stored = conn.execute(common.stored_files()).all()
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
