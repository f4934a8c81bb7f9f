"""What needs someone now about short engagements: the requests waiting for a broker (the
secretariat; coordinators, their sectors') and the close-outs due — an active engagement
whose span has ended (the secretariat, the sector's coordinators, the brokered coach).
One statement for both, whatever the number of engagements."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from scbi.auth.models import Role, User
from scbi.engagements.models import EngagementStatus
from scbi.engagements.permissions import can_record_requests
from scbi.engagements.queries import DUE, queue_counts
from scbi.needs import Need, needs, opening


def _page(engagement_id: int) -> str:
    return url_for("engagements.detail", engagement_id=engagement_id)


@needs.answer
def engagement_queues(user: User) -> list[Need]:
    manager = can_record_requests(user)
    if not (manager or user.has_role(Role.COACH)):
        return []
    (waiting, a_request), (due, a_due) = queue_counts(user)
    found = []
    if manager:  # a coach is brokered, never brokers
        found.append(
            Need(
                ngettext(
                    "%(num)d request waiting for a broker",
                    "%(num)d requests waiting for a broker",
                    waiting,
                ),
                waiting,
                opening(
                    a_request,
                    _page,
                    url_for("engagements.index", status=EngagementStatus.REQUESTED.value),
                ),
                _("Broker a coach or an external expert for a few weeks, or decline it."),
            )
        )
    found.append(
        Need(
            ngettext("%(num)d close-out due", "%(num)d close-outs due", due),
            due,
            opening(a_due, _page, url_for("engagements.index", status=DUE)),
            _("The engagement's weeks are over: record the outcome of each objective."),
        )
    )
    return found
