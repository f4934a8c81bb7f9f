"""The command groups the commands of this package register on."""

from __future__ import annotations

import click


@click.group("db")
def db_cli():
    """Database schema (Alembic migrations)."""


@click.group("scbi")
def scbi_cli():
    """SCBI administration."""
