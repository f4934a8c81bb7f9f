"""Tagging the register's entries (docs/lessons.md "Tags"): a problem in a few words, or a
competency, added and removed by the secretariat and by the coordinators of the entry's
sectors, each change audited.

Refused, naming the field: a tag with neither a problem nor a competency, or with both; a
problem too long or with control characters; a competency outside the entry's sectors'
frameworks (and the cross-cutting ones); a tag the entry holds already.
"""

from __future__ import annotations

from flask_babel import gettext as _

from scbi import audit
from scbi.auth.models import User
from scbi.exchanges.queries.choices import competencies_of
from scbi.extensions import db
from scbi.lessons.models import TAG, LessonTag
from scbi.lessons.permissions import require_tagger
from scbi.lessons.queries.entries import Entry
from scbi.lessons.queries.search import normal_tag
from scbi.programme.models import Competency
from scbi.validation import Errors

FIELDS = ("source", "source_id", "problem", "competency_id")


def _competency(errors: Errors, entry: Entry, value) -> int | None:
    ident = errors.integer("competency_id", value, min_value=1, required=False)
    if ident is None or "competency_id" in errors.fields:
        return None
    offered = competencies_of(entry.sector_ids).where(Competency.id == ident)
    if db.session.scalar(offered.with_only_columns(Competency.id)) is None:
        errors.add(
            "competency_id",
            _(
                "Choose a competency of the frameworks of the entry's sectors, or a "
                "cross-cutting one."
            ),
        )
        return None
    return ident


def add_tag(entry: Entry, *, by: User, problem=None, competency_id=None) -> LessonTag:
    """Tag ``entry`` with a problem (kept in lower case, single spaces) or a competency."""
    require_tagger(by, entry.sector_ids)
    errors = Errors()
    problem = normal_tag(errors.text("problem", problem, **TAG["problem"].check(required=False)))
    competency = _competency(errors, entry, competency_id)
    errors.raise_if_any()
    if problem and competency:
        errors.add("problem", _("A tag is a problem or a competency, not both: add them apart."))
    elif not problem and not competency:
        errors.add("problem", _("Name the problem in a few words, or choose a competency."))
    else:
        held = entry.tag_like(problem, competency)
        if held is not None:
            field = "problem" if problem else "competency_id"
            errors.add(field, _("The entry is tagged “%(tag)s” already.", tag=held.label))
    errors.raise_if_any()
    tag = LessonTag(
        source=entry.source,
        source_id=entry.source_id,
        problem=problem or None,
        competency_id=competency,
        added_by_id=by.id,
    )
    return audit.add_created(tag, *FIELDS, by=by, action="lesson.tag_add")


def remove_tag(tag: LessonTag, entry: Entry, *, by: User) -> None:
    """Take ``tag`` off its ``entry``."""
    require_tagger(by, entry.sector_ids)
    audit.record("lesson.tag_remove", by=by, entity=tag, before=audit.snapshot(tag, *FIELDS))
    db.session.delete(tag)
    db.session.flush()
