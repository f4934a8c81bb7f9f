"""The demo's tags in the lessons register (docs/lessons.md): the problems the study visit
to Kenya's energy regulator, the peer review of NAEB by RAB and the closed engagements
answered, in the words someone facing them again would search for. The entries themselves
are the exchanges and engagements the demo records."""

from __future__ import annotations

from sqlalchemy import select

from scbi.auth.models import User
from scbi.engagements.models import Engagement, EngagementStatus
from scbi.exchanges.models import Exchange
from scbi.extensions import db
from scbi.lessons import services
from scbi.lessons.queries.tags import entry_or_404
from scbi.programme.models import Institution

EXCHANGES = {
    "Study visit to Kenya's energy regulator": ["tariff review delays", "incomplete data"],
    "Peer review of NAEB's export quality certification by RAB": ["duplicate inspections"],
}
ENGAGEMENTS = {
    "RDB": ["complaints without an owner", "answer times between agencies"],
    "EDCL": ["applications checked twice", "paper files"],
}


def build_lessons(admin: User) -> None:
    for title, problems in EXCHANGES.items():
        ident = db.session.scalar(select(Exchange.id).where(Exchange.title == title))
        _tag(admin, "exchange", ident, problems)
    for acronym, problems in ENGAGEMENTS.items():
        ident = db.session.scalar(
            select(Engagement.id)
            .join(Institution, Institution.id == Engagement.institution_id)
            .where(Institution.acronym == acronym, Engagement.status == EngagementStatus.CLOSED)
        )
        _tag(admin, "engagement", ident, problems)


def _tag(admin: User, source: str, ident: int | None, problems: list[str]) -> None:
    if ident is None:  # a demo too small for that record
        return
    entry = entry_or_404(admin, source, ident)
    for problem in problems:
        entry.tags.append(services.add_tag(entry, by=admin, problem=problem))
