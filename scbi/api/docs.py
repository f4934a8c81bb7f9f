"""The ``endpoint`` decorator: what each API view accepts and answers, for OpenAPI.

One declaration serves the document and the checks: the query parameters a view declares
are checked before it runs (422 naming the parameter), and the error answers an operation
documents are derived from what the view can really answer (:meth:`Doc.statuses`), so the
document cannot promise less than the code does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import wraps

from flask import g, request
from flask_babel import gettext as _

from scbi.api.schema import MAX_ID, F, Schema
from scbi.auth.models import Role
from scbi.auth.permissions import require_roles
from scbi.errors import ValidationFailed
from scbi.validation import EARLIEST_DATE, LATEST_DATE

MAX_QUERY_TEXT = 200  # a search or filter value longer than this is a typo or an attack


def day(description: str) -> F:
    """A date query parameter: YYYY-MM-DD within the programme's calendar."""
    return F("date", min=EARLIEST_DATE, max=LATEST_DATE, description=description)


ON = day("The day the figures are read at; default today.")


@dataclass(frozen=True)
class Doc:
    summary: str
    tag: str
    body: Schema | None = None
    response: str | None = None  # a schema name in COMPONENTS, or None for no body
    status: int = 200
    errors: tuple[int, ...] = ()  # answers beyond the derived ones (e.g. 409 transitions)
    public: bool = False
    list_of: bool = False  # the paginated envelope {items, page, per_page, total}: ?page=
    # and ?per_page= are read leniently (scbi.pagination), so they are documented apart
    array_of: bool = False  # a bare JSON array of ``response``
    # (name, type, description) with type "string", "integer" or "date", or (name, F(...))
    query: tuple[tuple, ...] = ()
    content_type: str = "application/json"
    # Other successful answers: (status, schema name in COMPONENTS, when it is given)
    also: tuple[tuple[int, str, str], ...] = ()
    alternatives: tuple[str, ...] = ()  # other media types of the answer (``?format=``)
    uploads: tuple[str, ...] = ()  # a file instead of JSON: "multipart/form-data", "text/csv"

    def query_fields(self) -> dict[str, F]:
        fields: dict[str, F] = {}
        for name, kind, *description in self.query:
            if isinstance(kind, F):
                fields[name] = kind
            elif kind == "date":
                fields[name] = day(description[0])
            elif kind == "integer":  # an id to filter by
                fields[name] = F(kind, min=1, max=MAX_ID, description=description[0])
            else:
                fields[name] = F(
                    kind, max_length=MAX_QUERY_TEXT, plain_text=True, description=description[0]
                )
        return fields

    def statuses(self, *, path_ids: bool, roles) -> set[int]:
        """Every error status the operation can answer: 401 without a token; 403 when the
        role decorator admits only some roles, or for an account that must change its
        password; 404 for a record named in the path, and for a development partner's
        account on an operation not for partners; 400, 413
        and 422 for a body or an upload; 409 for a versioned write; 422 for query
        parameters."""

        derived = set(self.errors)
        if not self.public:
            # no valid token: 401; an account that must first choose a new password: 403
            derived |= {401, 403}
        if roles and set(roles) != set(Role):
            derived.add(403)
        if path_ids or (roles and Role.PARTNER not in roles):
            derived.add(404)
        if self.body is not None or self.uploads:
            derived |= {400, 413, 422}
        if self.body is not None and "version" in self.body.fields:
            derived.add(409)
        if self.query_fields():
            derived.add(422)
        return derived


def check_query(fields: Mapping[str, F], args) -> dict:
    """The declared query parameters of ``args``, checked (absent ones left out); raises
    ValidationFailed naming each bad one."""
    values, problems = {}, {}
    for name, spec in fields.items():
        raw = args.get(name)
        if raw is None:  # given empty (``?to=``), a value is checked like any other
            if spec.required:
                problems[name] = [_("This parameter is required.")]
            continue
        errors: list[str] = []
        value = spec.clean_text(raw, errors)
        if errors:
            problems[name] = errors
        else:
            values[name] = value
    if problems:
        raise ValidationFailed(fields=problems)
    return values


def endpoint(summary: str, *, tag: str, **kwargs):
    """Attach a :class:`Doc` to a view (the OpenAPI builder reads it off the url map) and
    check its declared query parameters once the caller's role is admitted."""

    def decorator(view):
        doc = Doc(summary=summary, tag=tag, **kwargs)
        fields = doc.query_fields()
        if not fields:
            checked = view
        else:

            @wraps(view)
            def checked(*args, **kw):

                if roles := getattr(view, "roles", None):
                    require_roles(roles)  # a refused role hears 403 before any 422
                g.query = check_query(fields, request.args)  # the values, typed
                return view(*args, **kw)

        checked.api_doc = doc
        checked.public = doc.public
        return checked

    return decorator


COMPONENTS: dict[str, Schema] = {}


def component(schema: Schema) -> Schema:
    """Register a response schema under its name for ``#/components/schemas``."""
    COMPONENTS[schema.name] = schema
    return schema
