"""The list of follow-ups (``/follow-ups``, ``/api/v1/follow-ups``; docs/retention.md) and
its filters — its own (``state``, ``sector_id``, ``months``), and those a report's
retention figure opens it with, so that the list holds exactly what the figure counts
(scbi.reports.retention; docs/reports.md "Figures you can open"):

- ``on``: the follow-ups as they stood on that day (default today): each mentee's exit date
  from their pairings and dated status then (:func:`~scbi.retention.queries.exits`), each
  follow-up's state then, and its answer only if given by then;
- without ``state``, the follow-ups that had fallen due by then (the report's ``due``,
  missed ones included); ``state``: one state on that day, or ``open`` (due or overdue);
- ``answered=1``: answered by then (``followed up``); ``retained=1``: the answer says still
  in the public service; ``cascade=1``: it says coaching or mentoring others;
- ``latest=1``: only each mentee's latest answer among their follow-ups fallen due (the
  report's ``cascade`` beside the milestones counts mentees by it: ``cascade=1&latest=1``);
- ``sector_id`` (repeat it for several), ``months``, ``gender``, ``institution_id``
  (repeat it for several): the mentee's, as recorded today, as the reports count them.

``state``, ``sector_id`` and ``months`` are read leniently (an unknown value is no filter,
as the list's own form sends them); a bad value of the others is refused (422, naming the
parameter). One COUNT and one page query, whatever the number of mentees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, or_, select

from scbi.auth.models import User
from scbi.dates import as_day, today
from scbi.errors import ValidationFailed
from scbi.filters import checked_choice, checked_day, kept, whole_numbers
from scbi.mentees.models import Gender, Mentee
from scbi.programme.models import Institution, Sector
from scbi.programme.queries.choices import several_sectors
from scbi.retention import milestones
from scbi.retention.models import MILESTONES, FollowUpState
from scbi.retention.queries import follow_up_rows, readable_by
from scbi.transfer.queries.log_filters import CHOSEN_WORDS, named_records, record_words

STATE_RANK = {
    FollowUpState.OVERDUE: 0,
    FollowUpState.DUE: 1,
    FollowUpState.ANSWERED: 2,
    FollowUpState.MISSED: 3,
    FollowUpState.UPCOMING: 4,
}
# The list's ``state`` filter: a state, "open" (due or overdue), or, when not given, every
# follow-up that has fallen due.
STATE_FILTERS = ("open", *(s.value for s in FollowUpState))
# The figures' yes-or-no filters (``name=1``), in words for the list's chips.
FLAGS = {
    "answered": _l("Followed up: answered"),
    "retained": _l("Retained: still in the public service"),
    "cascade": _l("Coaching or mentoring others"),
    "latest": _l("Each mentee’s latest answer only"),
}
# the filters the list's form has no field for: kept as hidden fields when it filters again
KEPT = ("on", *FLAGS, "gender", "institution_id")


@dataclass(frozen=True)
class ListFilters:
    on: date  # the day the follow-ups stand on
    dated: bool  # ``on`` was given
    state: str  # one of STATE_FILTERS, or "" (every follow-up fallen due)
    sector_ids: list[int]
    months: int | None
    answered: bool
    retained: bool
    cascade: bool
    latest: bool
    gender: str | None
    institution_ids: list[int]


def list_filters(args) -> ListFilters:
    """The list's filters in ``args``; raises ValidationFailed naming each bad one."""
    fields: dict[str, list[str]] = {}
    on = checked_day(args, "on", fields)
    flags = {}
    for name in FLAGS:
        flags[name] = checked_choice(args, name, ["1"], fields) == "1"
    gender = checked_choice(args, "gender", [g.value for g in Gender], fields)
    institutions = [v for v in args.getlist("institution_id") if v != ""]
    if any(not v.isdecimal() or len(v) > 10 for v in institutions):
        fields["institution_id"] = [_("Must be a whole number.")]
    if fields:
        raise ValidationFailed(fields=fields)
    state = args.get("state") or ""
    months = args.get("months", type=int)
    return ListFilters(
        on=on or today(),
        dated=on is not None,
        state=state if state in STATE_FILTERS else "",
        sector_ids=whole_numbers(args, "sector_id"),
        months=months if months in MILESTONES else None,
        gender=gender,
        institution_ids=[int(v) for v in institutions],
        **flags,
    )


def _fell_due(rows, day: date):
    """The follow-up had fallen due by ``day`` (its exit date, compared with the latest one
    whose follow-up is due by then: scbi.retention.milestones.latest_exit)."""
    return or_(
        *(
            and_(rows.c.months == m, rows.c.exit_on <= milestones.latest_exit(day, m))
            for m in MILESTONES
        )
    )


