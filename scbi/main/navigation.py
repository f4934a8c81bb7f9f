"""The navigation bar: each signed-in person sees the pages their roles may open."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from scbi.auth.models import Role
from scbi.templating import may_open

# (endpoint, label, roles allowed): the navigation bar shows what the user may open.
NAVIGATION = [
    ("main.home", _l("Home"), None),
    ("programme.overview", _l("Programme"), {Role.SECRETARIAT, Role.COORDINATOR}),
    ("programme.frameworks_list", _l("Frameworks"), {Role.SECRETARIAT, Role.COORDINATOR}),
    ("coaches.index", _l("Coaches"), {Role.SECRETARIAT, Role.COORDINATOR}),
    ("mentees.index", _l("Mentees"), {Role.SECRETARIAT, Role.COORDINATOR, Role.COACH}),
    ("transfer.pairings", _l("Pairings"), None),
    ("transfer.my_logs", _l("My logs"), {Role.COACH, Role.MENTEE}),
    ("competencies.my_competencies", _l("My competencies"), {Role.MENTEE}),
    ("transfer.logs_list", _l("Logs"), {Role.SECRETARIAT, Role.COORDINATOR}),
    ("coaches.follow_up", _l("Follow-up"), {Role.SECRETARIAT, Role.COORDINATOR}),
    ("retention.follow_ups", _l("Retention"), {Role.SECRETARIAT, Role.COORDINATOR}),
    ("competencies.levels", _l("Levels"), {Role.SECRETARIAT, Role.COORDINATOR}),
    ("reports.programme", _l("Reports"), {Role.SECRETARIAT, Role.COORDINATOR, Role.PARTNER}),
    ("partners.index", _l("Partners"), {Role.SECRETARIAT}),
    ("auth.users", _l("Accounts"), {Role.SECRETARIAT}),
    ("main.audit_trail", _l("Audit trail"), {Role.SECRETARIAT}),
    ("notify.outbox_page", _l("Mail"), {Role.SECRETARIAT}),
]


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [
        (endpoint, label)
        for endpoint, label, roles in NAVIGATION
        if (roles is None or current_user.has_role(*roles)) and may_open(endpoint)
    ]
