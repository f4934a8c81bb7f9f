"""One entry and its tags: the scoped loaders (an entry the reader may not see, or a record
that is no entry — an exchange whose learning is not recorded, an engagement not closed —
looks like a missing one), and what the forms offer."""

from __future__ import annotations

from sqlalchemy import select, union_all
from wtforms.fields.choices import SelectChoice

from scbi.auth.models import User
from scbi.errors import NotFound
from scbi.exchanges.models import exchange_competency
from scbi.exchanges.queries.choices import competency_choices
from scbi.extensions import db
from scbi.lessons.models import LessonSource, LessonTag
from scbi.lessons.queries.entries import Entry, entries
from scbi.lessons.queries.search import Search, search_query
from scbi.loaders import hidden
from scbi.programme.models import Competency

# The table an entry's 404 names (the audit's access.denied), by source.
TABLES = {
    LessonSource.EXCHANGE: "exchange",
    LessonSource.ENGAGEMENT: "engagement",
    LessonSource.REPORT: "published_report",
}


def entry_or_404(user: User, source: str, source_id: int) -> Entry:
    """The entry of ``source`` (its kind's value) ``source_id``, if ``user`` may read it."""
    if source not in LessonSource._value2member_map_:
        raise NotFound  # no kind of entry: nothing was asked for
    kind = LessonSource(source)
    query = search_query(user, Search(source=kind))
    entry = query.selected_columns
    row = db.session.execute(query.where(entry.source_id == source_id)).first()
    if row is None:
        raise hidden(TABLES[kind], source_id)
    return entries([row])[0]


def tag_or_404(user: User, tag_id: int) -> tuple[LessonTag, Entry]:
    """A tag and its entry, if ``user`` may read the entry."""
    tag = db.session.get(LessonTag, tag_id)
    if tag is None:
        raise hidden("lesson_tag", tag_id)
    try:
        return tag, entry_or_404(user, tag.source.value, tag.source_id)
    except NotFound:
        raise hidden("lesson_tag", tag_id) from None


def problem_tags(user: User) -> list[str]:
    """The problem tags of the entries ``user`` may read, in alphabetical order: the
    register's filter, and what the tag form suggests."""
    found = search_query(user, Search()).order_by(None).subquery()
    return list(
        db.session.scalars(
            select(LessonTag.problem)
            .join(
                found,
                (found.c.source == LessonTag.source) & (found.c.source_id == LessonTag.source_id),
            )
            .where(LessonTag.problem.is_not(None))
            .distinct()
            .order_by(LessonTag.problem)
        )
    )


def register_competencies(user: User, empty: str) -> list[SelectChoice]:
    """The competencies the entries ``user`` may read are tagged with (by a tag, or an
    exchange's own), by name: the register's competency filter (a coordinator is offered
    none that would find only other sectors' entries)."""
    found = search_query(user, Search()).order_by(None).subquery()
    exchanges = select(found.c.source_id).where(found.c.source == LessonSource.EXCHANGE.value)
    tags = select(LessonTag.competency_id).join(
        found, (found.c.source == LessonTag.source) & (found.c.source_id == LessonTag.source_id)
    )
    tagged = union_all(
        select(exchange_competency.c.competency_id.label("id")).where(
            exchange_competency.c.exchange_id.in_(exchanges)
        ),
        tags.where(LessonTag.competency_id.is_not(None)),
    ).subquery()
    rows = db.session.execute(
        select(Competency.id, Competency.short_name)
        .where(Competency.id.in_(select(tagged.c.id)))
        .order_by(Competency.short_name)
    )
    return [SelectChoice("", empty)] + [SelectChoice(i, name) for i, name in rows]


def tag_competency_choices(entry: Entry, empty: str) -> list[SelectChoice]:
    """The competencies a tag of ``entry`` may name: those of its sectors' frameworks and
    the cross-cutting ones, grouped by framework."""
    return [SelectChoice("", empty), *competency_choices(entry.sector_ids)]
