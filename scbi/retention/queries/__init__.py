"""The read side of the follow-ups: exit dates in SQL, a mentee's follow-ups and the home
queue's counts (the list with its filters: :mod:`scbi.retention.queries.listing`; the rows
the reports fold into a statement they already send: :mod:`scbi.retention.queries.reports`).

The rule of scbi.retention.milestones is written in SQL once here: the exit date (the
later of the last pairing's end, with none left open, and the graduation), and each
follow-up's state on a day, compared with the exit date through
:func:`~scbi.retention.milestones.latest_exit` (no date arithmetic in SQL, so SQLite and
PostgreSQL agree to the day). Every read is one statement whatever the number of mentees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    case,
    cast,
    exists,
    extract,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.dates import as_day, today
from scbi.extensions import db
from scbi.loaders import hidden
from scbi.mentees.models import Mentee, MenteeStatus, MenteeStatusChange
from scbi.retention import milestones
from scbi.retention.models import MILESTONES, FollowUp, FollowUpState
from scbi.retention.permissions import can_read_follow_ups
from scbi.transfer.models import Pairing

# --- the exit date and the state of each follow-up, in SQL ---------------------------------


def _later(a, b):
    """The later of two dates, either maybe NULL (SQLite's max() and PostgreSQL's
    greatest() treat NULL apart)."""
    return case((a.is_(None), b), (b.is_(None), a), (a >= b, a), else_=b)


def pairing_exits(day: date, mentee_ids=None) -> Select:
    """``(mentee_id, ended_on)``: mentees (of ``mentee_ids``, a list or a select, when
    given) with a pairing started by ``day`` and none still open on that day, with the end
    date of their last."""
    still_open = or_(Pairing.end_date.is_(None), Pairing.end_date > day)
    query = select(
        Pairing.mentee_id.label("mentee_id"), func.max(Pairing.end_date).label("ended_on")
    )
    if mentee_ids is not None:
        query = query.where(Pairing.mentee_id.in_(mentee_ids))
    return (
        query.where(Pairing.start_date <= day)
        .group_by(Pairing.mentee_id)
        .having(func.sum(case((still_open, 1), else_=0)) == 0)
    )


def graduations(day: date, mentee_ids=None):
    """``(mentee_id, graduated_on)`` of the mentees (of ``mentee_ids`` when given) whose
    dated status on ``day`` is graduated — their latest status change on or before it, the
    later id of one day last, as the reports read the status history
    (scbi.reports.retention.graduations) — with the day it took effect."""
    change, later = aliased(MenteeStatusChange), aliased(MenteeStatusChange)
    superseded = exists().where(
        later.mentee_id == change.mentee_id,
        later.status_on <= day,
        or_(
            later.status_on > change.status_on,
            and_(later.status_on == change.status_on, later.id > change.id),
        ),
    )
    query = select(
        change.mentee_id.label("mentee_id"), change.status_on.label("graduated_on")
    ).where(change.status == MenteeStatus.GRADUATED, change.status_on <= day, ~superseded)
    if mentee_ids is not None:
        query = query.where(change.mentee_id.in_(mentee_ids))
    return query.subquery("graduated")


def exits(day: date, mentee_ids=None):
    """``(mentee_id, exit_on)`` of every mentee (of ``mentee_ids`` when given) who has left
    the programme by ``day``: their pairings and their dated status as they stood on that
    day (so a past day gives what the reports as of that day count)."""
    ended = pairing_exits(day, mentee_ids).subquery("ended")
    graduated = graduations(day, mentee_ids)
    exit_on = _later(ended.c.ended_on, graduated.c.graduated_on)
    query = (
        select(Mentee.id.label("mentee_id"), exit_on.label("exit_on"))
        .outerjoin(ended, ended.c.mentee_id == Mentee.id)
        .outerjoin(graduated, graduated.c.mentee_id == Mentee.id)
    )
    if mentee_ids is not None:
        query = query.where(Mentee.id.in_(mentee_ids))
    return query.where(exit_on.is_not(None)).subquery("exits")


def _state(exit_on, answered, months: int, day: date):
    """The state of the ``months`` follow-up on ``day`` (scbi.retention.milestones.state_on)."""
    following = milestones.next_milestone(months)
    missed = exit_on <= milestones.latest_exit(day, following) if following is not None else false()
    return case(
        (answered, literal(FollowUpState.ANSWERED.value)),
        (exit_on > milestones.latest_exit(day, months), literal(FollowUpState.UPCOMING.value)),
        (missed, literal(FollowUpState.MISSED.value)),
        (
            exit_on <= milestones.latest_overdue_exit(day, months),
            literal(FollowUpState.OVERDUE.value),
        ),
        else_=literal(FollowUpState.DUE.value),
    )


def _milestone_rows(found, months: int, day: date) -> Select:
    answered = FollowUp.id.is_not(None)
    # the due date's month (as a number) and day: the list's order, without date arithmetic
    month_index = (
        cast(extract("year", found.c.exit_on), Integer) * 12
        + cast(extract("month", found.c.exit_on), Integer)
        + months
    )
    return select(
        found.c.mentee_id,
        literal_column(str(months), Integer).label("months"),
        found.c.exit_on,
        _state(found.c.exit_on, answered, months, day).label("state"),
        month_index.label("due_month"),
        cast(extract("day", found.c.exit_on), Integer).label("due_day"),
        FollowUp.id.label("follow_up_id"),
        FollowUp.answered_on,
        FollowUp.in_public_service,
        FollowUp.coaching_others,
        FollowUp.recorded_as,
    ).outerjoin(
        FollowUp,
        and_(
            FollowUp.mentee_id == found.c.mentee_id,
            FollowUp.months == months,
            FollowUp.answered_on <= day,  # an answer given later is not known on ``day``
        ),
    )


def follow_up_rows(day: date, mentee_ids=None):
    """Every follow-up of every mentee (of ``mentee_ids`` when given) who had left by
    ``day``, with its state on ``day`` and the answer given by then (a subquery: one row
    per mentee and milestone)."""
    found = exits(day, mentee_ids)
    return union_all(*(_milestone_rows(found, m, day) for m in MILESTONES)).subquery("follow_ups")


def readable_by(user: User):
    """The condition (on Mentee, joined) under which ``user`` may read follow-ups: None for
    all (the secretariat)."""
    ids = managed_sector_ids(user)
    if ids is None:
        return None
    conditions = [Mentee.sector_id.in_(ids)] if ids else []
    if user.has_role(Role.MENTEE):
        conditions.append(Mentee.user_id == user.id)
    return or_(*conditions) if conditions else false()


# --- the home queue ------------------------------------------------------------------------


def overdue_count(user: User) -> int:
    """How many follow-ups the user may read are overdue today: one statement."""
    rows = follow_up_rows(today())
    query = (
        select(func.count())
        .select_from(rows)
        .join(Mentee, Mentee.id == rows.c.mentee_id)
        .where(rows.c.state == FollowUpState.OVERDUE.value)
    )
    if (visible := readable_by(user)) is not None:
        query = query.where(visible)
    return db.session.scalar(query)


def own_open_follow_up(user: User) -> tuple[int, int, FollowUpState] | None:
    """``(mentee_id, months, state)`` of the follow-up waiting for ``user``'s own answer
    (at most one is open at a time: an earlier one is missed once the next falls due)."""
    found = db.session.execute(_own_open(today()), {"user_id": user.id}).first()
    if found is None:
        return None
    return found.mentee_id, found.months, FollowUpState(found.state)


@lru_cache(maxsize=2)
def _own_open(day: date):
    """The statement of :func:`own_open_follow_up` on ``day``, the user a parameter: built
    once a day, not on every home page (building this union and its cache key cost ten
    times what running it does)."""
    user_id = bindparam("user_id", type_=Integer)
    own = select(Mentee.id).where(Mentee.user_id == user_id)  # not the whole programme's
    rows = follow_up_rows(day, own)
    return (
        select(rows.c.mentee_id, rows.c.months, rows.c.state)
        .join(Mentee, Mentee.id == rows.c.mentee_id)
        .where(Mentee.user_id == user_id, rows.c.state.in_([s.value for s in milestones.OPEN]))
        .order_by(rows.c.months.desc())
        .limit(1)
    )


# --- one mentee's follow-ups ---------------------------------------------------------------


def follow_up_mentee_or_404(user: User, mentee_id: int) -> Mentee:
    """The mentee whose follow-ups ``user`` asks for: a 404 (audited) when they may not
    read them — another mentee's, another sector's."""
    mentee = db.session.get(Mentee, mentee_id)
    if mentee is None or not can_read_follow_ups(user, mentee):
        raise hidden("mentee", mentee_id)
    return mentee


def exit_of(mentee_id: int, day: date | None = None) -> date | None:
    """The mentee's exit date on ``day`` (today), or None while they are in the programme."""
    found = exits(day or today(), [mentee_id])
    return db.session.scalar(select(found.c.exit_on))


