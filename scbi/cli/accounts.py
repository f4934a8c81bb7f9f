"""Commands for the first accounts and the demo programme."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from scbi.auth import services
from scbi.auth.models import Role, User, UserRole
from scbi.auth.passwords import hash_generated_password
from scbi.cli.groups import scbi_cli
from scbi.demo import build_demo, is_empty
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.mail import outbox


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
