"""``flask --app wsgi db …``: the schema, through Alembic."""

from __future__ import annotations

import click
from alembic import command
from flask.cli import with_appcontext

from scbi.cli.groups import db_cli
from scbi.database import alembic_config


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
