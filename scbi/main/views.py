"""Each role's home page, with its "what needs me now" panel, and the audit trail."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from scbi.audit import AuditEvent
from scbi.auth.models import Role
from scbi.auth.permissions import role_required
from scbi.coaches.models import Coach
from scbi.extensions import db
from scbi.main.navigation import navigation
from scbi.mentees.models import Mentee
from scbi.needs import needs_for
from scbi.pagination import paginate
from scbi.transfer.models import Pairing
from scbi.transfer.queries import pairing_progress

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Each role's home: what needs the user now, and a coach's or mentee's own pairings."""
    pairings = []
    if current_user.has_role(Role.COACH, Role.MENTEE):
        own = (
            select(Pairing)
            .where(Pairing.status.in_(["active", "paused"]))
            .where(
                Pairing.coach_id.in_(select(Coach.id).where(Coach.user_id == current_user.id))
                | Pairing.mentee_id.in_(select(Mentee.id).where(Mentee.user_id == current_user.id))
            )
        )
        pairings = db.session.scalars(own.order_by(Pairing.start_date)).all()
    return render_template(
        "main/home.html",
        needs=needs_for(current_user),
        pairings=pairings,
        progress=pairing_progress([p.id for p in pairings]),
    )


@bp.route("/audit")
@role_required(Role.SECRETARIAT)
def audit_trail():
    action = (request.args.get("action") or "").strip()
    actor = (request.args.get("actor") or "").strip().lower()
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    if actor:
        query = query.where(AuditEvent.actor_email.contains(actor, autoescape=True))
    page = paginate(query, default_per_page=50)
    return render_template("main/audit.html", page=page, action=action, actor=actor)


@bp.app_context_processor
def shell():
    """What the page shell (base.html) needs on every page: the navigation bar."""
    return {"navigation": navigation, "Role": Role}
