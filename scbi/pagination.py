"""Paging for lists: one COUNT and one page query, whatever the table size."""

from __future__ import annotations

from flask import request
from sqlalchemy import Select

from scbi.extensions import db

MAX_PER_PAGE = 200


def page_args(default_per_page: int = 25) -> tuple[int, int]:
    """``?page=`` and ``?per_page=`` read leniently: nonsense falls back to the defaults."""
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default_per_page, type=int) or default_per_page
    return min(max(page, 1), 10**6), min(max(per_page, 1), MAX_PER_PAGE)


def paginate(query: Select, default_per_page: int = 25):
    page, per_page = page_args(default_per_page)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
