"""The ``endpoint`` decorator: what each API view accepts and answers, for OpenAPI."""

from __future__ import annotations

from dataclasses import dataclass

from scbi.api.schema import Schema


@dataclass(frozen=True)
class Doc:
    summary: str
    tag: str
    body: Schema | None = None
    response: str | None = None  # a schema name in COMPONENTS, or None for no body
    status: int = 200
    errors: tuple[int, ...] = ()
    public: bool = False
    list_of: bool = False
    query: tuple[tuple[str, str, str], ...] = ()  # (name, type, description)
    content_type: str = "application/json"
    # Other successful answers: (status, schema name in COMPONENTS, when it is given)
    also: tuple[tuple[int, str, str], ...] = ()


def endpoint(summary: str, *, tag: str, **kwargs):
    """Attach a :class:`Doc` to a view (the OpenAPI builder reads it off the url map)."""

    def decorator(view):
        view.api_doc = Doc(summary=summary, tag=tag, **kwargs)
        view.public = view.api_doc.public
        return view

    return decorator


COMPONENTS: dict[str, Schema] = {}


def component(schema: Schema) -> Schema:
    """Register a response schema under its name for ``#/components/schemas``."""
    COMPONENTS[schema.name] = schema
    return schema
