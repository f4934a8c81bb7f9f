"""Who may see which report, and the files: the one entry for pages, API and downloads.

Coordinators reach only their sectors' reports (another sector's is a 404, as if it did
not exist); the programme overview shows them their sectors only, without the cascade,
which is the secretariat's.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from scbi.auth.models import Role, User
from scbi.auth.permissions import managed_sector_ids
from scbi.downloads import download
from scbi.extensions import db
from scbi.programme.models import Sector
from scbi.reports import exports, metrics
from scbi.reports.periods import Period

FILE_FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    mimetype: str
    filename: str

    def response(self) -> Response:
        return download(self.content, mimetype=self.mimetype, name=self.filename)


def visible_sectors(user: User, *, active_only: bool = True) -> list[Sector]:
    ids = managed_sector_ids(user)
    query = select(Sector).order_by(Sector.name)
    if active_only:
        query = query.where(Sector.active.is_(True))
    if ids is not None:
        query = query.where(Sector.id.in_(ids))
    return list(db.session.scalars(query))


class SectorNotVisible(NotFound):
    """Missing, or another sector's: it names the sector, so the refusal is audited."""

    def __init__(self, sector_id: int):
        super().__init__()
        self.entity = ("sector", sector_id)


def sector_or_404(user: User, sector_id: int) -> Sector:
    ids = managed_sector_ids(user)
    sector = db.session.get(Sector, sector_id)
    if sector is None or (ids is not None and sector_id not in ids):
        raise SectorNotVisible(sector_id)
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


def sector_file(user: User, sector_id: int, period: Period, kind: str) -> ReportFile:
    report = sector_report(user, sector_id, period)
    name = f"sector-report-{slug(report['sector']['code'])}-{slug(period.label)}.{kind}"
    if kind == "pdf":
        return ReportFile(exports.sector_pdf(report), "application/pdf", name)
    return ReportFile(exports.sector_xlsx(report), exports.XLSX, name)


def programme_file(user: User, period: Period, kind: str) -> ReportFile:
    overview = programme_overview(user, period)
    name = f"programme-overview-{slug(period.label)}.{kind}"
    if kind == "pdf":
        return ReportFile(exports.programme_pdf(overview), "application/pdf", name)
    return ReportFile(exports.programme_xlsx(overview), exports.XLSX, name)
