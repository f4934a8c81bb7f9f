"""The evidence portfolio: per competency, the levels and the acknowledged logs, evidence
and assessments behind them — as a page and as a PDF for a promotion panel. Each evidence
file links to the file for those who may read its log (the mentee's page shows logs of
all their pairings, a coach reads only their own pairings')."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scbi.auth.models import User
from scbi.competencies.models import Assessment, AssessorRole
from scbi.competencies.profile import ProfileRow, competency_profile
from scbi.downloads import Download
from scbi.extensions import db
from scbi.mail.outbox import link
from scbi.mentees.models import Mentee
from scbi.transfer.models import COUNTED_LOG_STATUSES, Pairing, TransferLog
from scbi.transfer.queries import readable_log_ids


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


def openable_evidence(reader: User, sections: list[PortfolioSection]) -> frozenset[int]:
    """The ids of the portfolio's evidence that ``reader`` may open: that of the logs they
    may read (``evidence_or_404`` answers 404 for the others), in one query."""
    logs = {log.id: log for section in sections for log in section.logs}
    return frozenset(
        evidence.id
        for log_id in readable_log_ids(reader, logs)
        for evidence in logs[log_id].evidence
    )


def evidence_address(evidence_id: int) -> str:
    """The full address of an evidence file, for the PDF (which is read away from the
    site): ``SCBI_BASE_URL`` when set, else this request's address."""
    return link("transfer.evidence_download", evidence_id=evidence_id)


def refuse_remote(url: str):
    """WeasyPrint's fetcher: nothing is ever fetched (the PDF is self-contained)."""
    raise ValueError(f"the portfolio PDF does not fetch {url[:40]}")


def portfolio_pdf(
    mentee: Mentee, sections, on: date, *, openable: frozenset[int] = frozenset()
) -> bytes:
    """The PDF; the evidence of ``openable`` links to its file by its full address (links
    are written, never fetched)."""
    # imported on the first PDF: WeasyPrint loads Pango and Cairo, which pages never need
    from weasyprint import HTML

    html = render_template(
        "competencies/portfolio_pdf.html",
        mentee=mentee,
        sections=sections,
        on=on,
        openable=openable,
        evidence_address=evidence_address,
    )
    return HTML(string=html, base_url=current_app.root_path, url_fetcher=refuse_remote).write_pdf()


def portfolio_file(mentee: Mentee, on: date, *, reader: User) -> Download:
    """The portfolio as a PDF, named after the mentee (any script, see scbi.downloads),
    linking the evidence ``reader`` may open."""
    sections = build_portfolio(mentee, on)
    pdf = portfolio_pdf(mentee, sections, on, openable=openable_evidence(reader, sections))
    name = "".join(c if c.isalnum() else "-" for c in mentee.user.full_name).strip("-")
    return Download(f"portfolio-{name}.pdf", "application/pdf", pdf)
