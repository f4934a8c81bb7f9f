"""National expert standing (DESIGN.md "Critical mass"), the parts of the rule that pages
share with the critical-mass sweep (scbi.reports.critical_mass).

A mentee of sector S is a national expert when their status counts (active or graduated)
and their current level (scbi.competencies.levels) on every core competency of S is at
least S's expert level; how many core competencies are still below it says how far they
are from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scbi.competencies.levels import Level
from scbi.mentees.models import MenteeStatus

# The statuses under which a mentee counts towards a sector's critical mass.
COUNTING_STATUSES = (MenteeStatus.ACTIVE, MenteeStatus.GRADUATED)


def below_expert(level: int, expert_level: int) -> bool:
    """A current level that does not reach the sector's expert level."""
    return level < expert_level


def core_below_expert(levels: Mapping[int, int], core_ids: Iterable[int], expert_level: int) -> int:
    """How many of the core competencies ``core_ids`` are below ``expert_level``, given the
    mentee's current ``levels`` (competency id -> level; a missing one is at 0). Zero
    means a national expert (when the sector has core competencies)."""
    return sum(1 for c in core_ids if below_expert(levels.get(c, 0), expert_level))


def levels_by_mentee(levels: Mapping[tuple[int, int], Level]) -> dict[int, dict[int, int]]:
    """The answer of :func:`scbi.competencies.levels.current_levels` per mentee:
    ``{mentee_id: {competency_id: level}}``."""
    by_mentee: dict[int, dict[int, int]] = {}
    for (mentee_id, competency_id), found in levels.items():
        by_mentee.setdefault(mentee_id, {})[competency_id] = found.level
    return by_mentee
