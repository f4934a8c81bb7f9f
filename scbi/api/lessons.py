"""The lessons register (docs/lessons.md): the search, with the page's filters and its
order, and the tags of an entry. The secretariat and the coordinators read it, each the
entries whose source they may open; the secretariat tags any entry, a coordinator those of
their sectors. An entry out of reach is a 404."""

from __future__ import annotations

from flask import g, jsonify, request

from scbi.api.blueprint import bp
from scbi.api.docs import component, endpoint
from scbi.api.lists import list_response
from scbi.api.schema import F, Schema, json_body
from scbi.auth.permissions import role_required
from scbi.lessons import services
from scbi.lessons.models import TAG, LessonSource, LessonTag, TagKind
from scbi.lessons.permissions import READERS
from scbi.lessons.queries.entries import Entry, entries, source_url
from scbi.lessons.queries.search import MIN_LENGTH, Search, search_query
from scbi.lessons.queries.tags import entry_or_404, tag_or_404
from scbi.pagination import paginate_rows
from scbi.transaction import commit, commit_with

SOURCES = tuple(s.value for s in LessonSource)
PARTS = 'labelled texts: [{"label", "text"}], in the reader\'s language'

component(
    Schema(
        "LessonTag",
        {
            "id": F("integer", required=True),
            "kind": F("string", required=True, enum=tuple(k.value for k in TagKind)),
            "problem": F("string", nullable=True, required=True),
            "competency_id": F("integer", nullable=True, required=True),
            "label": F("string", required=True, description="the problem, or the competency"),
        },
    )
)
component(
    Schema(
        "LessonEntry",
        {
            "source": F("string", required=True, enum=SOURCES),
            "source_id": F(
                "integer",
                required=True,
                description="the exchange's, engagement's or published report's id",
            ),
            "url": F("string", required=True, description="the source's page on the web"),
            "title": F("string", required=True),
            "detail": F(
                "string",
                required=True,
                description="what the source is, in words: the exchange's kind, the "
                "engagement's institution, the report's version",
            ),
            "start": F("date", nullable=True, required=True),
            "day": F(
                "date",
                required=True,
                description="an exchange's last day, an engagement's close-out, the end "
                "of a report's period",
            ),
            "score": F(
                "integer", required=True, description="how many of the search's words it holds"
            ),
            "sectors": F("array", items="object", required=True, description="[{id, code, name}]"),
            "competencies": F(
                "array",
                items="object",
                required=True,
                description="the source's own: [{id, short_name}]",
            ),
            "tags": F("array", ref="LessonTag", required=True),
            "problem": F("array", items="object", required=True, description=PARTS),
            "lesson": F("array", items="object", required=True, description=PARTS),
        },
    )
)
TagIn = Schema(
    "LessonTagIn",
    {
        "problem": F(
            "string",
            plain_text=True,
            description="a problem in a few words (kept in lower case); or competency_id",
            **TAG["problem"].api(required=False),
        ),
        "competency_id": F(
            "integer",
            nullable=True,
            description="a competency of the entry's sectors' frameworks, or a cross-cutting one",
        ),
    },
)


def tag_json(tag: LessonTag) -> dict:
    return {
        "id": tag.id,
        "kind": tag.kind.value,
        "problem": tag.problem,
        "competency_id": tag.competency_id,
        "label": tag.label,
    }


def entry_json(e: Entry) -> dict:
    return {
        "source": e.source.value,
        "source_id": e.source_id,
        "url": source_url(e),
        "title": e.heading,
        "detail": e.detail,
        "start": e.start.isoformat() if e.start else None,
        "day": e.day.isoformat(),
        "score": e.score,
        "sectors": [{"id": s.id, "code": s.code, "name": s.name} for s in e.sectors],
        "competencies": [{"id": c.id, "short_name": c.short_name} for c in e.competencies],
        "tags": [tag_json(t) for t in e.tags],
        "problem": [{"label": p.label, "text": p.text} for p in e.problem],
        "lesson": [{"label": p.label, "text": p.text} for p in e.lesson],
    }


@bp.get("/lessons")
@endpoint(
    "The lessons register: the entries the caller may read that the search finds, those "
    "holding the most of its words first, then the newest",
    tag="lessons",
    response="LessonEntry",
    list_of=True,
    query=(
        (
            "q",
            "string",
            f"words of a problem (those under {MIN_LENGTH} letters and the commonest are left "
            "out); without any, every entry, newest first",
        ),
        ("sector_id", "integer", "only this sector's entries (repeat it for several)"),
        ("competency_id", "integer", "only the entries tagged with this competency"),
        ("source", F("string", enum=SOURCES, description="only the entries of this source")),
        ("tag", "string", "only the entries with this problem tag"),
        ("from", "date", "only the entries dated on or after this day"),
        ("to", "date", "only the entries dated on or before this day"),
    ),
)
@role_required(*READERS)
def list_lessons():
    page = paginate_rows(search_query(g.api_user, Search.of(request.args)), 50)
    found = {e.key: e for e in entries(page.items)}
    return list_response(
        page, lambda row: entry_json(found[LessonSource(row.source), row.source_id])
    )


@bp.post("/lessons/<source>/<int:source_id>/tags")
@endpoint(
    "Tag an entry with a problem or a competency (the secretariat; a coordinator, the "
    "entries of their sectors); a tag the entry holds already is refused",
    tag="lessons",
    body=TagIn,
    response="LessonTag",
    status=201,
)
@role_required(*READERS)
def add_lesson_tag(source: str, source_id: int):
    entry = entry_or_404(g.api_user, source, source_id)
    tag = services.add_tag(entry, by=g.api_user, **json_body(TagIn))
    return jsonify(commit_with(lambda: tag_json(tag))), 201


@bp.delete("/lesson-tags/<int:lesson_tag_id>")
@endpoint("Take a tag off its entry", tag="lessons", status=204)
@role_required(*READERS)
def remove_lesson_tag(lesson_tag_id: int):
    tag, entry = tag_or_404(g.api_user, lesson_tag_id)
    services.remove_tag(tag, entry, by=g.api_user)
    commit()
    return "", 204
