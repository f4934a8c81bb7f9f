"""The reports a user may see, and their files: the one entry for pages, API and downloads.

Who may see which report is scbi.reports.permissions (the rules) and scbi.reports.access
(the sectors they reach, the scoped loader): coordinators reach only their sectors'
reports (another sector's is a 404, as if it did not exist); the programme overview shows
them their sectors only, without the cascade, which is the secretariat's.
"""

from __future__ import annotations

from scbi.auth.models import User
from scbi.competencies.models import Assessment
from scbi.competencies.queries import visible_assessments
from scbi.downloads import Download
from scbi.reports import exports, metrics
from scbi.reports.access import (  # also read from here
    as_read_by,
    sector_and_partner_or_404,
    sector_or_404,
    visible_sectors,
)
from scbi.reports.periods import Period
from scbi.reports.permissions import can_see_cascade

FILE_FORMATS = ("pdf", "xlsx")


def sector_report(user: User, sector_id: int, period: Period) -> dict:
    """The sector's report for ``period`` as ``user`` may read it (NotFound as
    :func:`sector_or_404`)."""
    sector, partner_id = sector_and_partner_or_404(user, sector_id)
    return as_read_by(user, metrics.sector_report(sector, period), partner_id)


def programme_overview(user: User, period: Period) -> dict:
    """The overview of the sectors ``user`` may read; the cascade for those who see it."""
    return as_read_by(
        user,
        metrics.programme_overview(
            visible_sectors(user), period, with_cascade=can_see_cascade(user)
        ),
    )


def sector_assessments(user: User, sector_id: int, period: Period):
    """The sector's assessments dated in the period, for the streamed CSV."""
    sector_or_404(user, sector_id)
    return visible_assessments(user, {"sector_id": str(sector_id)}).where(
        Assessment.assessed_on >= period.start, Assessment.assessed_on <= period.end
    )


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-").lower()


def sector_file(user: User, sector_id: int, period: Period, kind: str) -> Download:
    """The sector's report as a PDF or XLSX file (NotFound as :func:`sector_or_404`)."""
    report = sector_report(user, sector_id, period)
    name = f"sector-report-{slug(report['sector']['code'])}-{slug(period.label)}.{kind}"
    if kind == "pdf":
        return Download(name, "application/pdf", exports.sector_pdf(report))
    return Download(name, exports.XLSX, exports.sector_xlsx(report))


def programme_file(user: User, period: Period, kind: str) -> Download:
    """The programme overview as a PDF or XLSX file, of the sectors ``user`` sees."""
    overview = programme_overview(user, period)
    name = f"programme-overview-{slug(period.label)}.{kind}"
    if kind == "pdf":
        return Download(name, "application/pdf", exports.programme_pdf(overview))
    return Download(name, exports.XLSX, exports.programme_xlsx(overview))
