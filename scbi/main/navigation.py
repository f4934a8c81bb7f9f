"""The navigation bar: each signed-in person sees the pages their roles may open."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from scbi.auth.models import Role
from scbi.templating import may_open

# (endpoint, label, roles): the navigation bar shows each page the user may open (the roles
# its view's role_required names, scbi.templating.may_open); ``roles`` narrows an entry
# further where a page everyone may open is a staff tool in the menu.
STAFF = {Role.SECRETARIAT, Role.COORDINATOR}
NAVIGATION = [
    ("main.home", _l("Home"), None),
    ("programme.overview", _l("Programme"), STAFF),
    ("programme.frameworks_list", _l("Frameworks"), STAFF),
    ("coaches.index", _l("Coaches"), None),
    ("mentees.index", _l("Mentees"), None),
    ("transfer.pairings", _l("Pairings"), None),
    ("transfer.my_logs", _l("My logs"), None),
    ("competencies.my_competencies", _l("My competencies"), None),
    ("transfer.logs_list", _l("Logs"), None),
    ("exchanges.index", _l("Exchanges"), None),
    ("engagements.index", _l("Engagements"), None),
    ("lessons.index", _l("Lessons"), None),
    ("coaches.follow_up", _l("Follow-up"), None),
    ("retention.follow_ups", _l("Retention"), None),
    ("competencies.levels", _l("Levels"), None),
    ("reports.programme", _l("Reports"), None),
    ("partners.index", _l("Partners"), None),
    ("auth.users", _l("Accounts"), None),
    ("main.audit_trail", _l("Audit trail"), None),
    ("notify.outbox_page", _l("Mail"), None),
]


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, label)
        for endpoint, label, roles in NAVIGATION
        if (roles is None or current_user.has_role(*roles)) and may_open(endpoint)
    ]
