"""The read side of coaches: who sees which coach, the scoped loader, the coach list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import joinedload

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.coaches.models import Coach, CoachStatus
from scbi.dates import today
from scbi.extensions import db
from scbi.filters import day, period_words, whole_numbers
from scbi.hooks import Hook
from scbi.loaders import count_by, count_where, load_or_404
from scbi.programme.queries.choices import several_sectors

visibility = Hook(
    "coaches.visibility",
    "SQL conditions on Coach under which ``user`` also sees a coach, beyond the coaches of "
    "the sectors they manage and their own profile (a list, maybe empty; OR-ed).",
)


def scope_coaches(query: Select, user: User) -> Select:
    """Coaches ``user`` may see: their sectors', themself, or what a feature above adds
    (the coaches of a mentee's pairings)."""
    ids = managed_sector_ids(user)
    if ids is None:
        return query
    conditions = [Coach.sector_id.in_(ids)] if ids else []
    if user.has_role(Role.COACH):
        conditions.append(Coach.user_id == user.id)
    conditions += [c for answer in visibility.ask(user) for c in answer]
    return query.where(or_(*conditions) if conditions else false())


def coach_or_404(user: User, coach_id: int) -> Coach:
    return load_or_404(Coach, coach_id, scope=lambda q: scope_coaches(q, user))


active_mentees = Hook(
    "coaches.active_mentees",
    "(coach ids) -> {coach id: the mentees each coaches now}: the active pairings.",
    required=True,  # the capacity rule of update_coach counts on it
)


def active_mentee_counts(coach_ids: list[int]) -> dict[int, int]:
    """The mentees each coach coaches now (what features above answer; 0 if none)."""
    counts: dict[int, int] = {}
    for answer in active_mentees.ask(list(coach_ids)):
        for ident, n in answer.items():
            counts[ident] = counts.get(ident, 0) + n
    return counts


activity = Hook(
    "coaches.activity",
    "(coach query) -> rows (Coach, last activity logged, hours acknowledged in the last 30 "
    "days, active pairings, silent) of its active coaches, for the follow-up page.",
)


def coach_list(user: User, args, *, default_status: str = CoachStatus.ACTIVE) -> Select:
    """The coaches ``user`` may see, filtered by the list's arguments (the page's or the
    API's): ``q`` (name, e-mail, expertise), sector, host institution, ``ending``
    (contract ending within 60 days), ``status`` (``default_status`` when not given; all
    when ``all``); and those a report's figure opens it with: several ``sector_id``, and
    ``active_from`` / ``active_to`` (the contract overlaps them); ordered by name."""
    query = (
        scope_coaches(select(Coach), user)
        .join(User, User.id == Coach.user_id)
        .options(joinedload(Coach.sector))  # the list shows it
    )
    if q := (args.get("q") or "").strip():
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                User.full_name.ilike(like),
                User.email.like(like),
                Coach.technical_expertise.ilike(like),
            )
        )
    if sectors := whole_numbers(args, "sector_id"):  # several, from a report's figure
        query = query.where(Coach.sector_id.in_(sectors))
    if institution_id := args.get("institution_id", type=int):
        query = query.where(Coach.host_institution_id == institution_id)
    if args.get("ending"):
        query = query.where(Coach.contract_end <= today() + timedelta(days=ENDING_DAYS))
    if start := day(args, "active_from"):  # the contract overlaps the period (the reports')
        query = query.where(Coach.contract_end >= start)
    if end := day(args, "active_to"):
        query = query.where(Coach.contract_start <= end)
    status = list_status(args, default_status)
    if status != "all":
        query = query.where(Coach.status == status)
    return query.order_by(User.full_name, Coach.id)


ENDING_DAYS = 60


def list_filter_words(args) -> list[tuple[tuple[str, ...], str]]:
    """The filters a report's figure opens the list with that its form does not show
    (several sectors, a period the contract overlaps), in words, for the list's chips."""
    out = several_sectors(whole_numbers(args, "sector_id"))
    start, end = day(args, "active_from"), day(args, "active_to")
    if start or end:
        out.append((("active_from", "active_to"), period_words(start, end)))
    return out


def list_status(args, default: str = CoachStatus.ACTIVE) -> str:
    """The status a list shows: one of CoachStatus, or ``all``."""
    status = args.get("status") or default
    return status if status in CoachStatus._value2member_map_ else "all"


def follow_up(user: User, *, silent_only: bool) -> list[tuple]:
    """The follow-up rows of the active coaches ``user`` may see (silent ones only, if
    asked): see :data:`activity`."""
    query = scope_coaches(select(Coach), user)
    rows = [row for answer in activity.ask(query) for row in answer]
    return [row for row in rows if row[4]] if silent_only else rows


def active_coaches_per_sector() -> dict[int, int]:
    return count_by(Coach.sector_id, Coach.status == CoachStatus.ACTIVE)


def active_coaches_hosted(institution_id: int) -> int:
    return count_where(
        Coach, Coach.host_institution_id == institution_id, Coach.status == CoachStatus.ACTIVE
    )


def coach_id_of(user: User) -> int | None:
    """The id of the coach profile ``user`` holds, if any."""
    return db.session.scalar(select(Coach.id).where(Coach.user_id == user.id))
