"""Helpers for tests: CSRF tokens, signing in, API tokens, counting rows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlalchemy import func, select, text

from scbi.extensions import db

PASSWORD = "correct horse battery staple"
ROLES = ("anonymous", "mentee", "coach", "coordinator", "secretariat")
# An id no row has: PostgreSQL sequences keep counting across tests, so a small one may exist.
MISSING_ID = 2_000_000_000


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    response = client.get(path, follow_redirects=True)
    match = CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, user, password: str | None = None):
    token = csrf_token(client, "/login")
    return client.post(
        "/login",
        data={"email": user.email, "password": password or user.password, "csrf_token": token},
    )


def post_form(client, path: str, data: dict | None = None, **kwargs):
    """POST a web form with a valid CSRF token of this client's session."""
    payload = {"csrf_token": csrf_token(client, "/")} | (data or {})
    return client.post(path, data=payload, **kwargs)


def api_token(client, user) -> str:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": user.password})
    assert response.status_code == 201, response.json
    return response.json["token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def count_rows(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def audit_actions(app) -> list[str]:
    from scbi.audit import AuditEvent

    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


class QueryCounter:
    """Counts the SQL statements the app sends while active (``with count_queries(app)``)."""

    def __init__(self, app):
        self.app = app
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        with self.app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)


def statement_counts(app, client, paths) -> list[int]:
    """How many SQL statements each of ``paths`` sends (each must answer 200)."""
    out = []
    for path in paths:
        with QueryCounter(app) as counter:
            assert client.get(path).status_code == 200, path
        out.append(counter.count)
    return out


def empty_database(app) -> None:
    """Every table emptied (the migrated schema stays), as after each test."""
    with app.app_context():
        db.session.remove()
        engine = db.engine
        if engine.dialect.name == "sqlite":
            engine.dispose()
            path = engine.url.database
            for suffix in ("-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
            shutil.copyfile(app.config["TEMPLATE_DB"], path)
        else:
            tables = [t.name for t in db.metadata.sorted_tables]
            with engine.begin() as conn:
                # Triggers (the audit trail's guard, foreign keys) are off for this cleanup only.
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                for name in tables:
                    conn.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - our own table names


FIGURE_LINK = re.compile(
    r'<a class="figure-link" data-measure="\w+"(?: data-value="[^"]*")? href="[^"]*">(.*?)</a>',
    re.S,
)


def plain_figures(html: str) -> str:
    """A report page as if its figures were not links (scbi.reports.links): each linked
    figure's anchor replaced by what it shows."""
    return FIGURE_LINK.sub(r"\1", html)


def table_rows(output: str) -> dict[str, list[str]]:
    """The rows of the first table a command printed (scbi.cli.reading.echo_table), by
    their first column, each row's cells split where two spaces separate them."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "}) + 1
    found = {}
    for line in lines[start:]:
        if not line.strip():
            break
        cells = [cell.strip() for cell in line.split("  ") if cell.strip()]
        found[cells[0]] = cells
    return found
