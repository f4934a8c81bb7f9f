"""The register's entries as people read them: each found row of the search
(:mod:`scbi.lessons.queries.search`) with its source's words — what the problem was, what
was learnt — its sectors and its tags, read for a whole page in a few statements (one per
kind of source on the page, and one for the tags), whatever the page's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, lazyload

from scbi.auth.models import User
from scbi.dates import as_day, fiscal_label
from scbi.engagements.models import Engagement
from scbi.engagements.queries import close_out
from scbi.exchanges.models import Exchange
from scbi.extensions import db
from scbi.lessons.models import LessonSource, LessonTag
from scbi.lessons.queries.search import Search, search_query, words_of
from scbi.reports.models import PublishedReport

LEARNT_BEFORE = 5  # entries an engagement's page shows
# Each source's page, and the name of its id there.
SOURCE_PAGES = {
    LessonSource.EXCHANGE: ("exchanges.detail", "exchange_id"),
    LessonSource.ENGAGEMENT: ("engagements.detail", "engagement_id"),
    LessonSource.REPORT: ("reports.published", "report_id"),
}


@dataclass(frozen=True)
class Part:
    """A labelled piece of an entry's problem or lesson."""

    label: str
    text: str


@dataclass
class Entry:
    """One entry: where it comes from, when, what the problem was and what was learnt."""

    source: LessonSource
    source_id: int
    day: date  # an exchange's last day, an engagement's close-out, a report's period end
    heading: str
    score: int = 0  # how many of the search's words it holds
    detail: str = ""  # what the source is: the exchange's kind, the institution, the version
    start: date | None = None  # when it began: an exchange's first day, a span's, a period's
    sectors: list = field(default_factory=list)  # Sector
    competencies: list = field(default_factory=list)  # Competency: the source's own
    tags: list[LessonTag] = field(default_factory=list)
    problem: list[Part] = field(default_factory=list)
    lesson: list[Part] = field(default_factory=list)

    @property
    def key(self) -> tuple[LessonSource, int]:
        return self.source, self.source_id

    @property
    def sector_ids(self) -> list[int]:
        return [s.id for s in self.sectors]

    def tag_like(self, problem: str, competency_id: int | None) -> LessonTag | None:
        """The entry's tag of this problem or competency, if it has one."""
        for tag in self.tags:
            if (problem and tag.problem == problem) or (
                competency_id and tag.competency_id == competency_id
            ):
                return tag
        return None


def source_url(entry: Entry) -> str:
    """The address of the page of the entry's source."""
    endpoint, name = SOURCE_PAGES[entry.source]
    return url_for(endpoint, **{name: entry.source_id})


def heading(row) -> str:
    """An entry's title, from its search row alone (no statement)."""
    source = LessonSource(row.source)
    if source == LessonSource.EXCHANGE:
        return row.title
    if source == LessonSource.ENGAGEMENT:
        return _("Short engagement with %(institution)s", institution=row.title)
    period = fiscal_label(row.fiscal_year, row.quarter)
    return _("%(name)s: sector report, %(period)s", name=row.title, period=period)


def _found(row) -> Entry:
    return Entry(
        source=LessonSource(row.source),
        source_id=row.source_id,
        day=as_day(row.day),
        heading=heading(row),
        score=int(row.score),
    )


def learnt_before(user: User, engagement: Engagement) -> tuple[Search, list[Entry]]:
    """What an engagement's page shows of the register: the search by the words of its
    problem in its sector, and the best :data:`LEARNT_BEFORE` entries ``user`` may read
    that it finds (the engagement's own left out) — one statement, their titles only."""
    search = Search(words=words_of(engagement.problem), sector_ids=(engagement.sector_id,))
    if not search.words:
        return search, []
    query = search_query(user, search)
    row = query.selected_columns
    own = and_(row.source == LessonSource.ENGAGEMENT.value, row.source_id == engagement.id)
    return search, [_found(r) for r in db.session.execute(query.where(~own).limit(LEARNT_BEFORE))]


def first_found(user: User, search: Search, limit: int) -> tuple[int, list[Entry]]:
    """How many entries ``search`` finds for ``user``, and the first ``limit`` of them (a
    page of a reader with no pager: the command line)."""
    query = search_query(user, search)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return total, entries(db.session.execute(query.limit(limit)))


