"""Reports against the raw SQL they need, as ratios (QUALITY.md "Performance").

    SCBI_DATABASE_URL=sqlite:////tmp/bench.db python -m bench.reports

For the sector report of the largest sector and for the programme overview (fiscal year
2025, the secretariat's view, as JSON data, as PDF inputs and XLSX use it): the time of
the whole report through scbi.reports.metrics, against the time of the SQL statements it
sends, replayed as they were through the bare DBAPI cursor and fully fetched. Medians of
several runs; the ratio is what counts (the machines are noisy). Then the streamed CSV
export of every log: its time against the raw SELECT, and its peak Python memory.
``--no-csv`` leaves the export out, ``--csv-only`` measures only the export.
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


def compare(name: str, work) -> float:
    work()  # warm the caches both ways
    statements = captured(work)
    report = median_time(work)
    raw = median_time(lambda: replay(statements))
    ratio = report / raw
    print(
        f"{name:<22} {report * 1000:9.1f} ms  raw SQL {raw * 1000:9.1f} ms "
        f"({len(statements)} statements)  ratio {ratio:.2f}"
    )
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
        period = periods.fiscal_year(2025)
        print(f"{db.engine.dialect.name}, {logs:,} logs, {len(sectors)} sectors, {period.label}")
        if "--csv-only" not in sys.argv:
            compare("sector report", lambda: metrics.sector_report(biggest, period))
            compare(
                "programme overview",
                lambda: metrics.programme_overview(sectors, period, with_cascade=True),
            )
        if "--no-csv" not in sys.argv:
            csv_export(logs)


if __name__ == "__main__":
    main()
