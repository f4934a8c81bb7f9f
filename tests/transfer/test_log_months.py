"""Each pairing's counted logs by month (issue 13): kept in the transaction of every
change to a counted log, equal to a recomputation from the logs, rebuildable; nothing
written for drafts, submissions or disputes."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import delete, select, update

from scbi.auth.models import User
from scbi.extensions import db
from scbi.programme.models import Phase
from scbi.transfer import log_months
from scbi.transfer.models import LogMonth, TransferLog
from scbi.transfer.services import logs
from tests import factories as f
from tests.helpers import QueryCounter
from tests.transfer.test_services_plans_logs import log_data, ws  # noqa: F401  (fixture)


def kept() -> dict:
    rows = db.session.execute(select(LogMonth).order_by(LogMonth.month)).scalars()
    return {(r.pairing_id, r.month): (r.logs, r.minutes, r.led_minutes) for r in rows}


def counted(ws, **data) -> TransferLog:  # noqa: F811
    log = logs.create_log(ws["pairing"], by=ws["coach"], **log_data(ws, **data))
    logs.submit_log(log, by=ws["coach"])
    logs.acknowledge_log(log, by=ws["mentee"])
    return log


def test_a_month_counts_the_acknowledged_and_verified_logs_only(ws):  # noqa: F811
    f.approved_plan(ws["pairing"], ws["comps"])
    pairing_id = ws["pairing"].id
    first = counted(ws, activity_date=date(2025, 6, 2), hours=2.5)
    counted(ws, activity_date=date(2025, 6, 30), hours=1, mentee_role="led")
    counted(ws, activity_date=date(2025, 7, 1), hours=0.5, mentee_role="led")
    draft = logs.create_log(ws["pairing"], by=ws["coach"], **log_data(ws, hours=3))
    waiting = logs.create_log(ws["pairing"], by=ws["coach"], **log_data(ws, hours=4))
    logs.submit_log(waiting, by=ws["coach"])
    db.session.commit()
    assert kept() == {(pairing_id, "2025-06"): (2, 210, 60), (pairing_id, "2025-07"): (1, 30, 30)}
    logs.verify_log(first, by=ws["admin"])  # still counted: the month unchanged
    logs.dispute_log(waiting, by=ws["mentee"], comment="Not so long")
    db.session.commit()
    assert kept()[(pairing_id, "2025-06")] == (2, 210, 60)
    assert draft.status == "draft" and log_months.drift() == 0


def test_a_draft_or_a_submission_writes_no_month(app, ws):  # noqa: F811
    """The log-writing paths pay nothing for the months until a log is counted."""
    f.approved_plan(ws["pairing"], ws["comps"])
    db.session.commit()
    with QueryCounter(app) as sent:
        log = logs.create_log(ws["pairing"], by=ws["coach"], **log_data(ws))
        logs.submit_log(log, by=ws["coach"])
        db.session.flush()
    assert not any("log_month" in statement for statement in sent.statements)
    with QueryCounter(app) as sent:
        logs.acknowledge_log(log, by=ws["mentee"])
        db.session.flush()
    assert any("log_month" in statement for statement in sent.statements)


def test_a_counted_log_moved_keeps_both_months_right(ws):  # noqa: F811
    """A log moved to another month (a correction made through the ORM) leaves its old
    month and fills its new one; a rolled-back change leaves the months as they were."""
    f.approved_plan(ws["pairing"], ws["comps"])
    pairing_id = ws["pairing"].id
    log = counted(ws, activity_date=date(2025, 6, 2), hours=2)
    db.session.commit()
    log.activity_date = date(2025, 8, 4)
    db.session.commit()
    assert kept() == {(pairing_id, "2025-08"): (1, 120, 0)}
    log.minutes = 60
    db.session.flush()
    assert kept() == {(pairing_id, "2025-08"): (1, 60, 0)}
    db.session.rollback()
    assert kept() == {(pairing_id, "2025-08"): (1, 120, 0)}
    assert log_months.drift() == 0


def test_a_drift_is_found_and_rebuilt_from_the_logs(app, ws):  # noqa: F811
    f.approved_plan(ws["pairing"], ws["comps"])
    counted(ws, activity_date=date(2025, 6, 2))
    counted(ws, activity_date=date(2025, 9, 2))
    db.session.commit()
    truth = kept()
    db.session.execute(update(LogMonth).where(LogMonth.month == "2025-06").values(minutes=1))
    db.session.execute(delete(LogMonth).where(LogMonth.month == "2025-09"))
    db.session.commit()
    assert log_months.drift() == 3  # one wrong (missing and extra), one missing
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["scbi", "derived"])
    assert checked.exit_code == 1 and "Months of counted logs that differ" in checked.output
    rebuilt = runner.invoke(args=["scbi", "derived", "--rebuild"])
    assert rebuilt.exit_code == 0 and "2 rows" in rebuilt.output
    db.session.expire_all()
    assert kept() == truth
    assert runner.invoke(args=["scbi", "derived"]).exit_code == 0


def test_logs_of_one_month_counted_at_once_are_all_in_it(app, ws):  # noqa: F811
    """Four mentee sessions acknowledging logs of the same pairing and month at the same
    time: each refresh sees the others' (PostgreSQL locks the pairing first)."""
    f.approved_plan(ws["pairing"], ws["comps"])
    waiting = []
    for n in range(8):
        log = logs.create_log(ws["pairing"], by=ws["coach"], **log_data(ws, title=f"Log {n}"))
        logs.submit_log(log, by=ws["coach"])
        waiting.append(log.id)
    db.session.commit()
    mentee_id, pairing_id = ws["mentee"].id, ws["pairing"].id
    start, errors = threading.Barrier(4), []

    def acknowledge(ids: list[int]) -> None:
        try:
            with app.app_context():
                mentee = db.session.get(User, mentee_id)
                start.wait()
                for log_id in ids:
                    logs.acknowledge_log(db.session.get(TransferLog, log_id), by=mentee)
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=acknowledge, args=(waiting[n::4],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert kept() == {(pairing_id, "2025-06"): (8, 8 * 150, 0)}
    assert log_months.drift() == 0


def test_verifying_logs_of_two_pairings_in_crossed_orders_locks_nothing(app, ws):  # noqa: F811
    """A verification leaves a counted log counted: it refreshes no month and so locks no
    pairing, and two managers verifying the same pairings' logs in crossed orders cannot
    deadlock (PostgreSQL; SQLite has one writer at a time)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's")
    f.approved_plan(ws["pairing"], ws["comps"])
    first = ws["pairing"]
    institution = f.institution(first.sector_id)
    coach, mentee = (
        f.coach(first.sector_id, institution.id),
        f.mentee(first.sector_id, institution.id),
    )
    second = f.pairing(coach, mentee, db.session.get(Phase, first.phase_id))
    f.approved_plan(second, ws["comps"])
    people = [
        (first, ws["coach"], ws["mentee"]),
        (second, db.session.get(User, coach.user_id), db.session.get(User, mentee.user_id)),
    ]
    ids = []
    for pairing, by_coach, by_mentee in people:
        for n in range(2):
            log = logs.create_log(pairing, by=by_coach, **log_data(ws, title=f"Log {n}"))
            logs.submit_log(log, by=by_coach)
            logs.acknowledge_log(log, by=by_mentee)
            ids.append(log.id)
    db.session.commit()
    admin_id, start, errors = ws["admin"].id, threading.Barrier(2), []

    def verify(order: list[int]) -> None:
        try:
            with app.app_context():
                by = db.session.get(User, admin_id)
                logs.verify_log(db.session.get(TransferLog, order[0]), by=by)
                db.session.flush()
                start.wait(timeout=10)
                logs.verify_log(db.session.get(TransferLog, order[1]), by=by)
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    threads = [
        threading.Thread(target=verify, args=([ids[0], ids[2]],)),
        threading.Thread(target=verify, args=([ids[3], ids[1]],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert log_months.drift() == 0
