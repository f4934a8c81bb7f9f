"""Who may do what with assessments: pure rules, no queries.

Each rule takes the *assessor role* the acting user holds for the mentee concerned
(:func:`scbi.competencies.services.assessor_role`: ``self`` for the mentee, ``coach``,
``coordinator`` or ``secretariat`` for a validator), or None when the user may not assess
that mentee. Finding that role needs a query (does the user coach the mentee?), so the
page asks it once and every rule below reads it.
"""

from __future__ import annotations

from scbi.competencies.models import Assessment, AssessorRole, ReviewStatus

# Validated assessments: every assessor but the mentee themself.
VALIDATORS = (AssessorRole.COACH, AssessorRole.COORDINATOR, AssessorRole.SECRETARIAT)
# A review request still to settle: asked for, or picked up by a validator.
OPEN_REVIEWS = (ReviewStatus.WAITING, ReviewStatus.IN_REVIEW)


def can_assess(role: AssessorRole | None) -> bool:
    """Record an assessment of the mentee (their own, or a validated one)."""
    return role is not None


def is_self_assessment(role: AssessorRole | None) -> bool:
    """The user assesses themself: the level is shown, never counted."""
    return role == AssessorRole.SELF


def can_validate(role: AssessorRole | None) -> bool:
    """Record a validated level, and settle review requests: a validator of the mentee."""
    return role in VALIDATORS


def can_request_review(role: AssessorRole | None) -> bool:
    """Ask for a review with the assessment: only a self-assessment asks."""
    return is_self_assessment(role)


def is_open_review(assessment: Assessment) -> bool:
    """A self-assessment's review request that no validated level has settled yet."""
    return assessment.review_status in OPEN_REVIEWS


def can_pick_up_review(role: AssessorRole | None, assessment: Assessment) -> bool:
    """Take a review request that is waiting: a validator of the mentee."""
    return can_validate(role) and assessment.review_status == ReviewStatus.WAITING


def can_resolve_review(role: AssessorRole | None, assessment: Assessment) -> bool:
    """Settle an open review request by recording the validated level: a validator."""
    return can_validate(role) and is_open_review(assessment)
