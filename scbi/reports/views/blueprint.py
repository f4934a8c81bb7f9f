"""The ``reports`` blueprint, on which each module of this package registers its pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
