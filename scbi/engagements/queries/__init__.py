"""The read side of short engagements: who sees which (the scope and the scoped loader),
the list and its filters, the home queues' counts, the forms' choices, a record's
check-ins and close-out (the rows the reports fold into a statement they already send:
:mod:`scbi.engagements.queries.reports`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, false, func, or_, select
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.coaches import queries as coach_queries
from scbi.coaches.models import Coach, CoachStatus
from scbi.dates import today
from scbi.engagements.models import (
    OPEN_STATUSES,
    Engagement,
    EngagementCheckIn,
    EngagementMember,
    EngagementObjective,
    EngagementStatus,
)
from scbi.engagements.queries import filters
from scbi.extensions import db
from scbi.loaders import count_where, load_or_404, tallies
from scbi.mentees.models import Mentee, MenteeStatus

# --- who sees which ------------------------------------------------------------------------


def scope_engagements(query: Select, user: User) -> Select:
    """Engagements ``user`` may read (scbi.engagements.permissions.can_read, in SQL): all,
    their sectors', the one they were brokered for, the ones whose team they are in."""
    ids = managed_sector_ids(user)
    if ids is None:
        return query
    conditions = [Engagement.sector_id.in_(ids)] if ids else []
    if user.has_role(Role.COACH):
        mine = select(Coach.id).where(Coach.user_id == user.id)
        conditions.append(Engagement.coach_id.in_(mine))
    if user.has_role(Role.MENTEE):
        mine = (
            select(EngagementMember.engagement_id)
            .join(Mentee, Mentee.id == EngagementMember.mentee_id)
            .where(Mentee.user_id == user.id)
        )
        conditions.append(Engagement.id.in_(mine))
    return query.where(or_(*conditions) if conditions else false())


def engagement_or_404(user: User, engagement_id: int) -> Engagement:
    """The engagement, if ``user`` may read it; otherwise a 404 naming it (audited)."""
    return load_or_404(Engagement, engagement_id, scope=lambda q: scope_engagements(q, user))


# --- the list ------------------------------------------------------------------------------

OPEN = "open"  # the list's default: requested, brokered or active
DUE = "due"  # active, its end date passed: the close-out is due
ALL = "all"
STATUS_FILTERS = (OPEN, DUE, *(s.value for s in EngagementStatus), ALL)
FILTERS = ("institution_id", "coach_id")  # ?<name>=<id> (sector_id: filters.py)


def list_status(args) -> str:
    """The status the page asked for: ``open`` (the default), ``due``, a state, or
    ``all`` (anything else reads as the default)."""
    value = args.get("status") or OPEN
    return value if value in STATUS_FILTERS else OPEN


def close_out_due(day: date | None = None):
    """Active, and the span's last day has passed: the close-out is due."""
    return (Engagement.status == EngagementStatus.ACTIVE) & (Engagement.end_date < (day or today()))


def _by_status(query: Select, status: str) -> Select:
    if status == OPEN:
        return query.where(Engagement.status.in_(OPEN_STATUSES))
    if status == DUE:
        return query.where(close_out_due())
    if status == ALL:
        return query
    return query.where(Engagement.status == status)


def engagement_list(user: User, args: Mapping) -> Select:
    """The engagements ``user`` may read, filtered by ``status`` (:data:`STATUS_FILTERS`),
    sector, institution and coach, the latest request first, and by a report's figure
    filters (scbi.engagements.queries.filters: refused, 422, when bad). The page, the API
    and the command line read it alike (their arguments are the same names)."""
    query = filters.narrowed(
        scope_engagements(select(Engagement), user), filters.figure_filters(args)
    )
    for name in FILTERS:
        value = args.get(name)
        if isinstance(value, str):
            value = int(value) if value.isdecimal() and len(value) <= 10 else None
        if value:
            query = query.where(getattr(Engagement, name) == value)
    query = _by_status(query, list_status(args))
    return query.order_by(Engagement.received_on.desc(), Engagement.id.desc())


# --- the home queues -----------------------------------------------------------------------


