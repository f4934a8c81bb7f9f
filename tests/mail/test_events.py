"""Event mails: each step that needs someone reaches exactly them, in the step's own
transaction (a step rolled back mails nobody). Mail is off here, so the messages are held:
who would receive what is read from the outbox; test_invitations.py sends through SMTP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from scbi.auth.models import Role, User
from scbi.competencies.services import create_assessment
from scbi.extensions import db
from scbi.mail import MailMessage, MailStatus
from scbi.mentees.models import Mentee
from scbi.notify.people import wanting
from scbi.transfer.models import Pairing, TransferLog, TransferPlan
from scbi.transfer.services import end_pairing, pause_pairing
from scbi.transfer.services import logs as log_services
from scbi.transfer.services import plans as plan_services
from tests import factories


@pytest.fixture
def world(app):
    return factories.world(app)


def _last_id() -> int:
    return db.session.scalar(select(func.max(MailMessage.id))) or 0


def _since(last: int) -> list[tuple[str, str]]:
    """(recipient, subject) of the mails written after ``last``."""
    return [
        (m.to_address, m.subject)
        for m in db.session.scalars(
            select(MailMessage).where(MailMessage.id > last).order_by(MailMessage.id)
        )
    ]


def _recipients(last: int) -> list[str]:
    return sorted(address for address, _subject in _since(last))


def _new_log(pairing, coach, title="Grid study review"):
    return log_services.create_log(
        pairing,
        by=coach,
        activity_date=date(2025, 6, 9),
        activity_type="on_the_job",
        hours=1,
        title=title,
        mentee_role="led",
        competency_ids=[db.session.scalar(select(TransferLog).limit(1)).competencies[0].id],
    )


def test_the_world_s_events_are_held_with_mail_off(app, world):
    with app.app_context():
        statuses = set(db.session.scalars(select(MailMessage.status)))
    assert statuses == {MailStatus.HELD}


def test_a_submitted_log_mails_the_mentee_only(app, world):
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        last = _last_id()
        log = _new_log(pairing, coach, title="<Grid> & study")
        log_services.submit_log(log, by=coach)
        db.session.commit()
        [(address, subject)] = _since(last)
        assert address == world.a.mentee_user.email
        assert subject.startswith("Please acknowledge a log from ")
        assert subject.endswith('"<Grid> & study"')
        body = db.session.scalar(select(MailMessage.html_body).where(MailMessage.id > last))
        assert "&lt;Grid&gt; &amp; study" in body
        assert f"/logs/{log.id}" in body


def test_a_dispute_mails_the_coach_with_the_comment_and_a_correction_mails_the_mentee(app, world):
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        mentee = db.session.get(User, world.a.mentee_user.id)
        log = _new_log(pairing, coach)
        log_services.submit_log(log, by=coach)
        db.session.commit()
        last = _last_id()
        log_services.dispute_log(log, by=mentee, comment="It was one hour, not two.")
        db.session.commit()
        assert _recipients(last) == [world.a.coach_user.email]
        text = db.session.scalar(select(MailMessage.text_body).where(MailMessage.id > last))
        assert "It was one hour, not two." in text

        last = _last_id()
        log_services.update_log(log, by=coach, version=log.version, title="Grid study, 1 h")
        log_services.submit_log(log, by=coach)
        db.session.commit()
        [(address, subject)] = _since(last)
        assert address == world.a.mentee_user.email
        assert "corrected" in subject


def test_a_submitted_plan_mails_the_sector_s_coordinators_only(app, world):
    with app.app_context():
        coach = db.session.get(User, world.a.coach_user.id)
        approved = db.session.get(TransferPlan, world.plan_id)
        draft = plan_services.revise_plan(approved, by=coach)
        db.session.commit()
        last = _last_id()
        plan_services.submit_plan(draft, by=coach)
        db.session.commit()
        assert _recipients(last) == [world.a.coordinator.email]  # not B's, not the secretariat

        last = _last_id()
        coordinator = db.session.get(User, world.a.coordinator.id)
        plan_services.return_plan(draft, by=coordinator, comment="Add a target for Q3.")
        db.session.commit()
        [(address, subject)] = _since(last)
        assert address == world.a.coach_user.email and "returned" in subject


def test_a_plan_in_a_sector_without_coordinators_mails_the_secretariat(app, world):
    with app.app_context():
        sector = factories.sector()
        institution = factories.institution(sector.id)
        coach_profile = factories.coach(sector.id, institution.id)
        mentee_profile = factories.mentee(sector.id, institution.id)
        phase = factories.phase()
        pairing = factories.pairing(coach_profile, mentee_profile, phase)
        [competency] = factories.competencies(sector.id, 1)
        coach = db.session.get(User, coach_profile.user_id)
        plan = plan_services.create_plan(
            pairing, by=coach, items=factories.plan_items([competency])
        )
        db.session.commit()
        last = _last_id()
        plan_services.submit_plan(plan, by=coach)
        db.session.commit()
        secretariat = sorted(
            u.email
            for u in db.session.scalars(select(User).where(User.active.is_(True)))
            if u.has_role(Role.SECRETARIAT)
        )
        assert _recipients(last) == secretariat

        last = _last_id()
        plan_services.approve_plan(plan, by=factories.admin())
        db.session.commit()
        assert _recipients(last) == [coach.email]


def test_a_self_assessment_asking_for_review_mails_the_mentee_s_coaches(app, world):
    with app.app_context():
        mentee = db.session.get(Mentee, world.a.mentee_id)
        last = _last_id()
        create_assessment(
            mentee,
            by=db.session.get(User, world.a.mentee_user.id),
            competency_id=world.competency_id,
            level=3,
            assessed_on=date(2025, 8, 1),
            request_review=True,
        )
        db.session.commit()
        assert _recipients(last) == [world.a.coach_user.email]

        last = _last_id()  # without asking for a review: nobody
        create_assessment(
            mentee,
            by=db.session.get(User, world.a.mentee_user.id),
            competency_id=world.competency_id,
            level=3,
            assessed_on=date(2025, 8, 2),
        )
        db.session.commit()
        assert _recipients(last) == []


def test_a_pairing_paused_and_ended_mails_its_coach_and_mentee(app, world):
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coordinator = db.session.get(User, world.a.coordinator.id)
        both = sorted([world.a.coach_user.email, world.a.mentee_user.email])
        last = _last_id()
        pause_pairing(pairing, by=coordinator, version=pairing.version)
        db.session.commit()
        assert _recipients(last) == both
        last = _last_id()
        end_pairing(
            pairing,
            by=coordinator,
            version=pairing.version,
            status="completed",
            end_date=date(2025, 7, 1),
            reason="Objectives met",
        )
        db.session.commit()
        assert _recipients(last) == both
        assert all("has ended" in subject for _a, subject in _since(last))


def test_a_person_who_turned_event_mails_off_gets_none(app, world):
    with app.app_context():
        db.session.get(User, world.a.mentee_user.id).mail_events = False
        db.session.commit()
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        last = _last_id()
        log_services.submit_log(_new_log(pairing, coach), by=coach)
        db.session.commit()
        assert _recipients(last) == []


def test_a_step_rolled_back_mails_nobody(app, world):
    """The request fails after the step wrote its event: no mail, as no event."""
    with app.app_context():
        pairing = db.session.get(Pairing, world.a.pairing_id)
        coach = db.session.get(User, world.a.coach_user.id)
        log = _new_log(pairing, coach)
        db.session.commit()
        last = _last_id()
        log_services.submit_log(db.session.get(TransferLog, log.id), by=coach)
        db.session.rollback()
        db.session.commit()  # a later commit of the same session carries nothing over
        assert _recipients(last) == []


def test_nobody_is_mailed_about_their_own_step_nor_twice_nor_when_inactive(app, make_user):
    with app.app_context():
        one = db.session.get(User, make_user("coach").id)
        two = db.session.get(User, make_user("coach").id)
        off = db.session.get(User, make_user("coach").id)
        off.active = False
        assert wanting([one, two, one, off, None], "mail_events", besides=two.id) == [one]
