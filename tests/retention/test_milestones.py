"""The dates of the follow-ups (scbi.retention.milestones): pure rules, worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scbi.retention import milestones as ms
from scbi.retention.models import FollowUpState as S


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 6, date(2025, 7, 31)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # February has no 31st: its last day
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # a leap year's
        (date(2025, 2, 28), 12, date(2026, 2, 28)),
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2025, 11, 30), 12, date(2026, 11, 30)),
    ],
)
def test_a_follow_up_falls_due_calendar_months_after_the_exit(day, months, expected):
    assert ms.due_on(day, months) == expected


def test_latest_exit_is_the_exact_inverse_of_adding_months():
    """For every day of four years and each milestone, the latest exit date whose follow-up
    is due by that day: due by then, and the day after it is not (so the SQL comparison
    ``exit_on <= latest_exit(day, m)`` is the rule to the day)."""
    day = date(2023, 1, 1)
    while day < date(2027, 1, 1):
        for months in (6, 12, 24):
            latest = ms.latest_exit(day, months)
            assert ms.due_on(latest, months) <= day, (day, months)
            assert ms.due_on(latest + timedelta(days=1), months) > day, (day, months)
        day += timedelta(days=1)


def test_the_exit_date_is_the_later_of_the_dates_that_apply():
    assert ms.exit_date(date(2025, 3, 1), None) == date(2025, 3, 1)
    assert ms.exit_date(None, date(2025, 4, 1)) == date(2025, 4, 1)
    assert ms.exit_date(date(2025, 3, 1), date(2025, 4, 1)) == date(2025, 4, 1)
    assert ms.exit_date(date(2025, 5, 1), date(2025, 4, 1)) == date(2025, 5, 1)
    assert ms.exit_date(None, None) is None


def test_a_follow_up_is_upcoming_due_overdue_then_missed():
    """Left on 31 January 2025: the 6-month follow-up falls due on 31 July, is answered by
    30 August (30 days), is overdue from 31 August, and missed once the 12-month one falls
    due on 31 January 2026."""
    left = date(2025, 1, 31)

    def state(day, months=6, answered=False):
        return ms.state_on(left, months, day, answered=answered)

    assert state(date(2025, 7, 30)) == S.UPCOMING
    assert state(date(2025, 7, 31)) == S.DUE
    assert ms.answer_by(left, 6) == date(2025, 8, 30)
    assert state(date(2025, 8, 30)) == S.DUE
    assert state(date(2025, 8, 31)) == S.OVERDUE
    assert ms.days_overdue(left, 6, date(2025, 8, 31)) == 1
    assert ms.days_overdue(left, 6, date(2025, 8, 30)) == 0
    assert state(date(2026, 1, 30)) == S.OVERDUE
    assert state(date(2026, 1, 31)) == S.MISSED
    assert state(date(2026, 1, 31), months=12) == S.DUE
    assert state(date(2026, 1, 31), answered=True) == S.ANSWERED
    # the last follow-up is never missed: overdue until answered
    assert state(date(2030, 1, 1), months=24) == S.OVERDUE
    assert ms.latest_overdue_exit(date(2025, 8, 31), 6) == left
    assert ms.latest_overdue_exit(date(2025, 8, 30), 6) == left - timedelta(days=1)
