"""Figures you can open (docs/reports.md): each count and sum of the sector report and the
programme overview links to the list of the records behind it, filtered to exactly what
the figure counts, for readers who may open that list.

One definition per figure (:data:`FIGURES`): the list it opens (an endpoint), the filters
the figure's own definition gives it (its period, and which event's time it is counted
by), and what the list's total is compared with (a number of rows, hours, an amount, or
one of the sums a list shows of its records: the participants of the exchanges listed …).
The templates name a figure and any narrower filter (a gender, an activity type, a month
…) and get its link; a figure added later names its list here and links the same way.

No statement is sent: a link is built from the report's dict (its sectors and period) and
the reader's roles, which the page has already read. Whether the reader may open the list
is ``may_open`` (the roles of the list's ``role_required``): a development partner reads
the report and gets plain figures. The PDF and published reports use :data:`NO_LINKS`:
plain figures (a publication's figures are frozen; the lists are live).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import url_for
from markupsafe import Markup, escape

from scbi.templating import may_open

COUNT, HOURS, AMOUNT = "count", "hours", "amount"
# the exchange list's sums of its exchanges (scbi.exchanges.queries.figure_filters), and
# the engagement list's objectives of an outcome (scbi.engagements.queries.filters)
PARTICIPANTS, COUNTRIES, ACTIONS, OVERDUE = "participants", "countries", "actions", "overdue"
OBJECTIVES = "objectives"


@dataclass(frozen=True)
class Span:
    """The period a figure counts: its first and last days and its as-of date (ISO)."""

    start: str
    end: str
    as_of: str

    def dates(self, start_name: str = "from", end_name: str = "to") -> dict[str, str]:
        return {start_name: self.start, end_name: self.end}


@dataclass(frozen=True)
class Figure:
    endpoint: str
    filters: Callable[[Span], dict]  # the figure's own filters, from its period
    measure: str = COUNT  # what the list's total is: its rows, their hours, an amount, a sum


def _logs(dated_by: str) -> Figure:
    return Figure("transfer.logs_list", lambda s: {"dated_by": dated_by, **s.dates()})


def _follow_ups(**flags: str) -> Figure:
    return Figure("retention.follow_ups", lambda s: {"on": s.as_of, **flags})


def _exchanges(measure: str = COUNT) -> Figure:
    """The exchanges held at some time of the period, up to its as-of date."""
    return Figure("exchanges.index", lambda s: {"from": s.start, "to": s.as_of}, measure)


def _actions(which: str, measure: str) -> Figure:
    """The exchanges begun by the as-of date with follow-up actions open (or overdue) that
    day: the list sums those actions."""
    return Figure(
        "exchanges.index", lambda s: {"to": s.as_of, "on": s.as_of, "actions": which}, measure
    )


def _engagements(dated_by: str, measure: str = COUNT, **flags: str) -> Figure:
    """The engagements whose request was received, or which started or ended, in the
    period (``status=all`` unless ``flags`` name one)."""
    return Figure(
        "engagements.index",
        lambda s: {"status": "all", "dated_by": dated_by, **s.dates(), **flags},
        measure,
    )


FIGURES: dict[str, Figure] = {
    # active at some time of the period (the pairing's dates, the mentee's dated status,
    # the coach's contract), whatever their status today
    "active_pairings": Figure(
        "transfer.pairings", lambda s: {"status": "all", **s.dates("active_from", "active_to")}
    ),
    "active_mentees": Figure(
        "mentees.index", lambda s: {"status": "all", **s.dates("active_from", "active_to")}
    ),
    "active_coaches": Figure(
        "coaches.index", lambda s: {"status": "all", **s.dates("active_from", "active_to")}
    ),
    # acknowledged or verified logs dated in the period: their hours, or how many
    "coaching_hours": Figure(
        "transfer.logs_list", lambda s: {"counted": "1", **s.dates()}, measure=HOURS
    ),
    "counted_logs": Figure("transfer.logs_list", lambda s: {"counted": "1", **s.dates()}),
    # the logs that took that step in the period, by the time they took it
    "logs_submitted": _logs("submitted"),
    "logs_acknowledged": _logs("acknowledged"),
    "logs_disputed": _logs("disputed"),
    # the critical mass on the as-of date: the experts, or the whole pipeline
    "experts": Figure("reports.experts", lambda s: {"on": s.as_of, "below": "0"}),
    "pipeline": Figure("reports.experts", lambda s: {"on": s.as_of}),
    # the items of the plans in force on the as-of date, of the pairings of the period
    "plan_items": Figure("reports.plan_items", lambda s: {**s.dates(), "on": s.as_of}),
    # retention: the follow-ups as they stood on the as-of date that had fallen due; of
    # them those answered by then, those still in public service, those coaching others
    # (each of a milestone, ``months=``); the cascade: the mentees whose latest answer says so
    "retention_due": _follow_ups(),
    "retention_followed_up": _follow_ups(answered="1"),
    "retention_retained": _follow_ups(retained="1"),
    "retention_coaching": _follow_ups(cascade="1"),
    "retention_cascade": _follow_ups(cascade="1", latest="1"),
    # peer exchanges held in the period (``kind=``, ``country=``), their participants
    # (``participant=``, ``gender=``) and countries; the follow-up actions open on the as-of
    # date, and those overdue then
    "exchanges": _exchanges(),
    "exchange_participants": _exchanges(PARTICIPANTS),
    "exchange_countries": _exchanges(COUNTRIES),
    "exchange_actions_open": _actions("open", ACTIONS),
    "exchange_actions_overdue": _actions("overdue", OVERDUE),
    # short engagements: requests received, engagements started and ended (closed,
    # declined or withdrawn) in the period; the closed ones' objectives of an outcome
    # (``outcome=``) and those recommending a longer pairing
    "engagements_received": _engagements("received"),
    "engagements_started": _engagements("started"),
    "engagements_closed": _engagements("ended", status="closed"),
    "engagements_declined": _engagements("ended", status="declined"),
    "engagements_withdrawn": _engagements("ended", status="withdrawn"),
    "engagement_objectives": _engagements("ended", OBJECTIVES, status="closed"),
    "engagements_longer": _engagements("ended", status="closed", longer_pairing="1"),
    # the priority results with their status on the as-of date (``status=``)
    "priority_results": Figure("reports.priority_results", lambda s: s.dates()),
    # value for money: what the coaches' contracts cost, from the period's first day (or
    # the programme's start) to its as-of date, in one currency (``currency=``)
    "ta_cost": Figure("reports.costs", lambda s: s.dates(), measure=AMOUNT),
    "ta_cost_cumulative": Figure(
        "reports.costs", lambda s: {**s.dates(), "span": "cumulative"}, measure=AMOUNT
    ),
}
NOT_A_FIGURE = ("", "—", "–")  # unknown: nothing to open


def _span(period: dict | None) -> Span | None:
    if not period:
        return None
    return Span(period["start"], period["end"], period["as_of"])


def _month(span: Span, month: str) -> dict[str, str]:
    """A month (``YYYY-MM``) of the period: its days within the period."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1).isoformat()
    last = date(year, number, monthrange(year, number)[1]).isoformat()
    return {"from": max(first, span.start), "to": min(last, span.end)}


