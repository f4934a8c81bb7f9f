"""Searching the register (docs/lessons.md "Search"): the entries a reader may see, narrowed
by the filters, found by the words of a search and ranked — one SELECT, which the page, the
API, the CLI and an engagement's "learnt before" all run.

Each kind of entry is read from its source, in one part of a UNION ALL (columns ``source,
source_id, day, title, fiscal_year, quarter, number``), inside the reader's scope:

- an exchange whose learning is recorded (:func:`scbi.exchanges.queries.figures.learnt_rows`),
  dated its last day;
- a closed engagement, dated its close-out;
- a published report or addendum, dated the last day of its period.

Words are matched case-blind (:data:`scbi.sql.folded`), as parts of words, against each
entry's text — its title, problem and lesson (an engagement's objectives with their notes
too) — and its tags (problem tags, and competencies: the tags' and an exchange's own). An
entry matching any word is found; the more words it matches, the higher it ranks, then the
newest first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    union_all,
)

from scbi.auth.models import User
from scbi.engagements.models import Engagement, EngagementObjective, EngagementStatus
from scbi.engagements.queries import scope_engagements
from scbi.exchanges.models import Exchange, exchange_competency
from scbi.exchanges.queries.figures import learnt_rows
from scbi.exchanges.queries.scope import in_sectors, scope_exchanges
from scbi.filters import day, whole_numbers
from scbi.lessons.models import LessonSource, LessonTag
from scbi.programme.models import Competency, Institution, Sector
from scbi.reports.access import scope_publications
from scbi.reports.models import PublishedReport
from scbi.sql import blank, folded, row_kind

MIN_LENGTH = 3  # shorter words are ignored
MAX_WORDS = 20  # beyond, a search is a text pasted whole: its first words say enough
# Words that tell no problem from another (English and French): a problem statement's words
# find the entries that share its subject, not its grammar.
_COMMON = """
    the and for with that this these those from are was were been being have has had not
    but its our their they them there then than into also can could would should will
    shall may might must which who whom whose what when where how about because while does
    did out yet per any all each every some such other only very again more most many much
    her his she him you your
    les des une dans pour par sur avec est sont qui que quoi pas aux ces son ses leur leurs
    elle ils elles nous vous mais donc car comme plus été être avoir ont cette cet entre
    sans sous chez lors dont tout tous toute toutes
