"""Reminders (daily) and the weekly digest: each occurrence mailed once, to the right
people, stopped when the cause goes away, never to someone who turned them off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from scbi.auth.models import User
from scbi.dates import today as local_today
from scbi.extensions import db
from scbi.mail import MailMessage
from scbi.notify.digest import digest
from scbi.notify.reminders import remind
from scbi.transfer.models import Pairing, TransferLog
from tests import factories


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def _mails(kind: str) -> list[tuple[str, str]]:
    return [
        (m.to_address, m.text_body)
        for m in db.session.scalars(
            select(MailMessage).where(MailMessage.kind == kind).order_by(MailMessage.id)
        )
    ]


def _silence(world, since: date, status: str = "acknowledged") -> None:
    """Pairing A's last submission (the world's one log, acknowledged) on ``since``;
    pairing B paused (its silence is not these tests')."""
    db.session.execute(
        update(TransferLog)
        .where(TransferLog.pairing_id == world.a.pairing_id)
        .values(first_submitted_at=_at(since), submitted_at=_at(since), status=status)
    )
    db.session.execute(
        update(Pairing).where(Pairing.id == world.b.pairing_id).values(status="paused")
    )
    db.session.commit()


def test_a_pairing_silent_14_days_reminds_its_coach_once(app):
    world = factories.world(app)
    with app.app_context():
        start = date(2026, 3, 2)
        _silence(world, start)
        assert remind(_at(start + timedelta(days=13))) == 0
        remind(_at(start + timedelta(days=14)))
        db.session.commit()
        mails = _mails("reminder")
        assert [to for to, _text in mails] == [world.a.coach_user.email]
        assert "for 14 days" in mails[0][1]
        assert remind(_at(start + timedelta(days=15))) == 0  # not every day


def test_at_28_days_the_coach_and_the_sector_s_coordinators_are_reminded(app):
    world = factories.world(app)
    with app.app_context():
        start = date(2026, 3, 2)
        _silence(world, start)
        remind(_at(start + timedelta(days=14)))
        remind(_at(start + timedelta(days=28)))
        db.session.commit()
        recipients = sorted(to for to, _text in _mails("reminder"))
        assert recipients == sorted(
            [world.a.coach_user.email, world.a.coach_user.email, world.a.coordinator.email]
        )


def test_a_log_submitted_stops_the_reminder(app):
    world = factories.world(app)
    with app.app_context():
        start = date(2026, 3, 2)
        _silence(world, start)
        remind(_at(start + timedelta(days=14)))
        _silence(world, start + timedelta(days=20))  # the coach logged again
        assert remind(_at(start + timedelta(days=28))) == 0


def test_a_paused_pairing_and_a_coach_who_turned_reminders_off_get_none(app):
    world = factories.world(app)
    with app.app_context():
        start = date(2026, 3, 2)
        _silence(world, start)
        db.session.get(User, world.a.coach_user.id).mail_reminders = False
        db.session.commit()
        assert remind(_at(start + timedelta(days=14))) == 0
        db.session.get(User, world.a.coach_user.id).mail_reminders = True
        db.session.get(Pairing, world.a.pairing_id).status = "paused"
        db.session.commit()
        assert remind(_at(start + timedelta(days=30))) == 0


def test_a_pause_is_no_silence(app):
    """The last log months ago, but paused and resumed today: silent from today."""
    from scbi.transfer.services import pause_pairing, resume_pairing

    world = factories.world(app)
    with app.app_context():
        _silence(world, date(2026, 3, 2))
        pairing = db.session.get(Pairing, world.a.pairing_id)
        pause_pairing(pairing, by=factories.admin(), version=pairing.version)
        resume_pairing(pairing, by=factories.admin(), version=pairing.version)
        db.session.commit()
        assert remind(_at(local_today() + timedelta(days=7))) == 0
        assert remind(_at(local_today() + timedelta(days=14))) == 1


def test_a_log_waiting_a_week_reminds_the_mentee_once(app):
    world = factories.world(app)
    with app.app_context():
        sent = date(2026, 3, 2)
        _silence(world, sent, status="submitted")  # the log waits for the mentee since then
        db.session.execute(update(Pairing).values(start_date=sent))  # not silent long enough
        db.session.commit()
        assert remind(_at(sent + timedelta(days=6))) == 0
        remind(_at(sent + timedelta(days=7)))
        db.session.commit()
        [(to, text)] = _mails("reminder")
        assert to == world.a.mentee_user.email
        assert "waits for your acknowledgement" in text
        assert remind(_at(sent + timedelta(days=8))) == 0


def test_the_digest_lists_what_needs_each_person_once_a_week(app):
    world = factories.world(app)
    with app.app_context():
        digest(date(2026, 3, 2))
        db.session.commit()
        mails = dict(_mails("digest"))
        # the mentee has a log to acknowledge, the coach a self-assessment to review
        assert world.a.mentee_user.email in mails
        assert "acknowledge" in mails[world.a.mentee_user.email].lower()
        assert world.a.coach_user.email in mails
        assert world.b.mentee_user.email not in mails  # nothing needs them: nothing sent
        assert "http://" in mails[world.a.mentee_user.email]  # links to the pages
        assert digest(date(2026, 3, 4)) == 0  # the same week: not again
        db.session.get(User, world.a.mentee_user.id).mail_digest = False
        db.session.commit()
        assert world.a.mentee_user.email not in {
            m.to_address for m in db.session.scalars(select(MailMessage).where(MailMessage.id < 0))
        }
        digest(date(2026, 3, 9))
        db.session.commit()
        assert [to for to, _t in _mails("digest")].count(world.a.mentee_user.email) == 1


def test_the_commands_run(app):
    factories.world(app)
    runner = app.test_cli_runner()
    assert "reminder mails queued" in runner.invoke(args=["scbi", "remind"]).output
    assert "digest mails queued" in runner.invoke(args=["scbi", "digest"]).output
    refused = runner.invoke(args=["scbi", "send-mail", "--once"])
    assert refused.exit_code != 0 and "Mail is off" in refused.output
