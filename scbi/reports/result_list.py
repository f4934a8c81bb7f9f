"""The priority results behind section 8's counts by status (docs/reports.md "Figures you
can open"): the results of the sectors with their status on the period's as-of date, read
by the report's own statement (scbi.reports.results.priority_results, one per sector), so
the list holds what the count counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _

from scbi.auth.models import User
from scbi.errors import ValidationFailed
from scbi.filters import checked_choice
from scbi.pagination import paginate_list
from scbi.programme.models import ResultStatus
from scbi.reports import periods
from scbi.reports.experts import common_words, reached_sectors
from scbi.reports.periods import Period
from scbi.reports.results import priority_results


@dataclass
class ResultList:
    period: Period
    status: ResultStatus | None
    sectors: list
    page: object  # scbi.pagination.paginate_list's page of section 8's result dicts


def result_list(user: User, args) -> ResultList:
    """The results ``sector_id`` names (repeated for several; none: the active sectors whose
    reports ``user`` reads), as section 8 orders them, narrowed to a ``status`` on the
    period's as-of date."""
    period = periods.parse(args)
    fields: dict[str, list[str]] = {}
    raw = checked_choice(args, "status", [s.value for s in ResultStatus], fields)
    if fields:
        raise ValidationFailed(fields=fields)
    sectors = reached_sectors(user, args)
    listed = []
    for sector in sectors:
        for result in priority_results(sector.id, period)["results"]:
            if raw is None or result["status"] == raw:
                listed.append(result | {"sector_code": sector.code})
    return ResultList(
        period=period,
        status=ResultStatus(raw) if raw else None,
        sectors=sectors,
        page=paginate_list(listed, default_per_page=50),
    )


def result_words(found: ResultList, args) -> list[tuple[tuple[str, ...], str]]:
    """The list's filters in words, for its chips."""
    out = [
        (
            ("from", "to", "fy", "quarter"),
            _("Status on %(day)s", day=format_date(found.period.as_of)),
        )
    ]
    if found.status is not None:
        out.append((("status",), _("Status: %(status)s", status=found.status.label)))
    return out + common_words(args, found.sectors, {})