def entries(rows) -> list[Entry]:
    """The entries of the search's ``rows``, in their order, with their sources' words,
    sectors and tags."""
    found = [_found(row) for row in rows]
    by_kind: dict[LessonSource, dict[int, Entry]] = {kind: {} for kind in LessonSource}
    for entry in found:
        by_kind[entry.source][entry.source_id] = entry
    for kind, fill in FILLS.items():
        if by_kind[kind]:
            fill(by_kind[kind])
    if found:
        tags = db.session.scalars(
            select(LessonTag)
            .where(
                or_(
                    *(
                        (LessonTag.source == kind) & LessonTag.source_id.in_(list(of_kind))
                        for kind, of_kind in by_kind.items()
                        if of_kind
                    )
                )
            )
            .order_by(LessonTag.problem.is_(None), LessonTag.problem, LessonTag.id)
        )
        for tag in tags:
            by_kind[tag.source][tag.source_id].tags.append(tag)
    return found


def _exchanges(of_kind: dict[int, Entry]) -> None:
    # one statement: an exchange has a few sectors and competencies, so their product is small
    query = (
        select(Exchange)
        .where(Exchange.id.in_(list(of_kind)))
        .options(joinedload(Exchange.sectors), joinedload(Exchange.competencies))
    )
    for exchange in db.session.scalars(query).unique():
        entry = of_kind[exchange.id]
        entry.detail, entry.start = exchange.kind.label, exchange.starts_on
        entry.sectors, entry.competencies = list(exchange.sectors), list(exchange.competencies)
        if exchange.questions:
            entry.problem = [Part(_("Questions it set out to answer"), exchange.questions)]
        entry.lesson = [Part(_("What was learnt"), exchange.learnt)]


def _engagements(of_kind: dict[int, Entry]) -> None:
    query = (
        select(Engagement)
        .where(Engagement.id.in_(list(of_kind)))
        .options(lazyload(Engagement.members))  # the team is no lesson
    )
    for engagement in db.session.scalars(query):
        entry = of_kind[engagement.id]
        entry.detail, entry.start = engagement.institution.name, engagement.start_date
        entry.sectors = [engagement.sector]
        entry.problem = [
            Part(_("The problem"), engagement.problem),
            Part(_("The result it hopes for"), engagement.hoped_result),
        ]
        entry.lesson = _close_out_parts(engagement)


def _close_out_parts(engagement: Engagement) -> list[Part]:
    done = close_out(engagement)
    parts = [Part(_("What the team can now do on its own"), done.team_can_now)]
    for objective in done.objectives:
        parts.append(
            Part(
                _(
                    "Objective %(number)s: %(outcome)s",
                    number=objective.number,
                    outcome=objective.outcome.short,
                ),
                f"{objective.text}\n{objective.outcome_note}".strip(),
            )
        )
    if done.longer_pairing:
        parts.append(
            Part(_("A longer pairing should follow"), done.longer_pairing_note or _("Yes"))
        )
    practitioner = engagement.practitioner_name
    if practitioner:
        organisation = (
            engagement.coach.organisation if engagement.coach else engagement.expert_organisation
        )
        parts.append(Part(_("Practitioner"), f"{practitioner}, {organisation}"))
    return parts


def _reports(of_kind: dict[int, Entry]) -> None:
    for report in db.session.scalars(
        select(PublishedReport).where(PublishedReport.id.in_(list(of_kind)))
    ):
        entry = of_kind[report.id]
        entry.start, entry.sectors = report.period_start, [report.sector]
        entry.detail = (
            _("Published report, version 1")
            if report.number == 1
            else _("Addendum: version %(n)s of the published report", n=report.number)
        )
        entry.lesson = [
            Part(_("What went well"), report.went_well),
            Part(_("What did not go well"), report.went_badly),
            Part(_("What comes next"), report.next_steps),
        ]


FILLS = {
    LessonSource.EXCHANGE: _exchanges,
    LessonSource.ENGAGEMENT: _engagements,
    LessonSource.REPORT: _reports,
}
