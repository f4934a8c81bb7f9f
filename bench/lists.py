"""The log lists at national scale, as ratios to a bare endpoint measured in the same run.

    SCBI_DATABASE_URL=sqlite:////tmp/bench.db python -m bench.lists

Signs in as the first secretariat account (make one with ``flask --app wsgi scbi
ensure-login``), and as the first coordinator if there is one (``bench.http`` makes one),
through the application's own test client — no network, no gunicorn: what
is measured is the application and its SQL. Each path is timed (median of several runs)
beside ``/api/v1/health``; the ratio is what counts, the machines being noisy. Then the
plan the database chooses for the first page's keys, which must walk the index on
(activity_date, id) rather than sort the table.
"""

from __future__ import annotations

import statistics
import time

from sqlalchemy import select, text
from werkzeug.datastructures import MultiDict

from scbi import create_app
from scbi.auth.models import Role, User, UserRole
from scbi.auth.tokens import new_token
from scbi.extensions import db
from scbi.pagination import cursor
from scbi.transfer.models import TransferLog
from scbi.transfer.queries.logs import NEWEST_FIRST, filtered_logs

RUNS = 5
PAGES = [
    "/logs",
    "/logs?last=1",
    "/logs?status=acknowledged",
    "/logs?sector_id=1",
    "/logs?from=2020-01-01&to=2020-03-31",
    "/logs?sample=1",
    "/api/v1/logs",
    "/api/v1/logs?page=2",
    "/api/v1/logs?page=2000",
]
# a coordinator's lists: their sectors' logs, the scope read with every page
COORDINATOR_PAGES = [
    "/logs",
    "/logs?status=acknowledged",
    "/logs?from=2025-07-01&to=2025-09-30",
]


def median_time(client, path: str, headers: dict) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
    return statistics.median(times)


def main() -> None:
    app = create_app()
    with app.app_context():
        user = db.session.scalar(
            select(User).join(UserRole).where(UserRole.role == Role.SECRETARIAT).limit(1)
        )
        token, _ = new_token(user, label="bench")
        db.session.commit()
        session_key = f"{user.id}:{user.session_epoch}"
        coordinator = db.session.scalar(
            select(User).join(UserRole).where(UserRole.role == Role.COORDINATOR).limit(1)
        )
        coordinator_key = coordinator and f"{coordinator.id}:{coordinator.session_epoch}"
        logs = db.session.scalar(select(db.func.count()).select_from(TransferLog))
        dialect = db.engine.dialect.name
        keys = (
            filtered_logs(user, MultiDict())
            .order_by(None)
            .with_only_columns(TransferLog.activity_date, TransferLog.id)
            .order_by(*NEWEST_FIRST)
            .limit(26)
        )
        compiled = keys.compile(db.engine, compile_kwargs={"literal_binds": True})
        explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
        rows = db.session.execute(text(explain + str(compiled)))
        plan = [" ".join(map(str, row)) for row in rows]
        deep = db.session.execute(  # where ?page=2000 starts: the same page by its cursor
            select(TransferLog.activity_date, TransferLog.id)
            .order_by(*NEWEST_FIRST)
            .offset(1999 * 50 - 1)
            .limit(1)
        ).one()
        PAGES.append(f"/api/v1/logs?after={cursor(*deep)}")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = session_key, True
    headers = {"Authorization": f"Bearer {token}"}
    print(f"{dialect}, {logs:,} logs")
    for path in PAGES:
        bare = median_time(client, "/api/v1/health", {})
        took = median_time(client, path, headers if path.startswith("/api/") else {})
        print(
            f"{path:42} {took * 1000:8.1f} ms   bare endpoint {bare * 1000:6.2f} ms   "
            f"ratio {bare / took:.3f}"
        )
    if coordinator_key:
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = coordinator_key, True
        for path in COORDINATOR_PAGES:
            bare = median_time(client, "/api/v1/health", {})
            took = median_time(client, path, {})
            print(
                f"coordinator {path:30} {took * 1000:8.1f} ms   bare endpoint "
                f"{bare * 1000:6.2f} ms   ratio {bare / took:.3f}"
            )
    print("plan of the first page's keys:")
    for line in plan:
        print("  ", line)


if __name__ == "__main__":
    main()
