"""The read side of pairings: the list and its filters, the pairing form's choices, the
pairings on a person's page and home page, and their figures (aggregated in SQL: one query
whatever the number of pairings)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, or_, select
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import User
from scbi.coaches import queries as coach_queries
from scbi.coaches.models import Coach, CoachStatus
from scbi.errors import NotFound
from scbi.extensions import db
from scbi.filters import day, period_words, whole_numbers
from scbi.loaders import count_by
from scbi.mentees import queries as mentee_queries
from scbi.mentees.models import LEFT_STATUSES, Mentee, MenteeStatus
from scbi.pagination import load_in_order
from scbi.programme.queries.choices import several_sectors
from scbi.transfer.models import (
    COUNTED_LOG_STATUSES,
    OPEN_STATUSES,
    LogStatus,
    Pairing,
    PairingStatus,
    PlanStatus,
    TransferLog,
    TransferPlan,
)
from scbi.transfer.queries.scope import scope_pairings

FILTERS = ("sector_id", "coach_id", "mentee_id", "phase_id")  # ?<name>=<id> on both lists
OPEN = "open"  # the list's default: active or paused


# --- the list ------------------------------------------------------------------------------


def pairing_list_status(args) -> str:
    """The status the page asked for: ``open`` (the default), a PairingStatus, or anything
    else, which shows every pairing (``all``)."""
    return args.get("status", OPEN)


def pairing_list(user: User, args) -> Select:
    """The pairings ``user`` may see, filtered by the list page's arguments (sector, coach,
    mentee, phase, ``status``), newest first; and those a report's figure opens it with:
    several ``sector_id``, ``active_from`` / ``active_to`` (the pairing's dates overlap
    them, as the reports count active pairings)."""
    query = scope_pairings(select(Pairing), user)
    if sectors := whole_numbers(args, "sector_id"):
        query = query.where(Pairing.sector_id.in_(sectors))
    for name in FILTERS[1:]:
        if value := args.get(name, type=int):
            query = query.where(getattr(Pairing, name) == value)
    if start := day(args, "active_from"):
        query = query.where(or_(Pairing.end_date.is_(None), Pairing.end_date >= start))
    if end := day(args, "active_to"):
        query = query.where(Pairing.start_date <= end)
    status = pairing_list_status(args)
    if status == OPEN:
        query = query.where(Pairing.status.in_(OPEN_STATUSES))
    elif status in {s.value for s in PairingStatus}:
        query = query.where(Pairing.status == status)
    return query.order_by(Pairing.start_date.desc(), Pairing.id.desc())


def pairing_list_words(args) -> list[tuple[tuple[str, ...], str]]:
    """The filters a report's figure opens the list with that its form does not show
    (several sectors, a period), in words, for the list's chips."""
    out = several_sectors(whole_numbers(args, "sector_id"))
    start, end = day(args, "active_from"), day(args, "active_to")
    if start or end:
        out.append((("active_from", "active_to"), period_words(start, end)))
    return out


def api_pairing_list(user: User, values: Mapping) -> Select:
    """The pairings ``user`` may see, narrowed by the API's checked query ``values`` (each
    id given, and ``status`` exactly as sent), in id order."""
    query = scope_pairings(select(Pairing), user).order_by(Pairing.id)
    for name in FILTERS:
        if (value := values.get(name)) is not None:
            query = query.where(getattr(Pairing, name) == value)
    if status := values.get("status"):
        query = query.where(Pairing.status == status)
    return query


# --- the pairing form ----------------------------------------------------------------------


def coach_choices(user: User) -> list[SelectChoice]:
    """Active coaches ``user`` may see, by name, with their load in the label."""
    coaches = db.session.execute(
        coach_queries.scope_coaches(select(Coach, User.full_name), user)
        .join(User, User.id == Coach.user_id)
        .where(Coach.status == CoachStatus.ACTIVE)
        .order_by(User.full_name)
    ).all()
    load = active_pairing_counts([c.id for c, _n in coaches])
    return [SelectChoice("", _("Choose a coach"))] + [
        SelectChoice(
            c.id,
            _(
                "%(name)s — %(sector)s, %(n)d of %(max)d mentees",
                name=n,
                sector=c.sector.code,
                n=load.get(c.id, 0),
                max=c.max_mentees,
            ),
            # the pairing form sets the sector the coach and the mentee share (formguide.js)
            render_kw={"data-sector": c.sector_id},
        )
        for c, n in coaches
    ]


def mentee_choices(user: User) -> list[SelectChoice]:
    """Active mentees ``user`` may see, by name, with their institution and sector."""
    mentees = db.session.execute(
        mentee_queries.scope_mentees(select(Mentee, User.full_name), user)
        .join(User, User.id == Mentee.user_id)
        .where(Mentee.status == MenteeStatus.ACTIVE)
        .order_by(User.full_name)
    ).all()
    return [SelectChoice("", _("Choose a mentee"))] + [
        SelectChoice(
            m.id,
            f"{n} — {m.institution.acronym} ({m.sector.code})",
            render_kw={"data-sector": m.sector_id},
        )
        for m, n in mentees
    ]


def mentee_defaults(user: User, mentee_id: int) -> dict:
    """What a new pairing of this mentee starts from (their sector and cohort); nothing
    for a mentee ``user`` may not see, as for a missing one."""
    try:
        mentee = mentee_queries.mentee_or_404(user, mentee_id)
    except NotFound:
        return {}
    return {"sector_id": mentee.sector_id, "phase_id": mentee.phase_id}


