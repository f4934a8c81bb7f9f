"""Choosing core competencies on purpose: the flags proposed for an imported file, the
bulk selections of the core forms (the import preview and the framework page), the day a
change takes effect and the warning when the expert rule asks for too many.

Core flags decide the programme's headline number (DESIGN.md "Critical mass": a national
expert reaches the sector's expert level on *every* core competency), so nothing here
stores anything: these rules propose, select and warn; ``frameworks.set_core`` stores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from scbi.errors import ValidationFailed
from scbi.extensions import db
from scbi.programme.models import Competency, CompetencyFramework, Sector
from scbi.programme.rules import effective_date
from scbi.validation import Errors

# More core competencies than this in one sector is almost never meant (OECD lists 15
# competencies *with* their behavioural indicators as 44 leaves): the forms warn.
EXPERT_RULE_LIMIT = 12

_LEVEL_NAME = re.compile(r"level\s*\d+", re.IGNORECASE)  # the whole name: "Level 1", "level 2"
_LEVEL_PREFIX = re.compile(r"level\s*\d+\b", re.IGNORECASE)  # "Level 3 — Independent"


@dataclass(frozen=True)
class Node:
    """One competency as the core forms show it. ``key`` is what its checkbox sends: the
    idnumber in an import preview (nothing has an id yet), the id on the framework page."""

    key: str
    idnumber: str
    name: str
    depth: int  # 1 = top level
    leaf: bool
    parent: str = ""  # the parent's key, "" at the top


def is_level_name(name: str) -> bool:
    """Rule: a name that is only "Level N" (any case, N a number) names a level."""
    return _LEVEL_NAME.fullmatch(name.strip()) is not None


def level_descriptors(nodes: Iterable[Node]) -> set[str]:
    """Rule: a leaf is a level descriptor, not a competency, when its name is "Level N",
    or when every child of its parent is named "Level N…" (e.g. "Level 1 — Aware",
    "Level 2 — Assisted": the levels of the competency above them)."""
    nodes = list(nodes)
    siblings: dict[str, list[Node]] = {}
    for node in nodes:
        siblings.setdefault(node.parent, []).append(node)
    found = set()
    for node in nodes:
        if not node.leaf:
            continue
        if is_level_name(node.name) or all(
            _LEVEL_PREFIX.match(other.name.strip()) for other in siblings[node.parent]
        ):
            found.add(node.key)
    return found


def propose_core(
    nodes: Iterable[Node],
    *,
    from_file: dict[str, bool] | None = None,
    current: dict[str, bool] | None = None,
) -> set[str]:
    """The keys proposed core. Rules, in order: a ``core`` value in the file is honoured
    as given; a competency that exists already keeps its flag (a re-import); otherwise
    leaves are core except level descriptors, and competencies with children are not."""
    nodes = list(nodes)
    from_file, current = from_file or {}, current or {}
    descriptors = level_descriptors(nodes)
    proposed = set()
    for node in nodes:
        if node.key in from_file:
            core = from_file[node.key]
        elif node.key in current:
            core = current[node.key]
        else:
            core = node.leaf and node.key not in descriptors
        if core:
            proposed.add(node.key)
    return proposed


# --- bulk selection ------------------------------------------------------------------------

SELECTIONS = (
    "tick-search",
    "untick-search",
    "tick-depth",
    "untick-depth",
    "tick-leaves",
    "untick-leaves",
    "none",
)


def depths(nodes: Iterable[Node]) -> list[tuple[int, int]]:
    """(depth, number of competencies at it), top level first, for the depth choice."""
    counts: dict[int, int] = {}
    for node in nodes:
        counts[node.depth] = counts.get(node.depth, 0) + 1
    return sorted(counts.items())


def matching(nodes: Iterable[Node], selection: str, *, depth=None, search: str = "") -> set[str]:
    """The keys a bulk selection is about (refused with the field to fill in)."""
    nodes = list(nodes)
    target = selection.partition("-")[2]
    if target == "search":
        needle = (search or "").strip().casefold()
        if not needle:
            raise ValidationFailed(
                fields={"search": [_("Type part of a name or ID number to search for.")]}
            )
        return {
            n.key for n in nodes if needle in n.name.casefold() or needle in n.idnumber.casefold()
        }
    if target == "depth":
        if depth is None:
            raise ValidationFailed(fields={"depth": [_("Choose a depth in the tree.")]})
        return {n.key for n in nodes if n.depth == depth}
    if target == "leaves":
        return {n.key for n in nodes if n.leaf}
    return {n.key for n in nodes}  # "none": everything is unticked


def apply_selection(
    nodes: Iterable[Node], ticked: Iterable[str], selection: str, *, depth=None, search: str = ""
) -> tuple[set[str], int]:
    """The ticks after a bulk selection (nothing is saved) and how many competencies it
    was about. ``tick-…`` adds the matching ones, ``untick-…`` and ``none`` remove them;
    every other tick stays as it was."""
    if selection not in SELECTIONS:
        raise ValidationFailed(fields={"selection": [_("Choose one of the selection buttons.")]})
    nodes = list(nodes)
    keys = {n.key for n in nodes}
    ticked = set(ticked) & keys
    matched = matching(nodes, selection, depth=depth, search=search)
    if selection.startswith("tick-"):
        return ticked | matched, len(matched)
    return ticked - matched, len(matched)


# --- the day a change takes effect, the expert-rule warning -------------------------------


def effective_on_value(errors: Errors, value) -> date | None:
    """Rule: the day a core change takes effect (scbi.programme.rules.effective_date):
    today when not given, never in the future and not before 1 January 1990."""
    return effective_date(errors, value, since=None)


def expert_rule_warning(
    sector: Sector | None, core_count: int, *, exclude_framework_id: int | None = None
) -> dict | None:
    """Rule (DESIGN.md "Critical mass"): a national expert of a sector needs the expert
    level on every core competency of the sector's frameworks. More than
    ``EXPERT_RULE_LIMIT`` of them is a warning saying what it means and how to change it.
    ``core_count`` is this framework's (or file's) core count; the sector's other
    frameworks are counted from the database. None for a cross-cutting framework."""
    if sector is None:
        return None
    query = (
        select(func.count())
        .select_from(Competency)
        .join(CompetencyFramework, Competency.framework_id == CompetencyFramework.id)
        .where(CompetencyFramework.sector_id == sector.id, Competency.core.is_(True))
    )
    if exclude_framework_id is not None:
        query = query.where(CompetencyFramework.id != exclude_framework_id)
    total = core_count + (db.session.scalar(query) or 0)
    if total <= EXPERT_RULE_LIMIT:
        return None
    return {
        "code": "many_core_competencies",
        "sector_id": sector.id,
        "core_count": total,
        "expert_level": sector.expert_level,
        "limit": EXPERT_RULE_LIMIT,
        "message": ngettext(
            "In %(sector)s, a mentee would need level %(level)d on all %(num)d core "
            "competency to count as a national expert.",
            "In %(sector)s, a mentee would need level %(level)d on all %(num)d core "
            "competencies to count as a national expert.",
            total,
            sector=sector.name,
            level=sector.expert_level,
        ),
        "advice": _(
            "Keep as core only what every national expert must master; more than %(limit)d "
            "is rarely meant. Untick level descriptors, groupings and optional skills (the "
            "selections by depth in the tree or by search do many at once), then save.",
            limit=EXPERT_RULE_LIMIT,
        ),
    }


def framework_warning(framework: CompetencyFramework) -> dict | None:
    """The expert-rule warning for a stored framework (its sector's core count)."""
    count = sum(1 for c in framework.competencies if c.core)
    return expert_rule_warning(framework.sector, count, exclude_framework_id=framework.id)


def framework_nodes(ordered: list[tuple[Competency, int]]) -> list[Node]:
    """The framework's tree as the core forms show it (keys are ids)."""
    parents = {c.parent_id for c, _depth in ordered}
    return [
        Node(
            key=str(c.id),
            idnumber=c.idnumber,
            name=c.short_name,
            depth=depth + 1,
            leaf=c.id not in parents,
            parent=str(c.parent_id) if c.parent_id else "",
        )
        for c, depth in ordered
    ]
