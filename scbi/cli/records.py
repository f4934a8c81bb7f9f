"""Commands that check or keep the records: the derived figures, backups, the audit
trail's chain, the database role."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import text

from scbi.audit.chain import verify
from scbi.backup import BackupError, backup, restore
from scbi.cli.groups import scbi_cli
from scbi.competencies import level_changes
from scbi.database import app_role_grants
from scbi.extensions import db
from scbi.transfer import log_months
from scbi.transfer.services.derived import log_time_drift, rebuild_log_times


@scbi_cli.command("derived")
@click.option("--rebuild", is_flag=True, help="Write what differs again from the history.")
@with_appcontext
def derived(rebuild: bool):
    """Check what is kept beside the history for the reports (each log's first submission
    and acknowledgement times, the days levels change, each pairing's counted logs by
    month) against a recomputation from it; exit 1 when anything differs, unless
    --rebuild writes it again."""
    if rebuild:
        logs = rebuild_log_times()
        changes = level_changes.rebuild()
        months = log_months.rebuild()
        db.session.commit()
        click.echo(
            _(
                "Rebuilt from the history: %(logs)d log(s) changed, %(changes)d level changes.",
                logs=logs,
                changes=changes,
            )
        )
        click.echo(_("Counted logs by pairing and month: %(n)d rows.", n=months))
        return
    logs, levels, months = log_time_drift(), level_changes.drift(), log_months.drift()
    click.echo(_("Logs whose kept times differ from their history: %(n)d.", n=logs))
    click.echo(_("Level changes that differ from a recomputation: %(n)d.", n=levels))
    click.echo(_("Months of counted logs that differ from a recomputation: %(n)d.", n=months))
    if logs or levels or months:
        raise SystemExit(1)


@scbi_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Write every table and evidence file to the zip file PATH (a new file). The backup
    restores into SQLite or PostgreSQL; see docs/operations.md."""

    try:
        summary = backup(path)
    except BackupError as error:
        click.echo(_("Backup failed: %(error)s", error=error), err=True)
        raise SystemExit(1) from None
    click.echo(_("Backed up %(summary)s to %(path)s.", summary=summary, path=path))


@scbi_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(path: Path):
    """Load the backup PATH into this database, which must be empty and migrated to the
    backup's schema revision. Every table is checked against the backup before commit."""

    try:
        summary = restore(path)
    except BackupError as error:
        click.echo(_("Restore failed, nothing was changed: %(error)s", error=error), err=True)
        raise SystemExit(1) from None
    click.echo(_("Restored %(summary)s; every table matches its checksum.", summary=summary))


@scbi_cli.command("audit-verify")
@with_appcontext
def audit_verify_command():
    """Walk the audit trail's hash chain and name the first broken link (exit code 1).
    On success it prints the chain's head: note it outside the database (e.g. with each
    backup), so a trail rewritten whole from an older point shows too."""

    verdict = verify(db.session)
    db.session.rollback()
    if not verdict.ok:
        click.echo(
            _(
                "Audit trail broken: %(reason)s (%(events)s events before it are intact.)",
                reason=verdict.reason,
                events=f"{verdict.events:,}",
            ),
            err=True,
        )
        raise SystemExit(1)
    click.echo(
        _(
            "Audit trail intact: %(events)s events; the head is event %(head)s with hash %(hash)s.",
            events=f"{verdict.events:,}",
            head=verdict.head_id or "-",
            hash=verdict.head_hash,
        )
    )


@scbi_cli.command("grant-app-role")
@click.argument("role")
@with_appcontext
def grant_app_role_command(role: str):
    """Give the PostgreSQL ROLE what the application needs and no more (no schema
    changes; the audit trail only read and added to). Run it as the tables' owner, with
    the owner's database URL, after every `db upgrade` (docs/deployment.md)."""

    if db.engine.dialect.name != "postgresql":
        raise click.ClickException(_("Roles are PostgreSQL's; SQLite has none to grant."))
    try:
        statements = app_role_grants(role)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    click.echo(
        _(
            "%(role)s may now use the application's rows, and only add to the audit trail.",
            role=role,
        )
    )
