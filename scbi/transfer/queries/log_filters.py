"""The filters of the managers' log list and of the API's (``/logs``, ``/api/v1/logs``):
those of API.md (``sector_id``, ``status``, ``coach_id``, ``mentee_id``, ``from``, ``to``)
and those a report's figure opens the list with (docs/reports.md "Figures you can open"),
so that the list holds exactly the logs the figure counts:

- ``sector_id`` (repeat it for several sectors), ``coach_id``, ``mentee_id``,
  ``pairing_id``: the log's pairing;
- ``from`` / ``to`` with ``dated_by``: the period, by the day of the activity (the
  default), of the log's first submission, of its acknowledgement, or of a dispute — the
  last three in the programme's time zone, as the reports count them;
- ``counted=1``: the logs the reports count hours of (acknowledged or verified);
- ``status``, ``activity_type``, ``mentee_role``; ``gender`` and ``institution_id``: the
  mentee's, as recorded today;
- ``priority_result_id`` (repeat it for several results): the logs that named the result
  they served (section 8 of the sector report opens the list with it).

A value that is not one of these is refused (422, naming the parameter). Each filter on is
also named in words (:func:`log_filter_words`), for the list's removable chips.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import Integer, String, and_, cast, exists, literal, select, union_all

from scbi.auth.models import User
from scbi.coaches.models import Coach
from scbi.dates import day_start
from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.filters import checked_choice, checked_day
from scbi.mentees.models import Gender, Mentee
from scbi.programme.models import Competency, Institution, PriorityResult, Sector
from scbi.transfer.models import (
    COUNTED_LOG_STATUSES,
    ActivityType,
    LogEvent,
    LogStatus,
    MenteeRole,
    Pairing,
    TransferLog,
)
from scbi.transfer.queries.scope import in_pairings, scope_pairings

DATED_BY = ("activity", "submitted", "acknowledged", "disputed")
# the pairing's people, each narrowing the list to their pairings (a few: they drive)
PEOPLE = (
    ("coach_id", Pairing.coach_id),
    ("mentee_id", Pairing.mentee_id),
    ("pairing_id", Pairing.id),
)
CHOSEN = {
    "status": LogStatus,
    "activity_type": ActivityType,
    "mentee_role": MenteeRole,
    "gender": Gender,
}


def _whole(args, name: str, fields) -> list[int]:
    values = [v for v in args.getlist(name) if v != ""]
    if any(not v.isdecimal() or len(v) > 10 for v in values):
        fields[name] = [_("Must be a whole number.")]
        return []
    return [int(v) for v in values]


def _dated(dated_by: str, start: date | None, end: date | None):
    """The condition of the period on the event ``dated_by`` names."""
    if dated_by == "activity":
        column = TransferLog.activity_date
        low, high = start, end
        return and_(
            *([column >= low] if low else []),
            *([column <= high] if high else []),
        )
    low = day_start(start) if start else None
    high = day_start(end + timedelta(days=1)) if end else None

    def within(column):
        return and_(
            column.is_not(None),
            *([column >= low] if low else []),
            *([column < high] if high else []),
        )

    if dated_by == "submitted":
        return within(TransferLog.first_submitted_at)
    if dated_by == "acknowledged":
        return within(TransferLog.acknowledged_at)
    return exists().where(
        LogEvent.log_id == TransferLog.id, LogEvent.action == "disputed", within(LogEvent.at)
    )


def log_conditions(args) -> list:
    """The SQL conditions on TransferLog of the list's filters in ``args``; raises
    ValidationFailed naming each bad parameter."""
    fields: dict[str, list[str]] = {}
    conditions = []
    if sectors := _whole(args, "sector_id", fields):
        pairings = select(Pairing.id).where(Pairing.sector_id.in_(sectors))
        conditions.append(in_pairings(TransferLog.pairing_id, pairings, sector_wide=True))
    for name, column in PEOPLE:
        if ids := _whole(args, name, fields):
            pairings = select(Pairing.id).where(column.in_(ids))
            conditions.append(in_pairings(TransferLog.pairing_id, pairings, sector_wide=False))
    chosen = {}
    for name, enum in CHOSEN.items():
        if raw := checked_choice(args, name, [m.value for m in enum], fields):
            chosen[name] = raw
    for name, column in (
        ("status", TransferLog.status),
        ("activity_type", TransferLog.activity_type),
        ("mentee_role", TransferLog.mentee_role),
    ):
        if name in chosen:
            conditions.append(column == chosen[name])
    if args.get("counted") and checked_choice(args, "counted", ["1"], fields):
        conditions.append(TransferLog.status.in_(COUNTED_LOG_STATUSES))
    mentees = select(Pairing.id).join(Mentee, Mentee.id == Pairing.mentee_id)
    if "gender" in chosen:
        pairings = mentees.where(Mentee.gender == chosen["gender"])
        conditions.append(in_pairings(TransferLog.pairing_id, pairings, sector_wide=True))
    if institutions := _whole(args, "institution_id", fields):
        pairings = mentees.where(Mentee.institution_id.in_(institutions))
        conditions.append(in_pairings(TransferLog.pairing_id, pairings, sector_wide=True))
    if results := _whole(args, "priority_result_id", fields):
        conditions.append(TransferLog.priority_result_id.in_(results))
    dated_by = checked_choice(args, "dated_by", DATED_BY, fields) or "activity"
    start, end = checked_day(args, "from", fields), checked_day(args, "to", fields)
    if fields:
        raise ValidationFailed(fields=fields)
    if start or end:
        conditions.append(_dated(dated_by, start, end))
    return conditions


def is_bounded(args) -> bool:
    """Whether the list is limited to a period (both ends given): it then shows the total
    hours of its logs."""
    return bool(args.get("from") and args.get("to"))


# --- the filters in words --------------------------------------------------------------


def _period_words(dated_by: str, start: str, end: str) -> str:
    what = {
        "submitted": _("First submitted"),
        "acknowledged": _("Acknowledged"),
        "disputed": _("Disputed"),
    }.get(dated_by, _("Activity dated"))
    first = format_date(date.fromisoformat(start)) if start else ""
    last = format_date(date.fromisoformat(end)) if end else ""
    if first and last:
        return _("%(what)s from %(start)s to %(end)s", what=what, start=first, end=last)
    if first:
        return _("%(what)s on or after %(start)s", what=what, start=first)
    return _("%(what)s on or before %(end)s", what=what, end=last)


def named_records(
    wanted: dict[str, list[int]], *, user: User | None = None
) -> dict[tuple[str, int], str]:
    """The names of the sectors, institutions (their acronyms), competencies, priority
    results (their titles), coaches and mentees a list is filtered by (``wanted``: ids by
    parameter name), in one statement: ``{(parameter, id): name}``. With ``user``, a coach
    or a mentee is named only when one of their pairings is in ``user``'s scope: a
    person's name is not read through a filter on their id."""
    parts = []

    def part(kind: str, ident, name, query):
        return query.with_only_columns(
            cast(literal(kind), String).label("kind"),
            cast(ident, Integer).label("id"),
            cast(name, String).label("name"),
        )

    if ids := wanted.get("sector_id"):
        parts.append(
            part("sector_id", Sector.id, Sector.name, select(Sector).where(Sector.id.in_(ids)))
        )
    if ids := wanted.get("institution_id"):
        query = select(Institution).where(Institution.id.in_(ids))
        parts.append(part("institution_id", Institution.id, Institution.acronym, query))
    if ids := wanted.get("competency_id"):
        query = select(Competency).where(Competency.id.in_(ids))
        parts.append(part("competency_id", Competency.id, Competency.short_name, query))
    if ids := wanted.get("priority_result_id"):
        query = select(PriorityResult).where(PriorityResult.id.in_(ids))
        parts.append(part("priority_result_id", PriorityResult.id, PriorityResult.title, query))
    if ids := wanted.get("coach_id"):
        query = select(Coach).join(User, User.id == Coach.user_id).where(Coach.id.in_(ids))
        if user is not None:
            query = query.where(Coach.id.in_(scope_pairings(select(Pairing.coach_id), user)))
        parts.append(part("coach_id", Coach.id, User.full_name, query))
    if ids := wanted.get("mentee_id"):
        query = select(Mentee).join(User, User.id == Mentee.user_id).where(Mentee.id.in_(ids))
        if user is not None:
            query = query.where(Mentee.id.in_(scope_pairings(select(Pairing.mentee_id), user)))
        parts.append(part("mentee_id", Mentee.id, User.full_name, query))
    if not parts:
        return {}
    rows = db.session.execute(union_all(*parts) if len(parts) > 1 else parts[0])
    return {(kind, ident): name for kind, ident, name in rows}


