"""Command line: ``flask --app wsgi db …`` (Alembic) and ``flask --app wsgi scbi …``."""

from __future__ import annotations

import logging
import signal
import time
from pathlib import Path

import click
from alembic import command
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import text

from scbi.audit.chain import verify
from scbi.auth import services
from scbi.auth.models import Role, User, UserRole
from scbi.auth.passwords import hash_generated_password
from scbi.backup import BackupError, backup, restore
from scbi.competencies import level_changes
from scbi.database import alembic_config, app_role_grants
from scbi.demo import build_demo, is_empty
from scbi.errors import Conflict, ValidationFailed
from scbi.extensions import db
from scbi.mail import delivery, outbox
from scbi.notify.digest import digest
from scbi.notify.reminders import remind
from scbi.people.importer import import_people
from scbi.programme.framework_import import import_framework, preview_import
from scbi.programme.models import Sector
from scbi.transfer.services.derived import log_time_drift, rebuild_log_times

log = logging.getLogger(__name__)


@click.group("db")
def db_cli():
    """Database schema (Alembic migrations)."""


@db_cli.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str):
    """Upgrade the schema to REVISION (default: head)."""

    command.upgrade(alembic_config(), revision)


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
@with_appcontext
def db_downgrade(revision: str):
    """Downgrade the schema to REVISION (default: one step; "base" empties it)."""

    command.downgrade(alembic_config(), revision)


@db_cli.command("current")
@with_appcontext
def db_current():
    """Show the schema's current revision."""

    command.current(alembic_config(), verbose=False)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str):
    """Autogenerate a new revision from the models (read and edit it before committing)."""

    command.revision(alembic_config(), message=message, autogenerate=True)


@click.group("scbi")
def scbi_cli():
    """SCBI administration."""


@scbi_cli.command("create-admin")
@click.option("--email", prompt=True, help="The secretariat officer's e-mail.")
@click.option("--full-name", default="Secretariat administrator", show_default=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 12 characters; prompted (hidden) when not given.",
)
@with_appcontext
def create_admin(email: str, full_name: str, password: str):
    """Create a secretariat account (prompts for the e-mail and password when not given)."""

    try:
        user = services.create_user(
            by=None,
            email=email,
            full_name=full_name,
            password=password,
            roles=[Role.SECRETARIAT],
            must_change_password=False,
        )
    except ValidationFailed as error:
        db.session.rollback()
        for field, messages in error.fields.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(_("Created secretariat account %(email)s.", email=user.email))


@scbi_cli.command("ensure-login")
@with_appcontext
def ensure_login():
    """Create a secretariat account with a generated password if there is none, and say how
    to sign in (used by `make run`)."""

    existing = db.session.scalar(
        db.select(User)
        .join(UserRole)
        .where(UserRole.role == Role.SECRETARIAT, User.active.is_(True))
        .limit(1)
    )
    if existing is not None:
        click.echo(
            _(
                "Sign in at http://127.0.0.1:5000, e.g. as %(email)s. Passwords are shown only "
                "when accounts are created; `flask --app wsgi scbi create-admin` makes a new "
                "secretariat account.",
                email=existing.email,
            )
        )
        return
    password = services.generate_password()
    user = services.create_user(
        by=None,
        email="secretariat@scbi.example",
        full_name="Secretariat administrator",
        password_hash=hash_generated_password(password),
        roles=[Role.SECRETARIAT],
        must_change_password=False,
    )
    db.session.commit()
    click.echo(_("Created the first secretariat account. Sign in at http://127.0.0.1:5000 with"))
    click.echo(_("  e-mail:   %(email)s", email=user.email))
    click.echo(_("  password: %(password)s", password=password))
    click.echo(_("The password is shown only now; keep it."))


@scbi_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has accounts.")
@with_appcontext
def demo(if_empty: bool):
    """Load a realistic demo programme and print its logins (a password made for this
    install; there are no default passwords)."""

    if current_app.config["NAME"] == "production":
        raise click.ClickException(_("The demo programme is not loaded in production."))
    if not is_empty():
        if if_empty:
            return
        raise click.ClickException(
            _("The database already has accounts; the demo needs an empty one.")
        )
    with outbox.holding():  # the demo's steps mail nobody
        logins = build_demo()
        db.session.commit()
    counts = ", ".join(f"{n} {kind}" for kind, n in logins.counts.items())
    click.echo(
        _(
            "Loaded the demo programme (%(counts)s). Sign in at http://127.0.0.1:5000 as:",
            counts=counts,
        )
    )
    for role, name, email in logins.logins:
        click.echo(f"  {role:<12} {email:<44} {name}")
    click.echo(_("Every demo account has the password: %(password)s", password=logins.password))
    click.echo(_("(shown only now; other coaches and mentees are listed in the app)"))