# --- pairings on other pages ---------------------------------------------------------------


def pairings_of(user: User, *, coach: Coach | None = None, mentee: Mentee | None = None):
    """The pairings of a coach or a mentee that ``user`` may see, open ones first."""
    query = select(Pairing)
    if coach is not None:
        query = query.where(Pairing.coach_id == coach.id)
    if mentee is not None:
        query = query.where(Pairing.mentee_id == mentee.id)
    return db.session.scalars(
        scope_pairings(query, user).order_by(Pairing.status, Pairing.start_date.desc())
    ).all()


def own_open_pairings(user: User) -> list[Pairing]:
    """The open pairings ``user`` is in, as coach or as mentee, oldest first (home page).

    Their ids first, then the pairings by id: PostgreSQL joins what a pairing loads with
    it (coach, mentee, their accounts and institutions) row by row for a few known ids,
    where a condition on coach or mentee had it read whole tables (9 ms to 1 at 1M logs).
    """
    ids = db.session.scalars(
        select(Pairing.id)
        .where(Pairing.status.in_(OPEN_STATUSES))
        .where(
            or_(
                Pairing.coach_id.in_(select(Coach.id).where(Coach.user_id == user.id)),
                Pairing.mentee_id.in_(select(Mentee.id).where(Mentee.user_id == user.id)),
            )
        )
        .order_by(Pairing.start_date, Pairing.id)
    ).all()
    return load_in_order(Pairing, ids, ()) if ids else []


# --- figures -------------------------------------------------------------------------------


def active_pairing_counts(coach_ids: list[int]) -> dict[int, int]:
    """Active pairings per coach, for the given coaches."""
    if not coach_ids:
        return {}
    return count_by(
        Pairing.coach_id, Pairing.coach_id.in_(coach_ids), Pairing.status == PairingStatus.ACTIVE
    )


def pairing_progress(pairing_ids: list[int]) -> dict[int, dict]:
    """Per pairing: the plan's state, hours acknowledged, logs waiting, last activity.

    Two grouped queries whatever the number of pairings.
    """
    if not pairing_ids:
        return {}
    result = {i: {"plan": None, "hours": 0.0, "waiting": 0, "last": None} for i in pairing_ids}
    for pairing_id, status in db.session.execute(
        select(TransferPlan.pairing_id, TransferPlan.status)
        .where(
            TransferPlan.pairing_id.in_(pairing_ids),
            TransferPlan.status != PlanStatus.SUPERSEDED,
        )
        .order_by(TransferPlan.number)
    ):
        result[pairing_id]["plan"] = status  # the newest plan's state wins
    counted = TransferLog.status.in_(COUNTED_LOG_STATUSES)
    for pairing_id, minutes, waiting, last in db.session.execute(
        select(
            TransferLog.pairing_id,
            func.sum(case((counted, TransferLog.minutes), else_=0)),
            func.sum(case((TransferLog.status == LogStatus.SUBMITTED, 1), else_=0)),
            func.max(TransferLog.activity_date),
        )
        .where(TransferLog.pairing_id.in_(pairing_ids), TransferLog.status != LogStatus.DRAFT)
        .group_by(TransferLog.pairing_id)
    ):
        result[pairing_id].update(hours=(minutes or 0) / 60, waiting=waiting or 0, last=last)
    return result


def counted_logs(pairing_id: int) -> tuple[int, float]:
    """The pairing's logs that count (acknowledged or verified) and their hours."""
    n, minutes = db.session.execute(
        select(func.count(), func.coalesce(func.sum(TransferLog.minutes), 0)).where(
            TransferLog.pairing_id == pairing_id,
            TransferLog.status.in_(COUNTED_LOG_STATUSES),
        )
    ).one()
    return n, minutes / 60


def active_pairings_per_sector() -> dict[int, int]:
    return count_by(Pairing.sector_id, Pairing.status == PairingStatus.ACTIVE)


# --- answers to the hooks of the features below --------------------------------------------


@coach_queries.active_mentees.answer
def _active_mentees(coach_ids: list[int]) -> dict[int, int]:
    return active_pairing_counts(coach_ids)


@mentee_queries.list_filters.answer
def _unpaired() -> list:
    return [
        mentee_queries.ListFilter(
            "unpaired",
            _l("Only mentees without a coach"),
            Mentee.id.not_in(select(Pairing.mentee_id).where(Pairing.status.in_(OPEN_STATUSES))),
        )
    ]


def session_partners(user: User, pairing: Pairing) -> list[SelectChoice]:
    """The coach's other active pairings whose mentee is still in the programme: who else
    a group session's quick log can be for (their mentees' names)."""
    mine = select(Coach.id).where(Coach.user_id == user.id)
    others = db.session.execute(  # the ids and names only, not the pairings' objects
        select(Pairing.id, User.full_name)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .join(User, User.id == Mentee.user_id)
        .where(
            Pairing.coach_id.in_(mine),
            Pairing.status == PairingStatus.ACTIVE,
            Pairing.id != pairing.id,
            Mentee.status.not_in(LEFT_STATUSES),
        )
        .order_by(Pairing.id)
    )
    return [SelectChoice(pairing_id, name) for pairing_id, name in others]
