"""The bulk people import against raw ``executemany`` of the rows it stores (QUALITY.md:
at least 0.25 × the raw rows per second, validation included).

    SCBI_DATABASE_URL=sqlite:////tmp/import.db \
        python -m bench.people_import [--rows 2000] [--runs 3]

Needs a migrated database (it adds a bench sector, institution and phase once, and
leaves nothing else: every measured run is rolled back). The import runs with the
production argon2 parameters. Its INSERTs are captured; the raw side replays them
grouped by statement, in order, one row a statement, through the bare DBAPI
cursor's ``executemany``.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections import defaultdict
from datetime import date

from sqlalchemy import event, select

from scbi.audit import write_pending
from scbi.backup import reset_sequences
from scbi.extensions import db

TABLE = re.compile(r'\s*INSERT INTO\s+"?(\w+)"?', re.IGNORECASE)
RETURNING = re.compile(r"\s+RETURNING\s+.*$", re.IGNORECASE | re.DOTALL)


def single_row_insert(statement: str, context) -> str:
    """The plain one-row INSERT of an executed insert (the multi-row form has more)."""
    parameters = context.parameters[0]
    if not isinstance(parameters, dict):  # positional (SQLite): the one-row form sent
        return RETURNING.sub("", context.compiled.string if context.compiled else statement)
    table = TABLE.match(statement).group(1)
    columns = ", ".join(f'"{c}"' for c in parameters)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join(f"%({c})s" for c in parameters)})'


def rows_csv(n: int) -> str:
    lines = [
        "email,full_name,staff_number,gender,position,institution_acronym,sector_code,"
        "phase_name,joined_on"
    ]
    lines += [
        f"bench.mentee{i}@example.org,Bench Mentee {i},BENCH-{i:06d},"
        f"{'female' if i % 2 else 'male'},Analyst,IMPORTI,IMPORT,Import bench phase,2025-02-01"
        for i in range(n)
    ]
    return "\n".join(lines) + "\n"


def setup() -> object:
    from scbi.auth import services as accounts
    from scbi.auth.models import Role, User
    from scbi.auth.passwords import hash_generated_password
    from scbi.programme import services
    from scbi.programme.models import Sector

    admin = db.session.scalar(select(User).where(User.email == "bench.admin@example.org"))
    if admin is None:
        admin = accounts.create_user(
            by=None,
            email="bench.admin@example.org",
            full_name="Bench Admin",
            password_hash=hash_generated_password(accounts.generate_password()),
            roles=[Role.SECRETARIAT.value],
        )
    if db.session.scalar(select(Sector).where(Sector.code == "IMPORT")) is None:
        sector = services.create_sector(
            by=admin,
            code="IMPORT",
            name="Import bench",
            expert_target=10,
            target_date=date(2030, 1, 1),
        )
        services.create_institution(
            by=admin, name="Import bench institution", acronym="IMPORTI", sector_id=sector.id
        )
        services.create_phase(
            by=admin,
            name="Import bench phase",
            start_date=date(2025, 1, 1),
            end_date=date(2029, 1, 1),
        )
    db.session.commit()
    return admin


def main() -> None:
    from config import ProductionConfig
    from wsgi import app  # as the server and the command line run it

    n = int(sys.argv[sys.argv.index("--rows") + 1]) if "--rows" in sys.argv else 2000
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    for name in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM"):
        app.config[name] = getattr(ProductionConfig, name)
    data = rows_csv(n).encode()
    with app.app_context():
        admin = setup()
        imported, replayed = [], []
        for run in range(runs + 1):  # the first warms the process up, as a server's is
            seconds, inserts, statements = import_once(data, n, admin)
            raw = replay(inserts)
            if run:
                imported.append(seconds)
                replayed.append(raw)
        import_s, raw_s = statistics.median(imported), statistics.median(replayed)
        stored = sum(len(p) for p in inserts.values())
        print(
            f"{db.engine.dialect.name}: {n:,} mentees ({stored:,} rows in {len(inserts)} "
            f"tables) imported in {import_s:.2f} s ({n / import_s:,.0f} people/s, "
            f"{statements} statements); raw executemany {raw_s:.2f} s (medians of {runs} "
            f"after a warm-up); import / raw rows per second {raw_s / import_s:.3f}"
        )


def import_once(data: bytes, n: int, admin) -> tuple[float, dict[str, list], int]:
    """One import, rolled back: its time, its INSERTs' rows by statement, how many
    statements it sent."""
    from scbi.people.importer import import_people

    if db.engine.dialect.name == "postgresql":
        reset_sequences(db.session.connection())  # import and replay: the same ids
        db.session.commit()
    inserts: dict[str, list] = defaultdict(list)
    statements = []
    seen: dict[int, object] = {}  # held, so no later context takes a seen one's id

    def capture(conn, cursor, statement, parameters, context, executemany):
        # A multi-row insert is sent in batches (its rows' parameters flattened into
        # one statement each); the raw side gets its rows once, one row a statement.
        if id(context) in seen:
            return
        seen[id(context)] = context
        statements.append(statement)
        if statement.lstrip().upper().startswith("INSERT"):
            inserts[single_row_insert(statement, context)].extend(context.parameters)

    event.listen(db.engine, "before_cursor_execute", capture)
    started = time.perf_counter()
    created = import_people(data, kind="mentee", by=admin)
    db.session.flush()
    write_pending(db.session)  # the audit events, chained, as the commit writes them
    imported = time.perf_counter() - started
    event.remove(db.engine, "before_cursor_execute", capture)
    db.session.rollback()
    if len(created) != n:
        raise SystemExit(f"imported {len(created)} of {n} rows")
    return imported, inserts, len(statements)


def replay(inserts: dict[str, list]) -> float:
    """The same rows through the bare cursor's executemany, rolled back: its time."""
    if db.engine.dialect.name == "postgresql":
        reset_sequences(db.session.connection())  # a rollback leaves them moved on
        db.session.commit()
    raw = db.session.connection().connection.driver_connection.cursor()
    started = time.perf_counter()
    for statement, parameters in inserts.items():
        raw.executemany(statement, parameters)
    replayed = time.perf_counter() - started
    raw.close()
    db.session.rollback()
    return replayed


if __name__ == "__main__":
    main()
