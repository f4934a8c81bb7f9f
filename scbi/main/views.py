"""Each role's home page, with its "what needs me now" panel, and the audit trail."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.main import queries
from scbi.main.navigation import navigation
from scbi.needs import needs_for
from scbi.pagination import paginate
from scbi.transfer.permissions import is_coach_of
from scbi.transfer.queries import own_open_pairings, pairing_progress

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Each role's home: what needs the user now, and a coach's or mentee's own pairings."""
    pairings = []
    if current_user.has_role(Role.COACH, Role.MENTEE):
        pairings = own_open_pairings(current_user)
    return render_template(
        "main/home.html",
        needs=needs_for(current_user),
        pairings=pairings,
        coaching={p.id for p in pairings if is_coach_of(current_user, p)},
        progress=pairing_progress([p.id for p in pairings]),
    )


@bp.route("/audit")
@role_required(Role.SECRETARIAT)
def audit_trail():
    action, actor = queries.audit_filters(request.args)
    page = paginate(queries.audit_events(request.args), default_per_page=50)
    return render_template("main/audit.html", page=page, action=action, actor=actor)


@bp.route("/sw.js")
def service_worker():
    """The service worker (scbi/static/js/sw.js), at the site's root so that it may keep
    any page: never cached by the browser, so a new release takes over at once."""
    script = Path(current_app.static_folder, "js", "sw.js").read_bytes()
    response = current_app.response_class(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.app_context_processor
def shell():
    """What the page shell (base.html) needs on every page: the navigation bar."""
    return {"navigation": navigation}
