"""Reports against their floor scan and the raw SQL they send, as ratios (QUALITY.md
"Performance", issue 13).

    SCBI_DATABASE_URL=sqlite:////tmp/bench.db python -m bench.reports

For the sector report of the largest sector and for the programme overview (the
secretariat's view, as JSON data, as PDF inputs and XLSX use it), in the default period
(the quarter of the data's last log) and fiscal year 2025: the time of the whole report
through scbi.reports.metrics, against

- its **floor scan**: one indexed read of the counted logs (acknowledged or verified) of
  the sector (all sectors, for the overview) in the period and the period before it, the
  rows no report can avoid reading; goal ≤ 5 ×;
- the SQL statements it sends, replayed as they were through the bare DBAPI cursor and
  fully fetched (what Python adds); the slowest statements are listed.

Medians of several runs; the ratio is what counts (the machines are noisy). Then the
streamed CSV export of every log: its time against the raw SELECT, and its peak Python
memory. ``--no-csv`` leaves the export out, ``--csv-only`` measures only the export.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc

from sqlalchemy import event, func, select

from scbi import create_app
from scbi.extensions import db

RUNS = 5


def median_time(work, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def captured(work) -> list[tuple[str, object]]:
    statements: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return statements


def replay(statements) -> None:
    raw = db.session.connection().connection.driver_connection
    cursor = raw.cursor()
    for statement, parameters in statements:
        cursor.execute(statement, parameters)
        cursor.fetchall()
    cursor.close()


def floor_scan(sector_ids, period) -> list[tuple[str, object]]:
    """The counted logs of the sectors in the period and the one before (a report
    compares them), read once through the indexes: the statement, ready to replay."""
    from scbi.reports import periods
    from scbi.reports.queries import COUNTED
    from scbi.transfer.models import Pairing, TransferLog

    before = periods.previous(period)
    query = (
        select(
            TransferLog.activity_date,
            TransferLog.activity_type,
            TransferLog.mentee_role,
            TransferLog.minutes,
        )
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(
            Pairing.sector_id.in_(sector_ids),
            TransferLog.status.in_(COUNTED),
            TransferLog.activity_date.between(before.start, period.end),
        )
    )
    rows = []
    statements = captured(lambda: rows.extend(db.session.execute(query)))
    print(f"  floor of {len(sector_ids)} sector(s), {period.label}: {len(rows):,} rows")
    return statements


def compare(name: str, work, floor) -> float:
    work()  # warm the caches both ways
    statements = captured(work)
    report = median_time(work)
    raw = median_time(lambda: replay(statements))
    floor_time = median_time(lambda: replay(floor))
    ratio = report / floor_time
    print(
        f"{name:<34} {report * 1000:8.1f} ms  floor {floor_time * 1000:7.1f} ms  "
        f"ratio {ratio:5.2f}   raw SQL {raw * 1000:8.1f} ms ({len(statements)} statements,"
        f" {report / raw:.2f})"
    )
    slowest = sorted(
        ((median_time(lambda s=s: replay([s]), runs=1), s[0]) for s in statements), reverse=True
    )
    for took, statement in slowest[:3]:
        print(f"{'':<36}{took * 1000:8.1f} ms  {' '.join(statement.split())[:90]}")
    return ratio


def csv_export(logs: int) -> None:
    from scbi.csv_export import csv_lines
    from scbi.transfer.models import TransferLog
    from scbi.transfer.queries.export import HEADER, log_cells

    query = select(TransferLog).order_by(TransferLog.activity_date.desc(), TransferLog.id.desc())

    def stream():
        size = 0
        for line in csv_lines(HEADER, log_cells(query)):
            size += len(line)
        return size

    export = median_time(stream, runs=3)
    statements = captured(stream)
    raw = median_time(lambda: replay(statements), runs=3)
    tracemalloc.start()  # a run of its own: tracing slows Python down several times
    stream()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{'CSV export':<22} {export * 1000:9.1f} ms  raw SQL {raw * 1000:9.1f} ms "
        f"({len(statements)} statements)  ratio {export / raw:.2f}  "
        f"peak memory {peak / 2**20:.1f} MiB for {logs:,} logs"
    )


def main() -> None:
    from scbi.programme.models import Sector
    from scbi.reports import metrics, periods
    from scbi.transfer.models import Pairing, TransferLog

    app = create_app()
    with app.test_request_context("/"):
        logs = db.session.scalar(select(func.count()).select_from(TransferLog))
        biggest = db.session.scalar(
            select(Sector)
            .join(Pairing, Pairing.sector_id == Sector.id)
            .join(TransferLog, TransferLog.pairing_id == Pairing.id)
            .group_by(Sector.id)
            .order_by(func.count().desc())
        )
        sectors = list(db.session.scalars(select(Sector).order_by(Sector.name)))
        last = db.session.scalar(select(func.max(TransferLog.activity_date)))
        print(f"{db.engine.dialect.name}, {logs:,} logs, {len(sectors)} sectors")
        if "--csv-only" not in sys.argv:
            everyone = [s.id for s in sectors]
            for period in (periods.current_quarter(last), periods.fiscal_year(2025)):
                compare(
                    f"sector report, {period.label}",
                    lambda p=period: metrics.sector_report(biggest, p),
                    floor_scan([biggest.id], period),
                )
                compare(
                    f"programme overview, {period.label}",
                    lambda p=period: metrics.programme_overview(sectors, p, with_cascade=True),
                    floor_scan(everyone, period),
                )
        if "--no-csv" not in sys.argv:
            csv_export(logs)


if __name__ == "__main__":
    main()
