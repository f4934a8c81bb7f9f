"""Accounts, sign-in, roles and permissions."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from scbi.auth import user_views, views  # noqa: E402, F401  (routes register on bp)