@scbi_cli.command("derived")
@click.option("--rebuild", is_flag=True, help="Write what differs again from the history.")
@with_appcontext
def derived(rebuild: bool):
    """Check what is kept beside the history for the reports (each log's first submission
    and acknowledgement times, the days levels change) against a recomputation from it;
    exit 1 when anything differs, unless --rebuild writes it again."""
    if rebuild:
        logs = rebuild_log_times()
        changes = level_changes.rebuild()
        db.session.commit()
        click.echo(
            _(
                "Rebuilt from the history: %(logs)d log(s) changed, %(changes)d level changes.",
                logs=logs,
                changes=changes,
            )
        )
        return
    logs, levels = log_time_drift(), level_changes.drift()
    click.echo(_("Logs whose kept times differ from their history: %(n)d.", n=logs))
    click.echo(_("Level changes that differ from a recomputation: %(n)d.", n=levels))
    if logs or levels:
        raise SystemExit(1)


def _acting_secretariat(email: str | None):
    """The secretariat account a CLI change is recorded under (the audit needs a who)."""

    query = (
        db.select(User)
        .join(UserRole)
        .where(UserRole.role == Role.SECRETARIAT, User.active.is_(True))
    )
    if email:
        query = query.where(User.email == email.strip().lower())
    user = db.session.scalar(query.order_by(User.id).limit(1))
    if user is None:
        raise click.ClickException(
            _(
                "No active secretariat account with e-mail %(email)s; create one with "
                "`flask --app wsgi scbi create-admin`.",
                email=email,
            )
            if email
            else _(
                "No active secretariat account; create one with "
                "`flask --app wsgi scbi create-admin`."
            )
        )
    return user


def _echo_refusal(error) -> None:
    click.echo(error.message, err=True)
    for row in error.rows:
        click.echo(
            _("  row %(row)s: %(message)s", row=row["row"], message=row["message"])
            if row["row"]
            else f"  {row['message']}",
            err=True,
        )
    for field, messages in error.fields.items():
        if not error.rows:
            for message in messages:
                click.echo(f"  {field}: {message}", err=True)


@scbi_cli.command("import-framework")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--sector", "sector_code", help="Code of the sector it belongs to; none = cross-cutting."
)
@click.option(
    "--as",
    "as_email",
    help="Secretariat e-mail recorded in the audit trail (default: the first secretariat account).",
)
@click.option(
    "--effective-on", help="YYYY-MM-DD: the day the core flags take effect (default today)."
)
@click.option(
    "--update",
    is_flag=True,
    help="Update the framework with the file's ID number: competencies added and changed; "
    "those missing from the file deleted unless cited or core.",
)
@click.option("--preview", "preview_only", is_flag=True, help="Show the preview; store nothing.")
@click.option("--yes", "-y", is_flag=True, help="Store after the preview without asking.")
@with_appcontext
def import_framework_command(
    file,
    sector_code: str | None,
    as_email: str | None,
    effective_on: str | None,
    update: bool,
    preview_only: bool,
    yes: bool,
):
    """Import a Moodle competency-framework CSV FILE: all of it, or nothing.

    The tree and its proposed core flags are shown first (without a core column: leaves,
    except level descriptors such as "Level 1"); nothing is stored until you confirm.
    Choose other flags with a core column in the file, or on the framework page later."""

    by = _acting_secretariat(as_email)
    sector_id = None
    if sector_code:
        sector = db.session.scalar(db.select(Sector).where(Sector.code == sector_code.upper()))
        if sector is None:
            raise click.ClickException(_("No sector with code %(code)s.", code=sector_code))
        sector_id = sector.id
    data = file.read()
    try:
        preview = preview_import(data, by=by, sector_id=sector_id)
    except ValidationFailed as error:
        db.session.rollback()
        _echo_refusal(error)
        raise SystemExit(1) from None
    _echo_preview(preview)
    if preview_only:
        click.echo(_("Preview only: nothing stored."))
        return
    if preview.existing is not None and not update:
        raise click.ClickException(
            _(
                "A framework with ID number %(idnumber)s exists already; run again with "
                "--update to apply the changes above.",
                idnumber=preview.existing.idnumber,
            )
        )
    if not yes and not click.confirm(_("Store it?"), default=False):
        click.echo(_("Nothing stored."))
        return
    try:
        result = import_framework(
            data, by=by, sector_id=sector_id, effective_on=effective_on, update=update
        )
    except (ValidationFailed, Conflict) as error:
        db.session.rollback()
        _echo_refusal(error)
        raise SystemExit(1) from None
    db.session.commit()
    framework = result.framework
    core = sum(c.core for c in framework.competencies)
    done = (
        _(
            "Imported %(name)s (%(idnumber)s): %(count)d competencies, %(core)d core.",
            name=framework.name,
            idnumber=framework.idnumber,
            count=len(framework.competencies),
            core=core,
        )
        if result.created
        else _(
            "Updated %(name)s (%(idnumber)s): %(count)d competencies, %(core)d core.",
            name=framework.name,
            idnumber=framework.idnumber,
            count=len(framework.competencies),
            core=core,
        )
    )
    click.echo(done)


