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

from scbi.backup.archive import backup
from scbi.backup.common import BackupError, Summary, reset_sequences
from scbi.backup.restore import restore

__all__ = ["BackupError", "Summary", "backup", "reset_sequences", "restore"]
