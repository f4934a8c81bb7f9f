"""A log's history reads in words from one source, LogAction (issue 17): every step the
services write has its label, and the log's page prints it in the reader's language."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import force_locale
from sqlalchemy import select

from scbi.auth.models import User
from scbi.extensions import db
from scbi.transfer.models import LogAction, LogEvent, Pairing, TransferLog
from scbi.transfer.services import evidence, logs
from tests import factories as f
from tests.helpers import login

STEP = re.compile(r'<li class="mb-1"><strong>(.*?)</strong>')


def test_every_step_the_services_write_is_a_log_action(app):
    """The whole life of two logs writes each LogAction, and nothing the enum lacks."""
    world = f.world(app)
    with app.app_context():
        coach = db.session.get(User, world.a.coach_user.id)
        mentee = db.session.get(User, world.a.mentee_user.id)
        log = db.session.get(TransferLog, world.log_id)  # created, evidence added, submitted
        logs.dispute_log(log, by=mentee, comment="It was on the 3rd")
        logs.update_log(log, by=coach, version=log.version, activity_date=date(2025, 6, 3))
        logs.submit_log(log, by=coach)
        logs.acknowledge_log(log, by=mentee)
        logs.verify_log(log, by=f.admin())
        draft = logs.create_log(
            db.session.get(Pairing, world.a.pairing_id),
            by=coach,
            activity_date=date(2025, 6, 4),
            activity_type="shadowing",
            hours=1,
            title="Site visit",
            mentee_role="observed",
            competency_ids=[world.competency_id],
        )
        logs.update_log(draft, by=coach, version=draft.version, title="Substation visit")
        link = evidence.add_link(draft, by=coach, url="https://example.org/a", title="Notes")
        evidence.remove_evidence(link, by=coach)
        db.session.commit()
        written = set(db.session.scalars(select(LogEvent.action)))
    assert written == {action.value for action in LogAction}


def test_the_log_s_history_shows_each_step_s_label_in_the_reader_s_language(app, client):
    world = f.world(app)
    login(client, world.a.coordinator)
    page = client.get(f"/logs/{world.log_id}").get_data(as_text=True)
    assert STEP.findall(page) == ["created", "evidence added", "submitted"]

    with app.app_context():
        db.session.get(User, world.a.coordinator.id).language = "fr"
        db.session.commit()
    page = client.get(f"/logs/{world.log_id}").get_data(as_text=True)
    with app.test_request_context(), force_locale("fr"):
        words = [LogAction(a).label for a in ("created", "evidence_added", "submitted")]
    steps = STEP.findall(page)
    assert steps == words and steps[-1] == "soumise"  # as the log's status reads
    assert not any("_" in step for step in steps)
