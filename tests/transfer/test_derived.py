"""The times the reports read instead of the history (issue 13): kept by the log services in
the same transaction as the event, equal to a recomputation from the history, rebuildable."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from scbi.errors import Conflict, InvalidTransition
from scbi.extensions import db
from scbi.transfer.models import LogEvent, TransferLog
from scbi.transfer.services import logs
from scbi.transfer.services.derived import log_time_drift
from tests import factories as f
from tests.transfer.test_services_plans_logs import log_data, ws  # noqa: F401  (fixture)


def event_times(log, action):
    return list(
        db.session.scalars(
            select(LogEvent.at)
            .where(LogEvent.log_id == log.id, LogEvent.action == action)
            .order_by(LogEvent.id)
        )
    )


def test_a_logs_life_keeps_its_first_submission_and_acknowledgement(ws):  # noqa: F811
    coach, mentee = ws["coach"], ws["mentee"]
    f.approved_plan(ws["pairing"], ws["comps"])
    log = logs.create_log(ws["pairing"], by=coach, **log_data(ws))
    assert (log.first_submitted_at, log.acknowledged_at) == (None, None)
    logs.submit_log(log, by=coach)
    first = log.first_submitted_at
    assert first is not None and first == log.submitted_at
    logs.dispute_log(log, by=mentee, comment="It was 1.5 hours")
    assert log.acknowledged_at is None
    logs.update_log(log, by=coach, version=log.version, hours=1.5)
    logs.submit_log(log, by=coach)
    assert log.first_submitted_at == first < log.submitted_at  # a resubmission is not first
    logs.acknowledge_log(log, by=mentee)
    logs.verify_log(log, by=ws["admin"])
    db.session.commit()
    assert event_times(log, "submitted")[0] == first
    assert event_times(log, "acknowledged") == [log.acknowledged_at]
    assert log.acknowledged_at == log.responded_at  # the one moment, event and columns
    assert log_time_drift() == 0


def test_a_drift_is_found_and_rebuilt_from_the_history(app, ws):  # noqa: F811
    coach, mentee = ws["coach"], ws["mentee"]
    f.approved_plan(ws["pairing"], ws["comps"])
    kept = logs.create_log(ws["pairing"], by=coach, **log_data(ws))
    logs.submit_log(kept, by=coach)
    logs.acknowledge_log(kept, by=mentee)
    draft = logs.create_log(ws["pairing"], by=coach, **log_data(ws, title="Still a draft"))
    db.session.commit()
    truth = (kept.first_submitted_at, kept.acknowledged_at)
    wrong = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.execute(
        update(TransferLog).where(TransferLog.id == kept.id).values(acknowledged_at=None)
    )
    db.session.execute(
        update(TransferLog).where(TransferLog.id == draft.id).values(first_submitted_at=wrong)
    )
    db.session.commit()
    assert log_time_drift() == 2
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["scbi", "derived"])
    assert checked.exit_code == 1 and "differ from their history: 2." in checked.output
    rebuilt = runner.invoke(args=["scbi", "derived", "--rebuild"])
    assert rebuilt.exit_code == 0 and "2 log(s) changed" in rebuilt.output
    db.session.expire_all()
    assert (kept.first_submitted_at, kept.acknowledged_at) == truth
    assert db.session.get(TransferLog, draft.id).first_submitted_at is None
    assert runner.invoke(args=["scbi", "derived"]).exit_code == 0


def test_a_refused_step_leaves_the_logs_times_as_they_were(ws):  # noqa: F811
    """Acknowledging twice, or verifying with a stale version, is refused before anything
    of the log changes: its kept times stay those of its history."""
    coach, mentee = ws["coach"], ws["mentee"]
    f.approved_plan(ws["pairing"], ws["comps"])
    log = logs.create_log(ws["pairing"], by=coach, **log_data(ws))
    logs.submit_log(log, by=coach)
    logs.acknowledge_log(log, by=mentee, comment="Right")
    db.session.commit()
    kept = (log.acknowledged_at, log.responded_at, log.mentee_comment, log.submitted_at)
    with pytest.raises(InvalidTransition):
        logs.acknowledge_log(log, by=mentee, comment="Again")
    with pytest.raises(InvalidTransition):
        logs.submit_log(log, by=coach)
    with pytest.raises(Conflict):
        logs.verify_log(log, by=ws["admin"], version=log.version - 1)
    assert (log.acknowledged_at, log.responded_at, log.mentee_comment, log.submitted_at) == kept
    assert (log.verified_at, log.verified_by_id) == (None, None)
