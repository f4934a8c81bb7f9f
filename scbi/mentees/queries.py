"""The read side of mentees: who sees which mentee, the scoped loader, the mentee list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, false, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.extensions import db
from scbi.filters import day, period_words, whole_numbers
from scbi.hooks import Hook
from scbi.loaders import count_by, count_where, load_or_404
from scbi.mentees.models import Gender, Mentee, MenteeStatus, MenteeStatusChange
from scbi.programme.queries.choices import several_sectors

visibility = Hook(
    "mentees.visibility",
    "SQL conditions on Mentee under which ``user`` also sees a mentee, beyond the mentees "
    "of the sectors they manage and their own profile (a list, maybe empty; OR-ed).",
)


def scope_mentees(query: Select, user: User) -> Select:
    """Mentees ``user`` may see: their sectors', themself, or what a feature above adds
    (a coach's coachees, of any pairing)."""
    ids = managed_sector_ids(user)
    if ids is None:
        return query
    conditions = [Mentee.sector_id.in_(ids)] if ids else []
    if user.has_role(Role.MENTEE):
        conditions.append(Mentee.user_id == user.id)
    conditions += [c for answer in visibility.ask(user) for c in answer]
    return query.where(or_(*conditions) if conditions else false())


def mentee_or_404(user: User, mentee_id: int, *, options=()) -> Mentee:
    return load_or_404(Mentee, mentee_id, scope=lambda q: scope_mentees(q, user), options=options)


@dataclass(frozen=True)
class ListFilter:
    """A filter of the mentee list that a feature above adds (``?<name>=1``)."""

    name: str
    label: str  # what the list says while the filter is on
    condition: Any  # an SQL condition on Mentee


list_filters = Hook(
    "mentees.list_filters",
    "Filters of the mentee list that features above add: a list of ListFilter.",
)


def mentee_list(
    user: User, args, *, default_status: str = MenteeStatus.ACTIVE
) -> tuple[Select, list[ListFilter]]:
    """The mentees ``user`` may see, filtered by the list page's (or the API's) arguments:
    ``q`` (name, e-mail, staff number, position), sector, institution, cohort, ``status``
    (``default_status`` when not given; all when ``all``), and the filters that features
    above add; and those a report's figure opens it with: several ``sector_id``, ``gender``,
    ``active_from`` / ``active_to`` (:func:`active_between`). Returns the query,
    ordered by name, and the added filters that are on."""
    query = (
        scope_mentees(select(Mentee), user)
        .join(User, User.id == Mentee.user_id)
        .options(joinedload(Mentee.sector), joinedload(Mentee.phase))  # the list shows them
    )
    if q := (args.get("q") or "").strip():
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                User.full_name.ilike(like),
                User.email.like(like),
                Mentee.staff_number.ilike(like),
                Mentee.position.ilike(like),
            )
        )
    if sectors := whole_numbers(args, "sector_id"):  # several, from a report's figure
        query = query.where(Mentee.sector_id.in_(sectors))
    for name, column in (
        ("institution_id", Mentee.institution_id),
        ("phase_id", Mentee.phase_id),
    ):
        if value := args.get(name, type=int):
            query = query.where(column == value)
    if (gender := args.get("gender")) in Gender._value2member_map_:
        query = query.where(Mentee.gender == gender)
    start, end = day(args, "active_from"), day(args, "active_to")
    if start or end:
        query = query.where(active_between(start, end))
    active = [f for answer in list_filters.ask() for f in answer if args.get(f.name)]
    for added in active:
        query = query.where(added.condition)
    status = list_status(args, default_status)
    if status != "all":
        query = query.where(Mentee.status == status)
    return query.order_by(User.full_name, Mentee.id), active


def active_between(start: date | None, end: date | None):
    """Mentees whose dated status was ``active`` at some time from ``start`` to ``end``
    (either may be open): active by their latest status on ``start``, or made active after
    it and by ``end`` — the rule the reports count active mentees by
    (scbi.reports.headline.active_mentees)."""
    change, later = aliased(MenteeStatusChange), aliased(MenteeStatusChange)
    made_active = [change.status == MenteeStatus.ACTIVE]
    if end:
        made_active.append(change.status_on <= end)
    if start:
        superseded = exists().where(
            later.mentee_id == change.mentee_id,
            later.status_on <= start,
            or_(
                later.status_on > change.status_on,
                and_(later.status_on == change.status_on, later.id > change.id),
            ),
        )
        made_active.append(or_(change.status_on > start, ~superseded))
    return Mentee.id.in_(select(change.mentee_id).where(*made_active))


def list_filter_words(args) -> list[tuple[tuple[str, ...], str]]:
    """The filters a report's figure opens the list with that its form does not show
    (several sectors, a period, a gender), in words, for the list's chips."""
    out = several_sectors(whole_numbers(args, "sector_id"))
    start, end = day(args, "active_from"), day(args, "active_to")
    if start or end:
        out.append((("active_from", "active_to"), period_words(start, end)))
    if (gender := args.get("gender")) in Gender._value2member_map_:
        out.append((("gender",), _("Gender: %(value)s", value=Gender(gender).label)))
    return out


def list_status(args, default: str = MenteeStatus.ACTIVE) -> str:
    """The status a list shows: one of MenteeStatus, or ``all``."""
    status = args.get("status") or default
    return status if status in MenteeStatus._value2member_map_ else "all"


def mentee_page(user: User, mentee_id: int) -> Mentee:
    """The mentee, with their status history, for their page."""
    return mentee_or_404(user, mentee_id, options=[selectinload(Mentee.history)])


def active_mentees_per_sector() -> dict[int, int]:
    return count_by(Mentee.sector_id, Mentee.status == MenteeStatus.ACTIVE)


def active_mentees_of_institution(institution_id: int) -> int:
    return count_where(
        Mentee, Mentee.institution_id == institution_id, Mentee.status == MenteeStatus.ACTIVE
    )


def mentee_id_of(user: User) -> int | None:
    """The id of the mentee profile ``user`` holds, if any."""
    return db.session.scalar(select(Mentee.id).where(Mentee.user_id == user.id))
