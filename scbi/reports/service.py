"""Who may see which report, and the files: the one entry for pages, API and downloads.

Coordinators reach only their sectors' reports (another sector's is a 404, as if it did
not exist); the programme overview shows them their sectors only, without the cascade,
which is the secretariat's.
"""

from __future__ import annotations

from sqlalchemy import select

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.downloads import Download
from scbi.extensions import db
from scbi.loaders import hidden
from scbi.programme.models import Sector
from scbi.reports import exports, metrics
from scbi.reports.periods import Period

FILE_FORMATS = ("pdf", "xlsx")


def visible_sectors(user: User, *, active_only: bool = True) -> list[Sector]:
    ids = managed_sector_ids(user)
    query = select(Sector).order_by(Sector.name)
    if active_only:
        query = query.where(Sector.active.is_(True))
    if ids is not None:
        query = query.where(Sector.id.in_(ids))
    return list(db.session.scalars(query))


def sector_or_404(user: User, sector_id: int) -> Sector:
    """The sector, when ``user`` may see its reports. Raises NotFound naming the sector
    when it is missing or another's, so the refusal is audited as ``access.denied``."""
    ids = managed_sector_ids(user)
    sector = db.session.get(Sector, sector_id)
    if sector is None or (ids is not None and sector_id not in ids):
        raise hidden("sector", sector_id)
    return sector


def sector_report(user: User, sector_id: int, period: Period) -> dict:
    return metrics.sector_report(sector_or_404(user, sector_id), period)


def programme_overview(user: User, period: Period) -> dict:
    return metrics.programme_overview(
        visible_sectors(user), period, with_cascade=user.has_role(Role.SECRETARIAT)
    )


def sector_assessments(user: User, sector_id: int, period: Period):
    """The sector's assessments dated in the period, for the streamed CSV."""
    from scbi.competencies.export import visible_assessments
    from scbi.competencies.models import Assessment

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
