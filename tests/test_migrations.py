"""Alembic: one head; upgrade, downgrade, upgrade on an empty database; no drift."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from scbi.database import alembic_config
from scbi.extensions import db
from scbi.models import Base


@pytest.fixture
def empty_database_url(app, tmp_path):
    """A new, empty database on the same server as the test database."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def config_for(app, url):
    with app.app_context():
        config = alembic_config(url)
    config.attributes["configure_logging"] = False
    return config


def test_there_is_one_head(app):
    script = ScriptDirectory.from_config(config_for(app, "sqlite://"))
    assert len(script.get_heads()) == 1


def test_upgrade_downgrade_upgrade_on_an_empty_database(app, empty_database_url):
    config = config_for(app, empty_database_url)
    engine = create_engine(make_url(empty_database_url))
    try:
        command.upgrade(config, "head")
        assert "user" in inspect(engine).get_table_names()
        command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        command.upgrade(config, "head")
        tables = set(inspect(engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
    finally:
        engine.dispose()


# SQLite cannot reflect an index on an expression; PostgreSQL compares it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_models_and_migrations_do_not_drift(app, empty_database_url):
    config = config_for(app, empty_database_url)
    command.upgrade(config, "head")
    engine = create_engine(make_url(empty_database_url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_staff_numbers_differing_only_in_case_stop_migration_0006(app, empty_database_url):
    from datetime import date

    from sqlalchemy import insert, update

    from scbi.auth.models import User
    from scbi.mentees.models import Mentee
    from scbi.programme.models import Institution, Sector

    config = config_for(app, empty_database_url)
    command.upgrade(config, "head")
    engine = create_engine(make_url(empty_database_url))
    day = date(2025, 1, 1)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(User.__table__),
                [
                    {"id": n, "email": f"m{n}@x.org", "full_name": "M", "password_hash": "x"}
                    for n in (1, 2)
                ],
            )
            conn.execute(
                insert(Sector.__table__).values(
                    id=1, code="S", name="S", expert_target=1, target_date=day
                )
            )
            conn.execute(
                insert(Institution.__table__).values(id=1, name="I", acronym="I", sector_id=1)
            )
            conn.execute(
                insert(Mentee.__table__),
                [
                    {
                        "id": n,
                        "user_id": n,
                        "staff_number": f"RW-{n}",
                        "gender": "female",
                        "position": "E",
                        "institution_id": 1,
                        "sector_id": 1,
                        "joined_on": day,
                        "status_changed_on": day,
                    }
                    for n in (1, 2)
                ],
            )
        command.downgrade(config, "0005")
        with engine.begin() as conn:  # possible before 0006: the check was the service's
            conn.execute(update(Mentee.__table__).where(Mentee.id == 2).values(staff_number="rw-1"))
        with pytest.raises(RuntimeError, match="differ only in case: rw-1"):
            command.upgrade(config, "0006")
    finally:
        engine.dispose()


def test_finding9_migration_0010_chains_the_events_it_finds(app, empty_database_url):
    """Events written before the chain existed are chained in id order by the upgrade, and
    the application's verification accepts the result."""
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from scbi.audit.chain import verify

    config = config_for(app, empty_database_url)
    command.upgrade(config, "0006")
    engine = create_engine(make_url(empty_database_url))
    try:
        with engine.begin() as conn:
            for n, after in enumerate(
                ['{"n": 1}', None, '{"title": "\u0141\u00f3d\u017a", "b": [1, null]}']
            ):
                conn.execute(
                    text(
                        "INSERT INTO audit_event (occurred_at, action, entity_type, entity_id, "
                        "after, source) VALUES (:at, :action, 'user', :n, :after, 'cli')"
                    ),
                    {
                        "at": datetime(2026, 1, 1, 12, 0, n, 123456, tzinfo=UTC),
                        "action": f"old.event{n}",
                        "n": n,
                        "after": after,
                    },
                )
        command.upgrade(config, "head")
        with Session(engine) as session:
            verdict = verify(session)
        assert verdict.ok, verdict.reason
        assert verdict.events == 3
        command.downgrade(config, "0006")
        command.upgrade(config, "head")
        with Session(engine) as session:
            assert verify(session).ok
    finally:
        engine.dispose()
