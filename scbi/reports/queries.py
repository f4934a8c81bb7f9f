"""The SQL aggregates behind the reports, each for many sectors at once (the headline's,
which compare periods, are in scbi.reports.headline_queries).

Every function is one statement (or two, named), grouped by sector, so a report costs the
same number of statements for one sector or ten, at a hundred logs or a million: the
database adds, counts and finds medians; Python only arranges the small results.

Counting rules (DESIGN.md "Reports"): hours and shares count acknowledged and verified
logs whose activity date is in the period; submitted counts the logs that left draft in
the period, acknowledged / disputed those that took that step in it (from their history,
not their status today).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Select,
    String,
    and_,
    func,
    literal_column,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.competencies.level_changes import level_on
from scbi.competencies.levels import approved_by
from scbi.engagements.queries.reports import report_parts as engagement_parts
from scbi.exchanges.queries.figures import report_parts as exchange_parts
from scbi.extensions import db
from scbi.mentees.models import Mentee, MenteeStatusChange
from scbi.programme.models import (
    Competency,
    Institution,
    Sector,
)
from scbi.reports.periods import Period
from scbi.reports.sql import contract_overlaps, pairing_overlaps
from scbi.retention.queries.reports import report_parts as follow_up_parts
from scbi.transfer.models import (
    COUNTED_LOG_STATUSES,
    Pairing,
    PlanItem,
    TransferLog,
    TransferPlan,
)
from scbi.transfer.queries import last_log_date

COUNTED = list(COUNTED_LOG_STATUSES)
LOG_STEPS = ("submitted", "acknowledged", "disputed")


def _counted_logs(sector_ids, period: Period):
    return and_(
        Pairing.sector_id.in_(sector_ids),
        TransferLog.activity_date >= period.start,
        TransferLog.activity_date <= period.end,
        TransferLog.status.in_(COUNTED),
    )


def _statuses(sector_ids, until: date, *first):
    """The select of :func:`mentee_statuses`'s rows, after the ``first`` columns. The
    status and gender are read as plain strings: the UNION ALL of
    :func:`statuses_and_follow_ups` reads its other rows' words in those columns."""
    return (
        select(
            *first,
            MenteeStatusChange.status_on.label("day"),
            MenteeStatusChange.id.label("ident"),
            Mentee.id,
            Mentee.sector_id,
            type_coerce(MenteeStatusChange.status, String).label("status"),
            type_coerce(Mentee.gender, String).label("gender"),
            Mentee.institution_id,
        )
        .join(Mentee, Mentee.id == MenteeStatusChange.mentee_id)
        .where(Mentee.sector_id.in_(sector_ids), MenteeStatusChange.status_on <= until)
    )


def mentee_statuses(sector_ids, until: date):
    """``(status_on, change_id, mentee_id, sector_id, status, gender, institution_id)`` of
    every dated status of the sectors' mentees up to ``until``, oldest first."""
    query = _statuses(sector_ids, until)
    order = query.selected_columns
    return db.session.connection().execute(query.order_by(order.day, order.ident)).all()


def statuses_and_follow_ups(sector_ids, period: Period):
    """:func:`mentee_statuses` up to the period's end and, in the same statement (a UNION
    ALL of typed rows), the other rows a report reads as of its as-of date: the follow-ups
    (scbi.retention.queries.reports.report_parts: the mentees' exits by pairings and their
    answers), the short engagements (scbi.engagements.queries.reports.report_parts) and the
    peer exchanges (scbi.exchanges.queries.figures.report_parts). Returns ``(statuses,
    other_rows)``; each reader picks its own kinds of rows."""
    as_of = period.as_of
    statuses = _statuses(sector_ids, period.end, literal_column("'s'", String).label("kind"))
    both = union_all(
        statuses,
        *follow_up_parts(sector_ids, as_of),
        *engagement_parts(sector_ids, as_of),
        *exchange_parts(sector_ids, period.start, as_of),
    )
    order = both.selected_columns
    rows = db.session.connection().execute(both.order_by(order.kind, order.day, order.ident))
    found, others = [], []
    for row in rows:
        if row[0] == "s":
            found.append(tuple(row[1:]))
        else:
            others.append(row)
    return found, others


def coach_follow_up(sector_id: int, period: Period, as_of: date):
    """Each coach of the sector whose contract overlaps the period, or who coached in the
    sector in it: name, last log date (any log that left draft, up to ``as_of``) and
    counted hours in the period. One statement; the last log date read for the coaches
    shown only (scbi.transfer.queries.last_log_date)."""
    last_log = last_log_date(Coach.id, up_to=as_of)
    minutes = (
        select(Pairing.coach_id, func.sum(TransferLog.minutes).label("minutes"))
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .where(_counted_logs([sector_id], period))
        .group_by(Pairing.coach_id)
        .subquery()
    )
    return db.session.execute(
        select(Coach.id, User.full_name, last_log, func.coalesce(minutes.c.minutes, 0))
        .join(User, User.id == Coach.user_id)
        .outerjoin(minutes, minutes.c.coach_id == Coach.id)
        .where(
            or_(
                and_(Coach.sector_id == sector_id, contract_overlaps(period)),
                minutes.c.minutes.is_not(None),
            )
        )
        .order_by(User.full_name, Coach.id)
    ).all()


