"""Mentees who left the programme, through the services (pairings ended, statuses)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from scbi.auth.models import User
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.mentees.services import change_status
from scbi.retention.services import record_follow_up
from scbi.transfer.models import OPEN_STATUSES, Pairing
from scbi.transfer.services import end_pairing
from tests import factories as f


def graduate(mentee: Mentee, day: date) -> None:
    """The mentee graduates on ``day`` (which ends their open pairings that day)."""
    change_status(mentee, by=f.admin(), version=mentee.version, status="graduated", status_date=day)


def end_pairings(mentee: Mentee, day: date, status: str = "completed") -> None:
    """Every open pairing of the mentee ends on ``day``; their status stays."""
    for pairing in db.session.scalars(
        select(Pairing).where(
            Pairing.mentee_id == mentee.id, Pairing.status.in_(list(OPEN_STATUSES))
        )
    ):
        end_pairing(
            pairing,
            by=f.admin(),
            version=pairing.version,
            status=status,
            end_date=day,
            reason="Plan achieved.",
        )


def answer(mentee, months, day, *, retained=True, coaching=False, by=None, **more):
    """A follow-up answer recorded by the secretariat (or ``by``), dated ``day``."""
    values = {
        "answered_on": day,
        "in_public_service": retained,
        "coaching_others": coaching,
        "same_institution": True if retained else None,
        "same_sector": True if retained else None,
        "promoted": False if retained else None,
    } | more
    follow_up, _new = record_follow_up(mentee, months, by=by or f.admin(), **values)
    return follow_up


def user_of(mentee: Mentee) -> User:
    return db.session.get(User, mentee.user_id)
