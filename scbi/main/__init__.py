"""Each role's home page, with its "what needs me now" panel, and the audit trail."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from scbi.main import views  # noqa: E402, F401