def _echo_preview(preview) -> None:
    """The preview as text: the tree with [x] for proposed core, the warning, the update."""
    head = preview.parsed.framework
    sector = preview.sector.name if preview.sector else _("cross-cutting")
    click.echo(
        _(
            "%(name)s (%(idnumber)s), %(sector)s: %(count)d competencies, %(core)d proposed "
            "core ([x]).",
            name=head.short_name,
            idnumber=head.idnumber,
            sector=sector,
            count=len(preview.items),
            core=len(preview.proposed),
        )
    )
    for item in preview.items:
        mark = "[x]" if item.core else "[ ]"
        leaf = "" if item.leaf else " +"
        click.echo(
            f"  {'  ' * (item.depth - 1)}{mark} {item.row.short_name} ({item.row.idnumber}){leaf}"
        )
    if warning := preview.warning(preview.proposed):
        click.echo(
            _(
                "Warning: %(message)s %(advice)s",
                message=warning["message"],
                advice=warning["advice"],
            )
        )
    if preview.changes is not None:
        changes = preview.changes.summary()
        click.echo(
            _(
                "Update of the existing framework: %(added)d added, %(changed)d changed, "
                "%(deleted)d deleted%(which)s, %(kept)d kept although missing from the file.",
                added=len(changes["added"]),
                changed=len(changes["changed"]),
                deleted=len(changes["deleted"]),
                which=f" ({', '.join(changes['deleted'])})" if changes["deleted"] else "",
                kept=len(changes["kept"]),
            )
        )
        for kept in changes["kept"]:
            click.echo(
                _(
                    "  kept %(idnumber)s: %(reasons)s",
                    idnumber=kept["idnumber"],
                    reasons=", ".join(kept["reasons"]),
                )
            )


@scbi_cli.command("import-people")
@click.option("--kind", type=click.Choice(["coach", "mentee"]), required=True)
@click.argument("file", type=click.File("rb"))
@click.option("--as", "as_email", help="Secretariat e-mail recorded in the audit trail.")
@with_appcontext
def import_people_command(kind: str, file, as_email: str | None):
    """Register the coaches or mentees of a CSV FILE (all rows or none) and print their
    one-time passwords. `--kind` says which; the template is at /people/import."""

    by = _acting_secretariat(as_email)
    try:
        created = import_people(file.read(), kind=kind, by=by)
    except ValidationFailed as error:
        db.session.rollback()
        _echo_refusal(error)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(
        _("Registered %(n)d coaches. One-time passwords (shown only now):", n=len(created))
        if kind == "coach"
        else _("Registered %(n)d mentees. One-time passwords (shown only now):", n=len(created))
    )
    for person in created:
        password = person.password or (
            _("(invitation mailed)") if person.invited else _("(existing account)")
        )
        click.echo(f"  {person.email:<44} {password}  {person.full_name}")


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


@scbi_cli.command("send-mail")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit (cron, tests).")
@click.option("--interval", default=15, show_default=True, help="Seconds between rounds.")
@with_appcontext
def send_mail_command(once: bool, interval: int):
    """Deliver the outbox: every message due, retried with growing delays when the mail
    server is unreachable or refuses for now. Keeps running (a service) unless --once.
    Several workers may run at once on PostgreSQL; one is enough on SQLite."""

    if not outbox.enabled():
        raise click.ClickException(_("Mail is off: set SCBI_MAIL_SERVER and SCBI_MAIL_FROM."))
    worker = delivery.worker_id()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_args: stop.append(True))
    last_purge = 0.0
    while True:
        try:
            done = delivery.deliver_due(worker=worker)
        except Exception:  # the database away, say: log it and try again next round
            log.exception("mail delivery round failed")
            db.session.rollback()
            done = delivery.Round()
            if once:
                raise
        if done.total:
            click.echo(
                _(
                    "%(sent)d sent, %(retrying)d to retry, %(failed)d failed",
                    sent=done.sent,
                    retrying=done.retrying,
                    failed=done.failed,
                ),
                err=once,
            )
        if time.monotonic() - last_purge > 3600:
            delivery.purge()
            last_purge = time.monotonic()
        db.session.remove()
        if once or stop:
            return
        for _second in range(max(1, interval)):
            if stop:
                return
            time.sleep(1)


@scbi_cli.command("remind")
@with_appcontext
def remind_command():
    """Queue today's reminders (run daily): pairings without a submitted log for 14 and
    28 days, logs waiting a week for their acknowledgement. Each is mailed once. Also
    deletes sent and held messages older than SCBI_MAIL_KEEP_DAYS (mail on or off)."""

    count = remind()
    db.session.commit()
    click.echo(_("%(n)d reminder mails queued.", n=count))
    delivery.purge()  # daily, mail on or off: held and sent messages do not pile up


@scbi_cli.command("digest")
@with_appcontext
def digest_command():
    """Queue the weekly digest (run weekly): each person's "what needs me now", unless it
    is empty or they turned it off. Sent once a week at most."""

    count = digest()
    db.session.commit()
    click.echo(_("%(n)d digest mails queued.", n=count))
