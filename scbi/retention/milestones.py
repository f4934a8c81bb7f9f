"""The dates of the follow-ups, as pure rules (no query): the one definition the list, the
home queue, the mentee's page, the API and the reports all follow (docs/retention.md).

- A mentee's **exit date** on a day is the later of: the end date of their last pairing,
  when they had pairings by then and none was still open on that day; and the date they
  graduated, when their status on that day is ``graduated``. Neither applies: no exit.
- A follow-up of ``m`` months (6, 12, 24) falls due on the exit date plus ``m`` calendar
  months (a day the month lacks is its last day: 31 August + 6 months is 28 or 29
  February), and is to be answered within :data:`ANSWER_WINDOW` of that date.
- On a day it is *answered* (an answer is stored), *not yet due* (before its date),
  *missed* (unanswered and the next follow-up is due too: the mentee is asked the latest
  one only), *overdue* (unanswered past the answer window) or *due*.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from scbi.retention.models import MILESTONES, FollowUpState

ANSWER_WINDOW = timedelta(days=30)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, on the month's last day when it is shorter."""
    year, month = _shift(day.year, day.month, months)
    return date(year, month, min(day.day, _last_day(year, month)))


def exit_date(last_pairing_end: date | None, graduated_on: date | None) -> date | None:
    """The later of the dates that apply (None: the mentee has not left the programme)."""
    found = [d for d in (last_pairing_end, graduated_on) if d is not None]
    return max(found) if found else None


def due_on(exit_on: date, months: int) -> date:
    """The day the ``months`` follow-up falls due."""
    return add_months(exit_on, months)


def answer_by(exit_on: date, months: int) -> date:
    """The last day of its answer window: overdue after it."""
    return due_on(exit_on, months) + ANSWER_WINDOW


def latest_exit(day: date, months: int) -> date:
    """The latest exit date whose ``months`` follow-up is due on or before ``day``: the
    exact inverse of :func:`add_months`, so SQL compares a stored exit date with it
    (``exit_on <= latest_exit(day, m)`` ⇔ ``due_on(exit_on, m) <= day``) on both
    databases alike, without date arithmetic of its own."""
    year, month = _shift(day.year, day.month, -months)
    last = _last_day(year, month)
    if day.day == _last_day(day.year, day.month):
        return date(year, month, last)
    return date(year, month, min(day.day, last))


def latest_overdue_exit(day: date, months: int) -> date:
    """The latest exit date whose ``months`` follow-up is overdue on ``day`` (its answer
    window ended before ``day``)."""
    return latest_exit(day - ANSWER_WINDOW - timedelta(days=1), months)


def next_milestone(months: int) -> int | None:
    later = [m for m in MILESTONES if m > months]
    return later[0] if later else None


def state_on(exit_on: date, months: int, day: date, *, answered: bool) -> FollowUpState:
    """Where the ``months`` follow-up of a mentee who left on ``exit_on`` stands on
    ``day``."""
    if answered:
        return FollowUpState.ANSWERED
    if due_on(exit_on, months) > day:
        return FollowUpState.UPCOMING
    following = next_milestone(months)
    if following is not None and due_on(exit_on, following) <= day:
        return FollowUpState.MISSED
    if answer_by(exit_on, months) < day:
        return FollowUpState.OVERDUE
    return FollowUpState.DUE


def days_overdue(exit_on: date, months: int, day: date) -> int:
    """Days since the answer window closed (0 while it is open)."""
    return max(0, (day - answer_by(exit_on, months)).days)


# A follow-up that can be answered on a day: due, overdue or answered (an answer may be
# corrected), or missed (the secretariat may still record it from what it learnt since).
ANSWERABLE = (
    FollowUpState.DUE,
    FollowUpState.OVERDUE,
    FollowUpState.ANSWERED,
    FollowUpState.MISSED,
)
# Waiting for an answer: what the home queue and the list's "open" filter show.
OPEN = (FollowUpState.DUE, FollowUpState.OVERDUE)
