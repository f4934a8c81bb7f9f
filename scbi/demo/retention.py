"""The demo's follow-ups after the programme: a few mentees of the first cohort graduated
early, some fourteen to sixteen months ago, and were followed up at 6 and 12 months — most
still in post (one promoted), one who left the public service, one now mentoring others,
and one 12-month follow-up overdue. With the demo's withdrawn mentees (never answered),
the secretariat's list has overdue follow-ups to chase. Built through the services."""

from __future__ import annotations

from datetime import timedelta

from scbi.auth.models import User
from scbi.dates import today
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.mentees.services import change_status
from scbi.retention.milestones import due_on
from scbi.retention.permissions import can_record_for_others
from scbi.retention.services import record_follow_up

# How long ago each early graduate left (days): their 6- and 12-month follow-ups have
# fallen due, not yet the 24-month one.
EARLY_EXITS = (420, 445, 470, 495)


def graduate_early(admin: User, mentee: Mentee, pairing, n: int) -> Mentee:
    """The ``n``-th early graduate leaves (their pairing completes the same day)."""
    day = max(today() - timedelta(days=EARLY_EXITS[n % len(EARLY_EXITS)]), pairing.start_date)
    change_status(
        mentee,
        by=admin,
        version=mentee.version,
        status="graduated",
        status_date=day,
        note="Completed the first cohort's plan early.",
    )
    return mentee


def _answer(mentee: Mentee, months: int, *, by: User, after: int, **answers) -> None:
    exit_on = mentee.status_changed_on
    day = min(due_on(exit_on, months) + timedelta(days=after), today())
    if can_record_for_others(by):
        record_follow_up(mentee, months, by=by, answered_on=day, **answers)
    else:  # a mentee's answer is dated the day given: put back to then, as logs are
        follow_up, _new = record_follow_up(mentee, months, by=by, **answers)
        follow_up.answered_on = day


IN_POST = {"in_public_service": True, "same_institution": True, "same_sector": True}


def build_follow_ups(admin: User, graduates: list[Mentee]) -> None:
    """Their answers: the 6-month ones as the secretariat recorded them, the 12-month ones
    as the mentees gave them (theirs is the latest that has fallen due)."""
    people = {g.id: db.session.get(User, g.user_id) for g in graduates}
    plans: list[tuple[dict, dict | None]] = [
        # still in post, then promoted
        (
            IN_POST | {"promoted": False, "coaching_others": False},
            IN_POST | {"promoted": True, "coaching_others": False, "position": "Senior officer"},
        ),
        # still in post; the 12-month follow-up is overdue
        (IN_POST | {"promoted": False, "coaching_others": False}, None),
        # left the public service
        (
            {
                "in_public_service": False,
                "coaching_others": False,
                "position": "Analyst, a private consultancy",
                "note": "Left for the private sector; keen to come back.",
            },
            {"in_public_service": False, "coaching_others": False, "position": "Analyst"},
        ),
        # now coaching or mentoring others: the cascade
        (
            IN_POST
            | {"promoted": False, "coaching_others": True, "note": "Mentors two new recruits."},
            IN_POST
            | {
                "promoted": True,
                "coaching_others": True,
                "note": "Now runs the unit's peer-learning sessions.",
            },
        ),
    ]
    for mentee, (six, twelve) in zip(graduates, plans, strict=False):
        _answer(mentee, 6, by=admin, after=12, **six)
        if twelve is not None:
            _answer(mentee, 12, by=people[mentee.id], after=5, **twelve)
