"""The assessment rules of scbi.competencies.permissions: who may assess, validate and
settle review requests, given the assessor role the user holds for the mentee."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scbi.competencies.models import AssessorRole, ReviewStatus
from scbi.competencies.permissions import (
    can_assess,
    can_pick_up_review,
    can_request_review,
    can_resolve_review,
    can_validate,
    is_open_review,
    is_self_assessment,
)

ROLES = [None, *AssessorRole]
VALIDATORS = {AssessorRole.COACH, AssessorRole.COORDINATOR, AssessorRole.SECRETARIAT}


def assessment(status: ReviewStatus):
    return SimpleNamespace(review_status=status)


@pytest.mark.parametrize("role", ROLES)
def test_who_assesses_and_who_validates(role):
    """Anyone with an assessor role assesses; every role but the mentee's own validates;
    only a self-assessment asks for a review."""
    assert can_assess(role) is (role is not None)
    assert can_validate(role) is (role in VALIDATORS)
    assert is_self_assessment(role) is (role == AssessorRole.SELF)
    assert can_request_review(role) is (role == AssessorRole.SELF)


@pytest.mark.parametrize("status", list(ReviewStatus))
def test_open_reviews_are_waiting_or_in_review(status):
    """A review request is open until a validated level resolves it."""
    assert is_open_review(assessment(status)) is (
        status in (ReviewStatus.WAITING, ReviewStatus.IN_REVIEW)
    )


@pytest.mark.parametrize("status", list(ReviewStatus))
@pytest.mark.parametrize("role", ROLES)
def test_picking_up_and_resolving_reviews(role, status):
    """A validator picks up a waiting request and resolves any open one; the mentee and
    someone who may not assess do neither."""
    a = assessment(status)
    validator = role in VALIDATORS
    assert can_pick_up_review(role, a) is (validator and status == ReviewStatus.WAITING)
    assert can_resolve_review(role, a) is (
        validator and status in (ReviewStatus.WAITING, ReviewStatus.IN_REVIEW)
    )
