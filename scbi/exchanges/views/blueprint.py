"""The ``exchanges`` blueprint, on which each module of this package registers its pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exchanges", __name__)