# A filter on records in words, given their names (", "-joined) and how many they are; the
# report's lists (scbi.reports) word theirs with the same sentences.
RECORD_WORDS = {
    "sector_id": lambda names, n: ngettext(
        "Sector: %(names)s", "Sectors: %(names)s", n, names=names
    ),
    "institution_id": lambda names, n: _("Mentee’s institution: %(names)s", names=names),
    "competency_id": lambda names, n: _("Competency: %(names)s", names=names),
    "coach_id": lambda names, n: _("Coach: %(names)s", names=names),
    "mentee_id": lambda names, n: _("Mentee: %(names)s", names=names),
    "priority_result_id": lambda names, n: ngettext(
        "Priority result served: %(names)s",
        "Priority results served: %(names)s",
        n,
        names=names,
    ),
}
# A filter on a chosen value in words.
CHOSEN_WORDS = {
    "status": lambda v: _("Status: %(value)s", value=LogStatus(v).label),
    "activity_type": lambda v: _("Activity: %(value)s", value=ActivityType(v).label),
    "mentee_role": lambda v: _("Mentee’s part: %(value)s", value=MenteeRole(v).label),
    "gender": lambda v: _("Mentee’s gender: %(value)s", value=Gender(v).label),
}


def record_words(
    name: str, ids: list[int], names: dict[tuple[str, int], str]
) -> tuple[tuple[str, ...], str]:
    """The filter ``name`` on the records ``ids`` as ``(its parameters, in words)``, each
    record by its name in ``names`` (:func:`named_records`'s answer), else by its id."""
    listed = ", ".join(names.get((name, i), f"#{i}") for i in ids)
    return ((name,), RECORD_WORDS[name](listed, len(ids)))


