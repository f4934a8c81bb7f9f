"""The evidence portfolio: per competency, the levels and the acknowledged logs, evidence
and assessments behind them — as a page and as a PDF for a promotion panel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scbi.competencies.models import Assessment, AssessorRole
from scbi.competencies.profile import ProfileRow, competency_profile
from scbi.downloads import Download
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.transfer.models import COUNTED_LOG_STATUSES, Pairing, TransferLog


@dataclass
class PortfolioSection:
    row: ProfileRow
    assessments: list[Assessment] = field(default_factory=list)
    logs: list[TransferLog] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return sum(log.minutes for log in self.logs) / 60


def build_portfolio(mentee: Mentee, on: date) -> list[PortfolioSection]:
    """Four queries whatever the number of logs and assessments."""
    sections = {r.competency.id: PortfolioSection(r) for r in competency_profile(mentee, on)}
    logs = db.session.scalars(
        select(TransferLog)
        .join(Pairing, Pairing.id == TransferLog.pairing_id)
        .options(selectinload(TransferLog.competencies), selectinload(TransferLog.evidence))
        .where(
            Pairing.mentee_id == mentee.id,
            TransferLog.status.in_(COUNTED_LOG_STATUSES),
        )
        .order_by(TransferLog.activity_date)
    ).all()
    for log in logs:
        for competency in log.competencies:
            if competency.id in sections:
                sections[competency.id].logs.append(log)
    assessments = db.session.scalars(
        select(Assessment)
        .options(selectinload(Assessment.logs))
        .where(Assessment.mentee_id == mentee.id, Assessment.assessor_role != AssessorRole.SELF)
        .order_by(Assessment.assessed_on, Assessment.id)
    ).all()
    for assessment in assessments:
        if assessment.competency_id in sections:
            sections[assessment.competency_id].assessments.append(assessment)
    return list(sections.values())


def refuse_remote(url: str):
    """WeasyPrint's fetcher: nothing is ever fetched (the PDF is self-contained)."""
    raise ValueError(f"the portfolio PDF does not fetch {url[:40]}")


def portfolio_pdf(mentee: Mentee, sections, on: date) -> bytes:
    # imported on the first PDF: WeasyPrint loads Pango and Cairo, which pages never need
    from weasyprint import HTML

    html = render_template(
        "competencies/portfolio_pdf.html", mentee=mentee, sections=sections, on=on
    )
    return HTML(string=html, base_url=current_app.root_path, url_fetcher=refuse_remote).write_pdf()


def portfolio_file(mentee: Mentee, on: date) -> Download:
    """The portfolio as a PDF, named after the mentee (any script, see scbi.downloads)."""
    pdf = portfolio_pdf(mentee, build_portfolio(mentee, on), on)
    name = "".join(c if c.isalnum() else "-" for c in mentee.user.full_name).strip("-")
    return Download(f"portfolio-{name}.pdf", "application/pdf", pdf)