def queue_counts(user: User) -> tuple[tuple[int, int | None], tuple[int, int | None]]:
    """For the engagements ``user`` may read: the requests waiting for a broker and the
    close-outs due, each as (count, the id when there is one), in one statement."""
    visible = scope_engagements(select(Engagement.id), user)
    waiting = visible.where(Engagement.status == EngagementStatus.REQUESTED)
    due = visible.where(close_out_due())
    return tuple(tallies(waiting, due))


def engagements_of_institution(institution_id: int) -> int:
    return count_where(Engagement, Engagement.institution_id == institution_id)


# --- the forms' choices --------------------------------------------------------------------


def coach_choices(user: User, keep: int | None = None) -> list[SelectChoice]:
    """Active coaches ``user`` may broker (their sectors'; all for the secretariat), by
    name, with their sector and organisation; and ``keep``, the one brokered now."""
    query = (
        coach_queries.scope_coaches(select(Coach, User.full_name), user)
        .join(User, User.id == Coach.user_id)
        .where(or_(Coach.status == CoachStatus.ACTIVE, Coach.id == keep))
        .order_by(User.full_name)
    )
    return [SelectChoice("", _("Choose a coach"))] + [
        SelectChoice(c.id, f"{name} — {c.sector.code}, {c.organisation}")
        for c, name in db.session.execute(query)
    ]


def mentee_choices(institution_id: int, keep: set[int]) -> list[SelectChoice]:
    """The institution's active mentees (and those of ``keep``, already in the team)."""
    query = (
        select(Mentee.id, User.full_name, Mentee.position)
        .join(User, User.id == Mentee.user_id)
        .where(
            or_(
                (Mentee.institution_id == institution_id) & (Mentee.status == MenteeStatus.ACTIVE),
                Mentee.id.in_(keep),
            )
        )
        .order_by(User.full_name)
    )
    return [SelectChoice("", _("Not a mentee of the programme"))] + [
        SelectChoice(i, f"{name} — {position}") for i, name, position in db.session.execute(query)
    ]


# --- one engagement ------------------------------------------------------------------------


def team_rows(engagement: Engagement) -> list[dict]:
    """The counterpart team as ``{name, position, mentee_id}`` rows, in order: what the
    team form shows, the API answers and the audit records (no query: loaded with it)."""
    return [
        {"name": m.name, "position": m.position, "mentee_id": m.mentee_id}
        for m in engagement.members
    ]


def check_ins_of(engagement_id: int) -> list[EngagementCheckIn]:
    """The engagement's check-ins, the latest first (with who recorded each, and their
    words on the objectives)."""
    return list(
        db.session.scalars(
            select(EngagementCheckIn)
            .where(EngagementCheckIn.engagement_id == engagement_id)
            .order_by(EngagementCheckIn.held_on.desc(), EngagementCheckIn.id.desc())
        )
    )


@dataclass(frozen=True)
class CloseOut:
    """What a closed engagement left: each objective with its outcome, what the team can
    now do on its own, and whether a longer pairing should follow (the lessons register
    and the reports read it as the detail page and the API show it)."""

    closed_on: date
    objectives: list[EngagementObjective]
    team_can_now: str
    longer_pairing: bool
    longer_pairing_note: str

    def count(self, outcome) -> int:
        return sum(1 for o in self.objectives if o.outcome == outcome)


def close_out(engagement: Engagement) -> CloseOut | None:
    """The close-out of ``engagement``, or None until it is closed (no query: the
    objectives are loaded with it)."""
    if engagement.status != EngagementStatus.CLOSED:
        return None
    return CloseOut(
        closed_on=engagement.ended_on,
        objectives=list(engagement.objectives),
        team_can_now=engagement.team_can_now,
        longer_pairing=bool(engagement.longer_pairing),
        longer_pairing_note=engagement.longer_pairing_note,
    )


def last_check_in_day(engagement_id: int) -> date | None:
    return db.session.scalar(
        select(func.max(EngagementCheckIn.held_on)).where(
            EngagementCheckIn.engagement_id == engagement_id
        )
    )
