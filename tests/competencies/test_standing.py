"""National expert standing (scbi.competencies.standing): who counts, and how many core
competencies are still below the expert level."""

from __future__ import annotations

from scbi.competencies.levels import Level
from scbi.competencies.standing import (
    COUNTING_STATUSES,
    below_expert,
    core_below_expert,
    levels_by_mentee,
)
from scbi.mentees.models import MenteeStatus


def test_active_and_graduated_mentees_count():
    """Withdrawn mentees and those who left the public service never count."""
    assert set(COUNTING_STATUSES) == {MenteeStatus.ACTIVE, MenteeStatus.GRADUATED}


def test_the_expert_level_itself_is_not_below():
    assert below_expert(2, 3) and not below_expert(3, 3) and not below_expert(4, 3)


def test_core_below_expert_counts_missing_levels_as_zero():
    """A core competency with no level yet is at 0, so below any expert level above 0."""
    levels = {1: 3, 2: 2}
    assert core_below_expert(levels, [1, 2, 3], 3) == 2
    assert core_below_expert(levels, [1], 3) == 0
    assert core_below_expert({}, [], 3) == 0


def test_levels_by_mentee_groups_the_level_rule_answer():
    found = {
        (10, 1): Level(3, "assessment"),
        (10, 2): Level(1, "baseline"),
        (11, 1): Level(2, "assessment"),
    }
    assert levels_by_mentee(found) == {10: {1: 3, 2: 1}, 11: {1: 2}}
