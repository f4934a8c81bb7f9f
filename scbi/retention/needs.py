"""What needs a mentee or the secretariat now about the follow-ups after the programme:
the mentee's own follow-up that has fallen due, and the follow-ups overdue. One statement
each, whatever the number of mentees."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from scbi.auth.models import Role, User
from scbi.needs import Need, needs
from scbi.retention.models import FollowUpState
from scbi.retention.queries import overdue_count, own_open_follow_up


@needs.answer
def own_follow_up(user: User) -> list[Need]:
    """The mentee's follow-up due now (at most one at a time), opening its form."""
    if not user.has_role(Role.MENTEE):
        return []
    found = own_open_follow_up(user)
    if found is None:
        return []
    mentee_id, months, state = found
    if state == FollowUpState.OVERDUE:
        title = _("Your %(months)d-month follow-up is overdue", months=months)
    else:
        title = _("Your %(months)d-month follow-up is due", months=months)
    return [
        Need(
            title,
            1,
            url_for("retention.answer", mentee_id=mentee_id, months=months),
            _("Five questions, two minutes: where you work now, and whether you coach others."),
        )
    ]


@needs.answer
def overdue_follow_ups(user: User) -> list[Need]:
    """The secretariat: follow-ups past their answer window."""
    if not user.has_role(Role.SECRETARIAT):
        return []
    count = overdue_count(user)
    return [
        Need(
            ngettext("%(num)d follow-up overdue", "%(num)d follow-ups overdue", count),
            count,
            url_for("retention.follow_ups", state="overdue"),
            _("Call the mentees and record their answers."),
        )
    ]
