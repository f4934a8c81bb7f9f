"""What needs a coach or a coordinator now about competencies: reviews asked for."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from scbi.auth.models import Role, User
from scbi.competencies.queries import waiting_reviews
from scbi.needs import Need, needs


@needs.answer
def review_requests(user: User) -> list[Need]:
    """Self-assessments asking for a review, for the mentee's coaches and coordinators."""

    if not user.has_role(Role.COACH, Role.COORDINATOR):
        return []  # picked up by the mentee's coach or the sector's coordinator
    waiting, first = waiting_reviews(user)
    return [
        Need(
            ngettext(
                "%(num)d self-assessment asks for a review",
                "%(num)d self-assessments ask for a review",
                waiting,
            ),
            waiting,
            # one waits: its mentee's page, where it is reviewed; more: the queue of them all
            url_for("competencies.competencies", mentee_id=first, _anchor="reviews-h")
            if waiting == 1
            else url_for("competencies.reviews"),
            _("Review the level with evidence, then record the validated level."),
        )
    ]
