"""Commands that import files: competency frameworks and people."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from scbi.auth.models import Role, User, UserRole
from scbi.cli.groups import scbi_cli
from scbi.errors import Conflict, ValidationFailed
from scbi.extensions import db
from scbi.people.importer import import_people
from scbi.programme.framework_import import import_framework, preview_import
from scbi.programme.models import Sector


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
