"""The read side of pairings, plans, logs and evidence: who sees what and the scoped
loaders (``scope``), and the lists, choices and figures of the pages (``pairings``,
``plans``, ``logs``, ``activity``), aggregated in SQL: one query whatever the page size.

Importing the package registers its answers to the hooks of coaches and mentees.
"""

from __future__ import annotations

from scbi.transfer.queries.activity import SILENT_DAYS, coach_activity, is_silent
from scbi.transfer.queries.logs import (
    api_log_list,
    filtered_logs,
    last_log,
    log_competency_choices,
    log_evidence,
    log_list,
    own_logs,
    pairing_logs,
    recent_logs,
    waiting_logs,
)
from scbi.transfer.queries.pairings import (
    active_pairing_counts,
    active_pairings_per_sector,
    api_pairing_list,
    coach_choices,
    counted_logs,
    mentee_choices,
    mentee_defaults,
    own_open_pairings,
    pairing_list,
    pairing_list_status,
    pairing_progress,
    pairings_of,
)
from scbi.transfer.queries.plans import (
    allowed_competencies,
    approved_plan,
    competency_choices,
    open_plan,
    other_versions,
    pairing_plans,
    plan_competency_ids,
    plan_list,
    result_choices,
)
from scbi.transfer.queries.scope import (
    coachees,
    evidence_or_404,
    log_or_404,
    own_coaches,
    pairing_or_404,
    plan_or_404,
    scope_pairings,
    visible_logs,
)

__all__ = [
    "SILENT_DAYS",
    "active_pairing_counts",
    "active_pairings_per_sector",
    "allowed_competencies",
    "api_log_list",
    "api_pairing_list",
    "approved_plan",
    "coach_activity",
    "coach_choices",
    "coachees",
    "competency_choices",
    "counted_logs",
    "evidence_or_404",
    "filtered_logs",
    "is_silent",
    "last_log",
    "log_competency_choices",
    "log_evidence",
    "log_list",
    "log_or_404",
    "mentee_choices",
    "mentee_defaults",
    "open_plan",
    "other_versions",
    "own_coaches",
    "own_logs",
    "own_open_pairings",
    "pairing_list",
    "pairing_list_status",
    "pairing_logs",
    "pairing_or_404",
    "pairing_plans",
    "pairing_progress",
    "pairings_of",
    "plan_competency_ids",
    "plan_list",
    "plan_or_404",
    "recent_logs",
    "result_choices",
    "scope_pairings",
    "visible_logs",
    "waiting_logs",
]