def plan_items(sector_ids, period: Period, as_of: date):
    """The items of the plan in force on ``as_of`` (the latest approved on or before that
    day, superseded since or not) of each of the sectors' pairings active in the period,
    each with the mentee's current level on it that day (scbi.competencies.level_changes),
    the mentee's gender and institution, and the plan's id (the report reads one sector's;
    the list of plan items behind a figure, scbi.reports.plan_item_list, several). Rows
    read by name: ``item_id, mentee_id, competency_id, competency, baseline, target,
    target_date, mentee, current, gender, institution_id, plan_id``."""
    in_force = _plans_in_force(as_of, _sector_pairings(sector_ids))
    current = level_on(Pairing.mentee_id, PlanItem.competency_id, as_of)
    return db.session.execute(
        select(
            PlanItem.id.label("item_id"),
            Pairing.mentee_id,
            PlanItem.competency_id,
            Competency.short_name.label("competency"),
            PlanItem.baseline_level.label("baseline"),
            PlanItem.target_level.label("target"),
            PlanItem.target_date,
            User.full_name.label("mentee"),
            func.coalesce(current, 0).label("current"),
            Mentee.gender,
            Mentee.institution_id,
            TransferPlan.id.label("plan_id"),
        )
        .join(TransferPlan, TransferPlan.id == PlanItem.plan_id)
        .join(Pairing, Pairing.id == TransferPlan.pairing_id)
        .join(Competency, Competency.id == PlanItem.competency_id)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .join(User, User.id == Mentee.user_id)
        .where(
            Pairing.sector_id.in_(sector_ids),
            TransferPlan.id.in_(in_force),
            pairing_overlaps(period),
        )
        .order_by(
            Competency.sort_order, Competency.short_name, PlanItem.target_date, User.full_name
        )
    ).all()


def plan_levels(sector_ids, period: Period, as_of: date):
    """``(gender, institution_id, baseline_level, current_level)`` of the items
    :func:`plan_items` reads (the mentee's gender and institution), for many sectors in one
    statement: the programme overview's competency gains."""
    return db.session.execute(
        select(
            Mentee.gender,
            Mentee.institution_id,
            PlanItem.baseline_level,
            func.coalesce(level_on(Pairing.mentee_id, PlanItem.competency_id, as_of), 0),
        )
        .join(TransferPlan, TransferPlan.id == PlanItem.plan_id)
        .join(Pairing, Pairing.id == TransferPlan.pairing_id)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .where(
            Pairing.sector_id.in_(sector_ids),
            TransferPlan.id.in_(_plans_in_force(as_of, _sector_pairings(sector_ids))),
            pairing_overlaps(period),
        )
    ).all()


def _sector_pairings(sector_ids) -> Select:
    return select(Pairing.id).where(Pairing.sector_id.in_(sector_ids))


def _plans_in_force(as_of: date, pairing_ids=None):
    """The ids of the plan in force on ``as_of`` of each pairing (of ``pairing_ids``, a
    select, when given): the latest approved by then, superseded since or not."""
    ranked = select(
        TransferPlan.id,
        func.row_number()
        .over(
            partition_by=TransferPlan.pairing_id,
            order_by=(TransferPlan.decided_at.desc(), TransferPlan.id.desc()),
        )
        .label("rank"),
    ).where(approved_by(as_of))
    if pairing_ids is not None:
        ranked = ranked.where(TransferPlan.pairing_id.in_(pairing_ids))
    ranked = ranked.subquery()
    return select(ranked.c.id).where(ranked.c.rank == 1)


def institution_minutes(sector_ids, period: Period):
    """``(institution_id, acronym, name, gender, mentee_role, minutes)``: each institution
    of the sectors, of their mentees, or with counted hours in their pairings, with the
    counted minutes of its mentees' logs by the mentee's gender and part (one row per
    gender and part; gender, part and minutes NULL for an institution without hours). One
    statement, the logs read once: the institutions' hours and the hours by gender and by
    institution (scbi.reports.disaggregation) all add these rows up."""
    minutes = (
        select(
            Mentee.institution_id,
            Mentee.gender,
            TransferLog.mentee_role,
            func.sum(TransferLog.minutes).label("minutes"),
        )
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .where(_counted_logs(sector_ids, period))
        .group_by(Mentee.institution_id, Mentee.gender, TransferLog.mentee_role)
        .subquery()
    )
    theirs = select(Mentee.institution_id).where(Mentee.sector_id.in_(sector_ids))
    return db.session.execute(
        select(
            Institution.id,
            Institution.acronym,
            Institution.name,
            minutes.c.gender,
            minutes.c.mentee_role,
            minutes.c.minutes,
        )
        .outerjoin(minutes, minutes.c.institution_id == Institution.id)
        .where(
            or_(
                Institution.sector_id.in_(sector_ids),
                Institution.id.in_(theirs),
                minutes.c.institution_id.is_not(None),
            )
        )
        .order_by(Institution.acronym, Institution.id)
    ).all()


def cascade():
    """Former mentees now coaching: one row per person holding both profiles, with the
    codes of the sector they were mentored in and the one they coach in."""
    mentored, coaching = aliased(Sector), aliased(Sector)
    return db.session.execute(
        select(
            User.full_name,
            mentored.code,
            Mentee.status,
            Mentee.status_changed_on,
            coaching.code,
            Coach.contract_start,
        )
        .join(Mentee, Mentee.user_id == User.id)
        .join(Coach, Coach.user_id == User.id)
        .join(mentored, mentored.id == Mentee.sector_id)
        .join(coaching, coaching.id == Coach.sector_id)
        .order_by(Coach.contract_start, User.full_name)
    ).all()
