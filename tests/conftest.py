"""Fixtures: one app per run on a migrated database, emptied after every test.

The database comes from ``SCBI_TEST_DATABASE_URL`` (CI sets a PostgreSQL one); without it,
a SQLite file in a temporary folder. The test database is emptied, so never point this at
a database you care about. Under pytest-xdist each worker creates its own database beside
it on the same server (``<name>_gw0`` …) and drops it at the end, so the role needs
CREATEDB and access to the ``postgres`` database.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from scbi import create_app
from scbi.extensions import db
from tests.helpers import PASSWORD, api_token, bearer, empty_database, login


def database_url(tmp: Path) -> str:
    """The test database: under pytest-xdist, each worker has its own on the same server."""
    url = os.environ.get("SCBI_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / 'test.sqlite'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    _on_server(
        parsed, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    return parsed.set(database=name).render_as_string(hide_password=False)


def pytest_sessionfinish(session):
    """The controller of an xdist run drops what its workers left (a worker that crashed
    never reaches its own teardown; its replacement has another name)."""
    url = os.environ.get("SCBI_TEST_DATABASE_URL")
    if url and not hasattr(session.config, "workerinput"):
        parsed = make_url(url)
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            names = conn.scalars(
                text("SELECT datname FROM pg_database WHERE starts_with(datname, :prefix)"),
                {"prefix": f"{parsed.database}_gw"},
            ).all()
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _on_server(url, *statements: str) -> None:
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    admin.dispose()


def engine_options(url: str) -> dict:
    """Tests need no durability: PostgreSQL acknowledges commits before it flushes them."""
    if url.startswith("postgresql"):
        return {"connect_args": {"options": "-c synchronous_commit=off"}}
    return {}


def _compile_catalogues() -> None:
    """The .mo files as `make test` builds them, for a run of pytest alone (each worker
    writes its own copy and renames it into place, so parallel workers never clash)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent / "scbi" / "translations"
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalogue = read_po(f, locale=po.parts[-3])
        part = mo.with_suffix(f".{os.getpid()}.part")
        with part.open("wb") as f:
            write_mo(f, catalogue)
        part.replace(mo)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    _compile_catalogues()
    tmp = tmp_path_factory.mktemp("scbi")
    url = database_url(tmp)
    app = create_app(
        {
            "CONFIG": "testing",
            "DATABASE_URL": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
            "UPLOAD_DIR": str(tmp / "uploads"),
        }
    )
    with app.app_context():
        from alembic import command

        from scbi.database import alembic_config

        _drop_everything()
        config = alembic_config()
        config.attributes["configure_logging"] = False
        command.upgrade(config, "head")
        if db.engine.dialect.name == "sqlite":
            db.engine.dispose()
            shutil.copyfile(db.engine.url.database, tmp / "template.sqlite")
    app.config["TEMPLATE_DB"] = str(tmp / "template.sqlite")
    yield app
    with app.app_context():
        db.engine.dispose()
    if os.environ.get("PYTEST_XDIST_WORKER") and url.startswith("postgresql"):
        parsed = make_url(url)
        _on_server(parsed, f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def _drop_everything() -> None:
    """Start from an empty database (a previous run may have left its tables)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    empty_database(request.getfixturevalue("app"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a user with the given roles; returns its id, e-mail and password."""
    counter = iter(range(1, 10_000))

    def make(
        *roles: str,
        email: str | None = None,
        password: str = PASSWORD,
        full_name: str | None = None,
        must_change_password: bool = False,
        **kw,
    ):
        from scbi.auth.models import User
        from scbi.auth.passwords import hash_password

        n = next(counter)
        with app.app_context():
            user = User(
                email=email or f"{'-'.join(roles) or 'user'}{n}@example.org",
                full_name=full_name or f"Test {' '.join(roles).title()} {n}",
                password_hash=hash_password(password),
                must_change_password=must_change_password,
                **kw,
            )
            user.set_roles(roles)
            db.session.add(user)
            db.session.commit()
            return SimpleNamespace(id=user.id, email=user.email, password=password)

    return make


@pytest.fixture
def login_as(client, make_user):
    """Sign the client in with a new user of ``role`` (or leave it anonymous)."""

    def sign_in(role: str, **kw):
        if role == "anonymous":
            return None
        user = make_user(role, **kw)
        response = login(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in


@pytest.fixture
def api_as(client, make_user):
    """A user of ``role`` and the headers carrying their API token."""

    def token_for(role: str, **kw):
        if role == "anonymous":
            return None, {}
        user = make_user(role, **kw)
        return user, bearer(api_token(client, user))

    return token_for