"""
COMMON = frozenset(_COMMON.split())


def words_of(text: str | None) -> tuple[str, ...]:
    """The words a search looks for: lower case, at least :data:`MIN_LENGTH` letters or
    digits, none of :data:`COMMON`, each once, the first :data:`MAX_WORDS` of them."""
    found: dict[str, None] = {}
    for word in re.findall(r"\w+", (text or "").lower()):
        if len(word) >= MIN_LENGTH and word not in COMMON:
            found.setdefault(word, None)
    return tuple(found)[:MAX_WORDS]


def normal_tag(text: str | None) -> str:
    """A problem tag as it is kept and compared: lower case, single spaces."""
    return " ".join((text or "").lower().split())


@dataclass(frozen=True)
class Search:
    """What to look for: the words, and the filters (several sectors; a competency, a kind
    of source, a problem tag; the entry's day from ``start`` to ``end``)."""

    words: tuple[str, ...] = ()
    sector_ids: tuple[int, ...] = ()
    competency_id: int | None = None
    source: LessonSource | None = None
    tag: str = ""
    start: date | None = None
    end: date | None = None

    @property
    def filtered(self) -> bool:
        """Narrowed by a filter (words aside)."""
        return bool(
            self.sector_ids
            or self.competency_id
            or self.source
            or self.tag
            or self.start
            or self.end
        )

    @classmethod
    def of(cls, args: Mapping) -> Search:
        """The search a page or an API call asks for (``q``, ``sector_id`` repeated,
        ``competency_id``, ``source``, ``tag``, ``from``, ``to``), read leniently:
        nonsense in a filter is no filter (the API checks its parameters first)."""
        competency = whole_numbers(args, "competency_id")
        source = args.get("source")
        return cls(
            words=words_of(args.get("q")),
            sector_ids=tuple(whole_numbers(args, "sector_id")),
            competency_id=competency[0] if competency else None,
            source=LessonSource(source) if source in LessonSource._value2member_map_ else None,
            tag=normal_tag(args.get("tag")),
            start=day(args, "from"),
            end=day(args, "to"),
        )


def _row(source: LessonSource, ident, on, title, fiscal_year=None, quarter=None, number=None):
    none = blank(Integer)
    return (
        row_kind(source.value).label("source"),
        ident.label("source_id"),
        on.label("day"),
        title.label("title"),
        (none if fiscal_year is None else fiscal_year).label("fiscal_year"),
        (none if quarter is None else quarter).label("quarter"),
        (none if number is None else number).label("number"),
    )


def _exchanges(user: User, search: Search) -> Select:
    learnt = learnt_rows(scope_exchanges(select(Exchange.id), user)).order_by(None).subquery()
    query = select(*_row(LessonSource.EXCHANGE, learnt.c.id, learnt.c.ends_on, learnt.c.title))
    if search.sector_ids:
        query = query.where(learnt.c.id.in_(in_sectors(search.sector_ids)))
    return query


def _engagements(user: User, search: Search) -> Select:
    query = scope_engagements(
        select(
            *_row(LessonSource.ENGAGEMENT, Engagement.id, Engagement.ended_on, Institution.acronym)
        )
        .join(Institution, Institution.id == Engagement.institution_id)
        .where(Engagement.status == EngagementStatus.CLOSED),
        user,
    )
    if search.sector_ids:
        query = query.where(Engagement.sector_id.in_(search.sector_ids))
    return query


def _reports(user: User, search: Search) -> Select:
    report = PublishedReport
    query = scope_publications(
        select(
            *_row(
                LessonSource.REPORT,
                report.id,
                report.period_end,
                Sector.name,
                report.fiscal_year,
                report.quarter,
                report.number,
            )
        ).join(Sector, Sector.id == report.sector_id),
        user,
    )
    if search.sector_ids:
        query = query.where(report.sector_id.in_(search.sector_ids))
    return query


PARTS = {
    LessonSource.EXCHANGE: _exchanges,
    LessonSource.ENGAGEMENT: _engagements,
    LessonSource.REPORT: _reports,
}


def _texts():
    """``(source, source_id, text)``: every piece of text an entry is searched in, folded
    once here (not once for each word searched), entries out of the reader's scope too
    (the search joins the pieces to the entries it found)."""
    gap = literal_column("' '", String)
    objective = EngagementObjective
    return union_all(
        select(
            row_kind(LessonSource.EXCHANGE.value).label("source"),
            Exchange.id.label("source_id"),
            folded(Exchange.title + gap + Exchange.questions + gap + Exchange.learnt).label("text"),
        ).where(Exchange.learnt != ""),
        select(
            row_kind(LessonSource.EXCHANGE.value),
            exchange_competency.c.exchange_id,
            folded(Competency.short_name),
        ).join(Competency, Competency.id == exchange_competency.c.competency_id),
        select(
            row_kind(LessonSource.ENGAGEMENT.value),
            Engagement.id,
            folded(
                Institution.acronym
                + gap
                + Institution.name
                + gap
                + Engagement.problem
                + gap
                + Engagement.hoped_result
                + gap
                + Engagement.team_can_now
                + gap
                + Engagement.longer_pairing_note
            ),
        )
        .join(Institution, Institution.id == Engagement.institution_id)
        .where(Engagement.status == EngagementStatus.CLOSED),
        select(
            row_kind(LessonSource.ENGAGEMENT.value),
            objective.engagement_id,
            folded(objective.text + gap + objective.outcome_note),
        ),
        select(
            row_kind(LessonSource.REPORT.value),
            PublishedReport.id,
            folded(
                PublishedReport.went_well
                + gap
                + PublishedReport.went_badly
                + gap
                + PublishedReport.next_steps
            ),
        ),
        select(
            cast(LessonTag.source, String),
            LessonTag.source_id,
            folded(func.coalesce(LessonTag.problem, Competency.short_name)),
        ).outerjoin(Competency, Competency.id == LessonTag.competency_id),
    ).subquery("piece")


def _scores(words: tuple[str, ...]):
    """``(source, source_id, score)``: how many of ``words`` each entry's texts hold."""
    piece = _texts()
    text = piece.c.text  # folded
    matched = [func.max(case((text.contains(word, autoescape=True), 1), else_=0)) for word in words]
    return (
        select(
            piece.c.source,
            piece.c.source_id,
            sum(matched[1:], matched[0]).label("score"),
        )
        .group_by(piece.c.source, piece.c.source_id)
        .subquery("score")
    )


def _tagged(entry, *condition):
    return exists().where(
        LessonTag.source == entry.c.source, LessonTag.source_id == entry.c.source_id, *condition
    )


def search_query(user: User, search: Search) -> Select:
    """The entries ``user`` may read that ``search`` finds, best first: rows of ``source,
    source_id, day, title, fiscal_year, quarter, number, score`` (score: how many of the
    words the entry holds; 0 when the search has none, and every entry is found, newest
    first)."""
    kinds = [search.source] if search.source else list(LessonSource)
    entry = union_all(*(PARTS[kind](user, search) for kind in kinds)).subquery("entry")
    if search.words:
        scores = _scores(search.words)
        query = (
            select(entry, scores.c.score)
            .join(
                scores,
                and_(scores.c.source == entry.c.source, scores.c.source_id == entry.c.source_id),
            )
            .where(scores.c.score > 0)
        )
        order = [scores.c.score.desc()]
    else:
        query, order = select(entry, literal_column("0", Integer).label("score")), []
    if search.start:
        query = query.where(entry.c.day >= search.start)
    if search.end:
        query = query.where(entry.c.day <= search.end)
    if search.tag:
        query = query.where(_tagged(entry, LessonTag.problem == search.tag))
    if search.competency_id:
        own = exists().where(
            entry.c.source == LessonSource.EXCHANGE.value,
            exchange_competency.c.exchange_id == entry.c.source_id,
            exchange_competency.c.competency_id == search.competency_id,
        )
        query = query.where(
            or_(own, _tagged(entry, LessonTag.competency_id == search.competency_id))
        )
    return query.order_by(*order, entry.c.day.desc(), entry.c.source, entry.c.source_id.desc())
