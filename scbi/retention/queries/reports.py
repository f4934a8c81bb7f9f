"""The follow-up rows the reports fold into a statement they already send (a report page
sends at most 15 statements, QUALITY.md): the mentees' exits by pairings and their answers,
as two more parts of the UNION ALL that reads the mentees' dated statuses
(scbi.reports.queries.statuses_and_follow_ups).

Each part has that read's columns:
    kind, day, ident, mentee_id, sector_id, status, gender, institution_id
and uses them so:
    "x" (an exit by pairings): day = the last pairing's end, mentee_id
    "a" (an answer): day = answered_on, ident = months, mentee_id,
        sector_id = still in public service (1/0), institution_id = coaching others (1/0)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, Select, String, cast, select

from scbi.dates import as_day
from scbi.mentees.models import Mentee
from scbi.retention.models import FollowUp
from scbi.retention.queries import pairing_exits
from scbi.sql import blank, row_kind


def report_parts(sector_ids, as_of: date) -> list[Select]:
    """The follow-up rows of the mentees of ``sector_ids`` as of ``as_of``: their exits by
    pairings (graduation comes from the statuses the same statement reads) and their
    answers given by then."""
    ended = pairing_exits(as_of).subquery("ended")
    exits_part = (
        select(
            row_kind("x"),
            ended.c.ended_on,
            blank(Integer),
            ended.c.mentee_id,
            blank(Integer),
            blank(String),
            blank(String),
            blank(Integer),
        )
        .join(Mentee, Mentee.id == ended.c.mentee_id)
        .where(Mentee.sector_id.in_(sector_ids))
    )
    answers_part = (
        select(
            row_kind("a"),
            FollowUp.answered_on,
            FollowUp.months,
            FollowUp.mentee_id,
            cast(FollowUp.in_public_service, Integer),
            blank(String),
            blank(String),
            cast(FollowUp.coaching_others, Integer),
        )
        .join(Mentee, Mentee.id == FollowUp.mentee_id)
        .where(Mentee.sector_id.in_(sector_ids), FollowUp.answered_on <= as_of)
    )
    return [exits_part, answers_part]


@dataclass(frozen=True)
class Answer:
    months: int
    answered_on: date
    retained: bool
    coaching: bool


def read_report_rows(rows) -> tuple[dict[int, date], dict[int, dict[int, Answer]]]:
    """``({mentee: last pairing end}, {mentee: {months: Answer}})`` from the rows of
    :func:`report_parts` (rows of other kinds are left alone)."""
    ended: dict[int, date] = {}
    answers: dict[int, dict[int, Answer]] = {}
    for kind, day, ident, mentee, sector_or_flag, _s, _g, flag in rows:
        if kind == "x":
            ended[mentee] = as_day(day)
        elif kind == "a":
            answers.setdefault(mentee, {})[ident] = Answer(
                ident, as_day(day), bool(sector_or_flag), bool(flag)
            )
    return ended, answers