def log_filter_words(args, user: User) -> list[tuple[tuple[str, ...], str]]:
    """Each filter on in ``args`` (already checked by :func:`log_conditions`) as
    ``(its parameters, in words)``; names read in one statement, none when no record is
    named, and a coach or mentee outside ``user``'s scope only by their id."""
    wanted = {
        name: [int(v) for v in args.getlist(name) if v.isdecimal()]
        for name in ("sector_id", "institution_id", "coach_id", "mentee_id", "priority_result_id")
    }
    names = named_records(wanted, user=user)
    out: list[tuple[tuple[str, ...], str]] = []
    if wanted["sector_id"]:
        out.append(record_words("sector_id", wanted["sector_id"], names))
    if args.get("from") or args.get("to"):
        words = _period_words(args.get("dated_by", ""), args.get("from"), args.get("to"))
        out.append((("from", "to", "dated_by"), words))
    if args.get("counted"):
        out.append((("counted",), _("Counted in the reports: acknowledged or verified")))
    for name, words in CHOSEN_WORDS.items():
        if raw := args.get(name):
            out.append(((name,), words(raw)))
    for name in ("institution_id", "coach_id", "mentee_id", "priority_result_id"):
        if wanted[name]:
            out.append(record_words(name, wanted[name], names))
    if pairing := args.get("pairing_id"):
        out.append((("pairing_id",), _("Pairing %(id)s", id=pairing)))
    if args.get("sample"):
        out.append((("sample",), _("A random sample")))
    return out


# the filters the list's form shows itself; the others ride along as hidden fields
IN_THE_FORM = ("sector_id", "status", "from", "to", "sample")
RIDING = {"dated_by", "counted", *CHOSEN, *(n for n, _c in PEOPLE)}
RIDING |= {"institution_id", "priority_result_id"}


def kept_filters(args) -> list[tuple[str, str]]:
    """The filters on that the list's form has no field for (a figure's ``counted``,
    ``dated_by``, ``activity_type`` …), as ``(name, value)`` pairs: filtering again keeps
    them, and their chips say they are on."""
    return [
        (name, value)
        for name, values in args.lists()
        if name in RIDING and name not in IN_THE_FORM
        for value in values
    ]
