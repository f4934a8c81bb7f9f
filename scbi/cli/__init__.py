"""Command line: ``flask --app wsgi db …`` (Alembic) and ``flask --app wsgi scbi …``, each
command a thin wrapper over the services, in a module of what it is for."""

from scbi.cli import (  # noqa: F401  (register commands)
    accounts,
    engagements,
    exchanges,
    imports,
    lessons,
    mail,
    records,
    schema,
)
from scbi.cli.groups import db_cli, scbi_cli

__all__ = ["db_cli", "scbi_cli"]
