"""The plan items behind the report's plan figures (docs/reports.md "Figures you can open"):
the items of the plans in force on a date of the sectors' pairings active in a period —
the items section 3 counts and section 4 averages — narrowed by their state on that date
(achieved, on track, overdue, or below target: on track or overdue), competency, the
mentee's gender or institution, and the priority result they served (section 8).

The items are those scbi.reports.queries.plan_items reads for the report and their state
is scbi.reports.metrics.item_state, so the list holds what the figure counts: one
statement for the items, whatever their number, paged in Python (and one for the items a
priority result served, by section 8's rule, scbi.reports.results.served_items).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scbi.auth.models import User
from scbi.errors import ValidationFailed
from scbi.filters import checked_choice, checked_day, whole_numbers
from scbi.mentees.models import Gender
from scbi.pagination import paginate_list
from scbi.reports import periods, queries
from scbi.reports.experts import common_words, reached_sectors
from scbi.reports.metrics import ACHIEVED, ON_TRACK, OVERDUE, item_state
from scbi.reports.periods import Period
from scbi.reports.results import served_item_ids
from scbi.transfer.queries.log_filters import named_records, record_words

BELOW = "below"  # not achieved: on track or overdue (the largest gaps' items below target)
STATES = (ACHIEVED, ON_TRACK, OVERDUE, BELOW)


@dataclass(frozen=True)
class ListedItem:
    item_id: int
    plan_id: int
    mentee_id: int
    mentee: str
    competency_id: int
    competency: str
    baseline: int
    current: int
    target: int
    target_date: date
    state: str
    days_overdue: int | None


@dataclass
class PlanItemList:
    period: Period
    on: date
    state: str | None
    sectors: list
    page: object  # scbi.pagination.paginate_list's page of ListedItem


def plan_item_list(user: User, args) -> PlanItemList:
    """The items a plan figure counts: ``sector_id`` (repeated for several; none: the
    active sectors whose reports ``user`` reads), the period (``from``/``to`` or
    ``fy``/``quarter``, as a report's), ``on`` (the standing date: by default the period's
    as-of date), ``state``, ``competency_id``, ``gender``, ``institution_id``,
    ``priority_result_id`` (repeated for several: the items the results served in the
    period, section 8's "plan items served")."""
    period = periods.parse(args)
    fields: dict[str, list[str]] = {}
    on = checked_day(args, "on", fields) or period.as_of
    state = checked_choice(args, "state", STATES, fields)
    gender = checked_choice(args, "gender", [g.value for g in Gender], fields)
    if fields:
        raise ValidationFailed(fields=fields)
    competencies = set(whole_numbers(args, "competency_id"))
    institutions = set(whole_numbers(args, "institution_id"))
    sectors = reached_sectors(user, args)
    listed = []
    rows = queries.plan_items([s.id for s in sectors], period, on) if sectors else []
    if rows and (results := whole_numbers(args, "priority_result_id")):
        served = served_item_ids(results, period, on)
        rows = [row for row in rows if row.item_id in served]
    for row in rows:
        found = item_state(row.current, row.target, row.target_date, on)
        if state is not None and found != state and not (state == BELOW and found != ACHIEVED):
            continue
        if competencies and row.competency_id not in competencies:
            continue
        if gender is not None and row.gender != gender:
            continue
        if institutions and row.institution_id not in institutions:
            continue
        listed.append(
            ListedItem(
                item_id=row.item_id,
                plan_id=row.plan_id,
                mentee_id=row.mentee_id,
                mentee=row.mentee,
                competency_id=row.competency_id,
                competency=row.competency,
                baseline=row.baseline,
                current=row.current,
                target=row.target,
                target_date=row.target_date,
                state=found,
                days_overdue=(on - row.target_date).days if found == OVERDUE else None,
            )
        )
    if state == OVERDUE:  # longest overdue first, as the report lists them
        listed.sort(key=lambda i: (-(i.days_overdue or 0), i.mentee))
    page = paginate_list(listed, default_per_page=50)
    return PlanItemList(period=period, on=on, state=state, sectors=sectors, page=page)


STATE_LABELS = {  # an item's state in the list's column
    ACHIEVED: _l("achieved"),
    ON_TRACK: _l("on track"),
    OVERDUE: _l("overdue"),
}
STATE_WORDS = {
    ACHIEVED: _l("Achieved: the current level reaches the target"),
    ON_TRACK: _l("On track: below the target, target date not passed"),
    OVERDUE: _l("Overdue: below the target, target date passed"),
    BELOW: _l("Below the target (on track or overdue)"),
}


def plan_item_words(found: PlanItemList, args) -> list[tuple[tuple[str, ...], str]]:
    """The list's filters in words, for its chips (one statement when a competency, an
    institution or a priority result is named)."""
    named = named_records(
        {
            name: whole_numbers(args, name)
            for name in ("institution_id", "competency_id", "priority_result_id")
        }
    )
    out = [
        (
            ("from", "to", "fy", "quarter", "on"),
            _(
                "Plans in force on %(on)s of the pairings active from %(start)s to %(end)s",
                on=format_date(found.on),
                start=format_date(found.period.start),
                end=format_date(found.period.end),
            ),
        )
    ]
    if found.state is not None:
        out.append((("state",), str(STATE_WORDS[found.state])))
    for name in ("competency_id", "priority_result_id"):
        if ids := whole_numbers(args, name):
            out.append(record_words(name, ids, named))
    return out + common_words(args, found.sectors, named)
