"""The API's list envelope: ``{"items", "page", "per_page", "total"}``."""

from __future__ import annotations

from collections.abc import Callable

from flask import jsonify
from sqlalchemy import Select

from scbi.pagination import paginate


def list_response(query: Select, serialise: Callable, default_per_page: int = 50):
    page = paginate(query, default_per_page=default_per_page)
    return jsonify(
        items=[serialise(item) for item in page.items],
        page=page.page,
        per_page=page.per_page,
        total=page.total,
    )
