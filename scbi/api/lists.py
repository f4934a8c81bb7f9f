"""The API's list envelope: ``{"items", "page", "per_page", "total"}``, and ``next`` (the
cursor of the following page, or null) for the lists paged by key."""

from __future__ import annotations

from collections.abc import Callable

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import Select

from scbi.errors import ValidationFailed
from scbi.pagination import NumberedPage, paginate


def list_response(query, serialise: Callable, default_per_page: int = 50):
    """The envelope of ``query``'s page, or of a page already read (``paginate``'s, or a
    NumberedPage, whose ``total`` stops at ``scbi.pagination.CAP``)."""
    page = paginate(query, default_per_page) if isinstance(query, Select) else query
    envelope = {
        "items": [serialise(item) for item in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }
    if isinstance(query, NumberedPage) and query.next is not None:
        envelope["next"] = query.next
    return jsonify(envelope)


def int_arg(name: str) -> int | None:
    """An integer query parameter; 422 when it is present but not an integer."""

    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
        if abs(value) > 2**31 - 1:
            raise ValueError
        return value
    except ValueError:
        raise ValidationFailed(fields={name: [_("Must be a whole number.")]}) from None