def _with_latest(rows, day: date):
    """``rows`` with ``latest_months``: the mentee's latest follow-up fallen due by ``day``
    and answered by then (NULL when none is)."""
    answered = and_(rows.c.follow_up_id.is_not(None), _fell_due(rows, day))
    latest = func.max(case((answered, rows.c.months))).over(partition_by=rows.c.mentee_id)
    return select(rows, latest.label("latest_months")).subquery("latest")


def follow_up_list(user: User, found: ListFilters) -> Select:
    """The follow-ups ``user`` may read, as they stood on ``found.on``, narrowed by
    ``found``: overdue first (longest overdue first), then due, answered (latest answer
    first) and missed. Rows carry the mentee's name, sector and institution."""
    rows = follow_up_rows(found.on)
    if found.latest:
        rows = _with_latest(rows, found.on)
    rank = case(*((rows.c.state == s.value, n) for s, n in STATE_RANK.items()), else_=9)
    query = (
        select(
            rows,
            User.full_name,
            Mentee.sector_id,
            Sector.code.label("sector_code"),
            Institution.acronym.label("institution"),
        )
        .join(Mentee, Mentee.id == rows.c.mentee_id)
        .join(User, User.id == Mentee.user_id)
        .join(Sector, Sector.id == Mentee.sector_id)
        .join(Institution, Institution.id == Mentee.institution_id)
    )
    if (visible := readable_by(user)) is not None:
        query = query.where(visible)
    if found.state == "open":
        query = query.where(rows.c.state.in_([s.value for s in milestones.OPEN]))
    elif found.state:
        query = query.where(rows.c.state == found.state)
    else:
        query = query.where(_fell_due(rows, found.on))
    if found.sector_ids:
        query = query.where(Mentee.sector_id.in_(found.sector_ids))
    if found.months:
        query = query.where(rows.c.months == found.months)
    if found.answered:
        query = query.where(rows.c.follow_up_id.is_not(None))
    if found.retained:
        query = query.where(rows.c.in_public_service.is_(True))
    if found.cascade:
        query = query.where(rows.c.coaching_others.is_(True))
    if found.latest:
        query = query.where(rows.c.months == rows.c.latest_months)
    if found.gender:
        query = query.where(Mentee.gender == found.gender)
    if found.institution_ids:
        query = query.where(Mentee.institution_id.in_(found.institution_ids))
    answered = rows.c.state == FollowUpState.ANSWERED.value
    return query.order_by(
        rank,
        case((answered, None), else_=rows.c.due_month),
        case((answered, None), else_=rows.c.due_day),
        rows.c.answered_on.desc(),
        User.full_name,
        rows.c.mentee_id,
        rows.c.months,
    )


def list_filter_words(found: ListFilters) -> list[tuple[tuple[str, ...], str]]:
    """The report's filters the list is narrowed by, in words, for its chips (those its
    form shows — one sector, the state, the months — it shows itself): one statement when
    several sectors are named, one when an institution is."""
    out = several_sectors(found.sector_ids)
    if found.dated:
        words = _(
            "As they stood on %(day)s: the exits, the states and the answers given by then",
            day=format_date(found.on),
        )
        out.append((("on",), words))
    out += [((name,), str(words)) for name, words in FLAGS.items() if getattr(found, name)]
    if found.gender is not None:
        out.append((("gender",), CHOSEN_WORDS["gender"](found.gender)))
    if found.institution_ids:
        named = named_records({"institution_id": found.institution_ids})
        out.append(record_words("institution_id", found.institution_ids, named))
    return out


def kept_filters(args) -> list[tuple[str, str]]:
    """The filters on that the list's form has no field for (scbi.filters.kept)."""
    return kept(args, KEPT)


@dataclass(frozen=True)
class ListedFollowUp:
    """A row of the list, as the page and the API show it."""

    mentee_id: int
    full_name: str
    sector_id: int
    sector_code: str
    institution: str
    months: int
    exit_on: date
    state: FollowUpState
    due_on: date
    answer_by: date
    days_overdue: int
    follow_up_id: int | None
    answered_on: date | None
    in_public_service: bool | None
    coaching_others: bool | None


def listed(row, on: date) -> ListedFollowUp:
    """A row of :func:`follow_up_list` with its dates worked out (scbi.retention.milestones)
    on the list's day ``on``."""
    exit_on, months = as_day(row.exit_on), row.months
    state = FollowUpState(row.state)
    return ListedFollowUp(
        mentee_id=row.mentee_id,
        full_name=row.full_name,
        sector_id=row.sector_id,
        sector_code=row.sector_code,
        institution=row.institution,
        months=months,
        exit_on=exit_on,
        state=state,
        due_on=milestones.due_on(exit_on, months),
        answer_by=milestones.answer_by(exit_on, months),
        days_overdue=(
            milestones.days_overdue(exit_on, months, on) if state == FollowUpState.OVERDUE else 0
        ),
        follow_up_id=row.follow_up_id,
        answered_on=as_day(row.answered_on),
        in_public_service=row.in_public_service,
        coaching_others=row.coaching_others,
    )
