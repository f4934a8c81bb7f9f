"""What needs a coach or a coordinator now about competencies: reviews asked for."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi.auth.models import Role, User
from scbi.competencies.models import Assessment, ReviewStatus
from scbi.extensions import db
from scbi.mentees.models import Mentee
from scbi.mentees.queries import scope_mentees
from scbi.needs import Need, needs


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


@needs.answer
def review_requests(user: User) -> list[Need]:
    """Self-assessments asking for a review, for the mentee's coaches and coordinators."""

    if not user.has_role(Role.COACH, Role.COORDINATOR):
        return []  # picked up by the mentee's coach or the sector's coordinator
    visible = scope_mentees(select(Mentee.id), user)
    waiting = _count(
        select(Assessment.id).where(
            Assessment.mentee_id.in_(visible),
            Assessment.review_status == ReviewStatus.WAITING.value,
        )
    )
    first = db.session.scalar(
        select(Assessment.mentee_id)
        .where(
            Assessment.mentee_id.in_(visible),
            Assessment.review_status == ReviewStatus.WAITING.value,
        )
        .limit(1)
    )
    return [
        Need(
            ngettext(
                "%(num)d self-assessment asks for a review",
                "%(num)d self-assessments ask for a review",
                waiting,
            ),
            waiting,
            url_for("competencies.competencies", mentee_id=first) if first else "#",
            _("Review the level with evidence, then record the validated level."),
        )
    ]
