"""Publishing sector reports (DESIGN.md "Reports"): the rules, who sees what, the files.

A coordinator (for their sectors) or the secretariat publishes a sector report for a
fiscal quarter or year that has ended: the whole dict of scbi.reports.metrics as it is at
that moment, with a three-part narrative. Nothing published ever changes (the database
refuses it). When the live figures of the period later differ from its latest version,
a new version is published, numbered on: an addendum, with its own narrative. An addendum
of a period whose figures have not changed is refused (409).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import Select, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, undefer

from scbi import audit
from scbi.auth.models import User
from scbi.dates import today
from scbi.downloads import Download
from scbi.errors import Conflict, NotFound, duplicate_field
from scbi.extensions import db
from scbi.reports import exports, metrics, periods
from scbi.reports.access import as_read_by, reader_partner, scope_publications, sector_or_404
from scbi.reports.differences import differences
from scbi.reports.models import NARRATIVE, PERIOD, PUBLICATION, PublishedReport
from scbi.reports.periods import Period
from scbi.reports.services import slug
from scbi.validation import Errors

# --- the rules -----------------------------------------------------------------------------


def refusal(period: Period) -> tuple[str, str] | None:
    """Why ``period`` cannot be published, as ``(field, message)``, or None when it can:
    only a fiscal quarter or year, once it has ended."""
    if period.fiscal_year is None:
        return "from", _(
            "A date range cannot be published: choose a fiscal quarter or a fiscal year."
        )
    if period.end >= today():
        return ("quarter" if period.quarter else "fy"), _(
            "%(period)s has not ended yet: it can be published from %(day)s.",
            period=period.label,
            day=format_date(period.end + timedelta(days=1), "long"),
        )
    return None


def requested_period(fy, quarter=None, start=None, end=None) -> Period:
    """The period an API caller asks to publish: ``fy`` and an optional ``quarter``.
    A date range is refused by name (``from``), so is a missing fiscal year."""
    errors = Errors()
    if start is not None or end is not None:
        errors.add("from", refusal(periods.date_range(start or end, end or start))[1])
    year = errors.integer("fy", fy, **PERIOD["fy"].check())
    errors.raise_if_any()
    return periods.fiscal_quarter(year, quarter) if quarter else periods.fiscal_year(year)


def publish(
    *, by: User, sector_id: int, period: Period, went_well, went_badly, next_steps
) -> PublishedReport:
    """Publish the sector's report for ``period`` as it is now, with its narrative; the
    first of a period is number 1, later ones (addenda) take the next number and need
    figures that differ from the latest. Raises NotFound (a sector the user may not
    see), ValidationFailed (naming each missing narrative part and a period that cannot
    be published) or Conflict (nothing changed; someone published the same number at the
    same moment)."""
    sector = sector_or_404(by, sector_id)
    errors = Errors()
    texts = {
        name: errors.text(name, value, **PUBLICATION[name].check())
        for name, value in zip(NARRATIVE, (went_well, went_badly, next_steps), strict=True)
    }
    if refused := refusal(period):
        errors.add(*refused)
    errors.raise_if_any()
    latest = db.session.scalar(
        _of_period(sector.id, period.start, period.end)
        .options(undefer(PublishedReport.figures_json))
        .order_by(PublishedReport.number.desc())
        .limit(1)
    )
    figures = metrics.sector_report(sector, period)
    if latest is not None and not differences(latest.figures, figures):
        raise Conflict(
            _(
                "The figures of %(period)s have not changed since version %(number)s was "
                "published: an addendum answers a change, and there is none.",
                period=period.label,
                number=latest.number,
            ),
            code="unchanged",
        )
    report = PublishedReport(
        sector_id=sector.id,
        fiscal_year=period.fiscal_year,
        quarter=period.quarter,
        period_start=period.start,
        period_end=period.end,
        number=latest.number + 1 if latest else 1,
        figures_json=json.dumps(figures, ensure_ascii=False),
        published_by_id=by.id,
        **texts,
    )
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError as error:
        if duplicate_field(error) is None:
            raise
        raise Conflict(
            _(
                "Someone else published %(period)s at the same moment. Reload the page to "
                "read their version; yours was not saved.",
                period=period.label,
            ),
            code="duplicate",
        ) from None
    audit.record(
        "report.publish",
        by=by,
        entity=report,
        after={
            "sector_id": sector.id,
            "sector": sector.code,
            "period": period.label,
            "period_start": period.start,
            "period_end": period.end,
            "number": report.number,
        },
    )
    return report


def period_of(report: PublishedReport) -> Period:
    """The period a publication is of, as it was published (its label included)."""
    label = report.figures["period"]["label"]
    return Period(report.period_start, report.period_end, label, report.fiscal_year, report.quarter)


# --- who sees what -------------------------------------------------------------------------


def _of_period(sector_id: int, start, end) -> Select:
    return select(PublishedReport).where(
        PublishedReport.sector_id == sector_id,
        PublishedReport.period_start == start,
        PublishedReport.period_end == end,
    )


def visible(user: User, *, sector_id=None, fiscal_year=None, quarter=None) -> Select:
    """The publications ``user`` may read (coordinators: their sectors'), newest period
    first, filtered; the figures are not loaded (read them one publication at a time)."""
    query = scope_publications(select(PublishedReport), user)
    for column, value in (
        (PublishedReport.sector_id, sector_id),
        (PublishedReport.fiscal_year, fiscal_year),
        (PublishedReport.quarter, quarter),
    ):
        if value is not None:
            query = query.where(column == value)
    return query.order_by(
        PublishedReport.period_end.desc(),
        PublishedReport.period_start.desc(),
        PublishedReport.sector_id,
        PublishedReport.number.desc(),
    )


def summaries(user: User, *, sector_id=None, fiscal_year=None) -> list[dict]:
    """The list on the report pages, in one statement: ``[{id, sector, label, start, end,
    number, published_at, published_by}]``."""
    query = visible(user, sector_id=sector_id, fiscal_year=fiscal_year)
    return [summary(report) for report in db.session.scalars(query)]


def summary(report: PublishedReport) -> dict:
    """A publication without its figures and narrative (lists, the API's list items)."""
    period = (
        periods.fiscal_quarter(report.fiscal_year, report.quarter)
        if report.quarter
        else periods.fiscal_year(report.fiscal_year)
    )
    return {
        "id": report.id,
        "sector": {"id": report.sector.id, "code": report.sector.code, "name": report.sector.name},
        "fiscal_year": report.fiscal_year,
        "quarter": report.quarter,
        "period": {
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "label": period.label,
        },
        "number": report.number,
        "published_at": report.published_at.isoformat(),
        "published_by": {"id": report.published_by.id, "full_name": report.published_by.full_name},
    }


@dataclass(frozen=True)
class Reading:
    """A publication as its page shows it: the versions of its period and, unless files
    only are wanted, the differences between the latest of them and the live figures."""

    report: PublishedReport
    versions: list[PublishedReport]
    differences: list[dict]
    figures: dict  # the publication's, as the reader may read them (access.as_read_by)

    @property
    def latest(self) -> PublishedReport:
        return self.versions[-1]

    @property
    def changed(self) -> bool:
        return bool(self.differences)


def read(user: User, report_id: int, *, compare: bool = True) -> Reading:
    """The publication (404 when missing or of a sector the user may not see) and every
    version of its period, in one statement; with ``compare``, the live report too."""
    asked = aliased(PublishedReport)
    query = (
        scope_publications(select(PublishedReport), user)
        .join(
            asked,
            and_(
                asked.sector_id == PublishedReport.sector_id,
                asked.period_start == PublishedReport.period_start,
                asked.period_end == PublishedReport.period_end,
            ),
        )
        .where(asked.id == report_id)
        .options(undefer(PublishedReport.figures_json))
        .order_by(PublishedReport.number)
    )
    versions = list(db.session.scalars(query))
    report = next((v for v in versions if v.id == report_id), None)
    if report is None:
        raise NotFound
    found = []
    partner = reader_partner(user)
    if compare:
        latest = versions[-1]
        live = metrics.sector_report(latest.sector, period_of(latest))
        found = differences(
            as_read_by(user, latest.figures, partner), as_read_by(user, live, partner)
        )
    return Reading(report, versions, found, as_read_by(user, report.figures, partner))


# --- files ---------------------------------------------------------------------------------


def header(report: PublishedReport) -> dict:
    """What the files print about the publication, beside the frozen figures."""
    return {
        "number": report.number,
        "published_at": report.published_at.isoformat(),
        "published_by": report.published_by.full_name,
        **{name: getattr(report, name) for name in NARRATIVE},
    }


def publication_file(user: User, report_id: int, kind: str) -> Download:
    """The PDF or XLSX of a publication, made from its stored figures (the same numbers
    and charts as when it was published)."""
    report = db.session.scalar(
        scope_publications(select(PublishedReport), user)
        .where(PublishedReport.id == report_id)
        .options(undefer(PublishedReport.figures_json))
    )
    if report is None:
        raise NotFound
    figures = as_read_by(user, report.figures)
    name = (
        f"sector-report-{slug(figures['sector']['code'])}-{slug(figures['period']['label'])}"
        f"-v{report.number}.{kind}"
    )
    if kind == "pdf":
        return Download(
            name, "application/pdf", exports.sector_pdf(figures, publication=header(report))
        )
    return Download(name, exports.XLSX, exports.sector_xlsx(figures, publication=header(report)))
