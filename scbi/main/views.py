"""Each role's home page, with its "what needs me now" panel, and the audit trail and its
CSV file."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.downloads import send_download
from scbi.errors import ValidationFailed
from scbi.main import queries
from scbi.main.audit_links import record_label, record_type_choices, record_url
from scbi.main.navigation import navigation
from scbi.needs import needs_for
from scbi.reports.access import visible_sectors
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
    # a development partner's home: the reports of the sectors its partner funds
    funded = visible_sectors(current_user) if current_user.has_role(Role.PARTNER) else None
    return render_template(
        "main/home.html",
        funded=funded,
        needs=needs_for(current_user),
        pairings=pairings,
        coaching={p.id for p in pairings if is_coach_of(current_user, p)},
        progress=pairing_progress([p.id for p in pairings]),
    )


@bp.route("/audit")
@role_required(Role.SECRETARIAT)
def audit_trail():
    """The audit trail, filtered by the GET parameters (scbi.main.queries.audit_filters)."""
    return _audit_page()


@bp.route("/audit.csv")
@role_required(Role.SECRETARIAT)
def audit_csv():
    """The filtered events as a CSV file; refused filters show the page with their errors."""
    try:
        filters = queries.audit_filters(request.args)
    except ValidationFailed as refused:
        return _audit_page(refused.fields)
    return send_download(queries.audit_csv(filters))


def _audit_page(errors: dict | None = None):
    """The trail's page: a refused filter is shown beside its field with the input kept,
    and no events (422)."""
    page = None
    if not errors:
        try:
            page = queries.audit_page(queries.audit_filters(request.args))
        except ValidationFailed as refused:
            errors = refused.fields
    return render_template(
        "main/audit.html",
        page=page,
        errors=errors or {},
        args=request.args,
        actions=queries.audit_actions(),
        entity_types=record_type_choices(queries.audit_entity_types()),
        changes=queries.changes,
        record_label=record_label,
        record_url=record_url,
    ), (422 if errors else 200)


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