def answers_of(mentee_id: int) -> dict[int, FollowUp]:
    """The mentee's stored answers by milestone."""
    rows = db.session.scalars(select(FollowUp).where(FollowUp.mentee_id == mentee_id))
    return {f.months: f for f in rows}


@dataclass(frozen=True)
class Milestone:
    """One follow-up of a mentee on a day: its dates, state and stored answer."""

    months: int
    due_on: date
    answer_by: date
    state: FollowUpState
    days_overdue: int
    current: bool  # the latest follow-up that has fallen due
    answer: FollowUp | None

    @property
    def is_upcoming(self) -> bool:
        return self.state == FollowUpState.UPCOMING


@dataclass(frozen=True)
class MenteeFollowUps:
    exit_on: date | None
    milestones: list[Milestone]

    def get(self, months: int) -> Milestone | None:
        return next((m for m in self.milestones if m.months == months), None)


def follow_ups_of(mentee: Mentee, day: date | None = None) -> MenteeFollowUps:
    """The mentee's three follow-ups on ``day`` (today): two statements (one while the
    mentee is in the programme)."""
    day = day or today()
    exit_on = as_day(exit_of(mentee.id, day))
    if exit_on is None:
        return MenteeFollowUps(None, [])
    answers = answers_of(mentee.id)
    reached = [m for m in MILESTONES if milestones.due_on(exit_on, m) <= day]
    out = []
    for months in MILESTONES:
        state = milestones.state_on(exit_on, months, day, answered=months in answers)
        out.append(
            Milestone(
                months=months,
                due_on=milestones.due_on(exit_on, months),
                answer_by=milestones.answer_by(exit_on, months),
                state=state,
                days_overdue=(
                    milestones.days_overdue(exit_on, months, day)
                    if state == FollowUpState.OVERDUE
                    else 0
                ),
                current=bool(reached) and months == reached[-1],
                answer=answers.get(months),
            )
        )
    return MenteeFollowUps(exit_on, out)