class FigureLinks:
    """The links of one report's figures: ``url`` gives a figure's list address (or None
    when the reader may not open it), ``link`` the figure as shown, linked."""

    def __init__(self, period: dict, sector_ids, previous: dict | None = None):
        self.span = _span(period)
        self.previous = _span(previous)
        self.sector_ids = [int(i) for i in sector_ids]

    @classmethod
    def of_report(cls, report: dict) -> FigureLinks:
        """A sector report's links (its sector, period and previous period)."""
        before = (report.get("previous") or {}).get("period")
        return cls(report["period"], [report["sector"]["id"]], before)

    @classmethod
    def of_overview(cls, overview: dict) -> FigureLinks:
        """The programme overview's: the totals count the sectors it shows, each row its
        own sector (``sector=``)."""
        before = (overview.get("totals", {}).get("previous") or {}).get("period")
        return cls(overview["period"], [r["sector"]["id"] for r in overview["sectors"]], before)

    def url(
        self,
        kind: str,
        /,
        *,
        sector: int | None = None,
        previous: bool = False,
        month: str | None = None,
        on: str | None = None,
        **narrower,
    ) -> str | None:
        """The address of the list behind figure ``kind`` — of the report's sectors, or of
        ``sector`` alone; of the previous period when ``previous``; of one ``month`` of the
        period (hours by month); of a standing on ``on`` (a trajectory's month end) —
        narrowed by ``narrower`` filters (``gender``, ``activity_type`` …; None ones left
        out). None when the figure opens nothing or the reader may not open its list."""
        figure = FIGURES.get(kind)
        span = self.previous if previous else self.span
        if figure is None or span is None or not may_open(figure.endpoint):
            return None
        args: dict = {"sector_id": [sector] if sector is not None else self.sector_ids}
        args |= figure.filters(span)
        if month is not None:
            args |= _month(span, month)
        if on is not None:
            args["on"] = on
        args |= {name: value for name, value in narrower.items() if value is not None}
        return url_for(figure.endpoint, **args)

    def link(self, shown, kind: str, /, value=None, **filters) -> Markup:
        """``shown`` (the figure as the page prints it) linked to its list, or as it is;
        ``value``: the figure unformatted, when the page shows it in words (an amount in
        its currency). ``kind`` is given by position: a filter may be named ``kind`` (the
        exchanges')."""
        url = None if str(shown) in NOT_A_FIGURE else self.url(kind, **filters)
        if url is None:
            return escape(shown)
        if value is None:
            return Markup('<a class="figure-link" data-measure="{}" href="{}">{}</a>').format(
                FIGURES[kind].measure, url, shown
            )
        return Markup(
            '<a class="figure-link" data-measure="{}" data-value="{}" href="{}">{}</a>'
        ).format(FIGURES[kind].measure, value, url, shown)


class _NoLinks:
    """Plain figures: the PDF, and published reports (frozen figures; the lists are live)."""

    def url(self, kind: str, /, **filters) -> None:
        return None

    def link(self, shown, kind: str, /, value=None, **filters) -> Markup:
        return escape(shown)


NO_LINKS = _NoLinks()
