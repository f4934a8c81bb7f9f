"""The preview of an import: the file checked, its tree with the proposed core flags and,
for a framework that exists, what an update would change. Stores nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scbi.auth.models import User
from scbi.auth.permissions import require_configure
from scbi.extensions import db
from scbi.programme.core_choice import Node, expert_rule_warning, propose_core
from scbi.programme.framework_file import file_refusal, formula_cells
from scbi.programme.models import Competency, CompetencyFramework, Sector
from scbi.programme.moodle import (
    CompetencyRow,
    MoodleCsvError,
    ParsedFramework,
    decode_file,
    parse_framework_csv,
)
from scbi.validation import Errors

FRAMEWORK_FIELDS = {  # model attribute: attribute of the file's framework row
    "name": "short_name",
    "description": "description",
    "description_format": "description_format",
    "scale_values": "scale_values",
    "scale_configuration": "scale_configuration",
    "taxonomy": "taxonomy",
}
COMPETENCY_FIELDS = (
    "short_name",
    "description",
    "description_format",
    "rule_type",
    "rule_outcome",
    "rule_config",
    "cross_references",
)
# Tables whose rows cite a competency, and the reason a cited one is kept.
CITATIONS = {
    "assessment": "assessments",
    "plan_item": "plan_items",
    "log_competency": "logs",
    "core_change": "was_core",  # in the history of a sector's core set: past figures use it
}
# Tables derived from those above (scbi.competencies.level_changes): no reason of their own
DERIVED = {"level_change"}


@dataclass
class PreviewItem:
    """One competency of the file, in tree order, with its proposed core flag."""

    row: CompetencyRow
    depth: int  # 1 = top level
    leaf: bool
    core: bool  # proposed
    core_in_file: bool | None  # the file's own core value, if it gives one
    status: str = "new"  # "new", "changed" or "same" (a re-import)
    changed: list[str] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.status == "new"

    @property
    def is_changed(self) -> bool:
        return self.status == "changed"

    @property
    def node(self) -> Node:
        return Node(
            key=self.row.idnumber,
            idnumber=self.row.idnumber,
            name=self.row.short_name,
            depth=self.depth,
            leaf=self.leaf,
            parent=self.row.parent_idnumber,
        )


@dataclass
class Kept:
    """A competency missing from the file that the update keeps, and why (reason codes:
    ``assessments``, ``plan_items``, ``logs``, ``was_core``, ``core``, ``children``, or a
    table name)."""

    competency: Competency
    reasons: list[str]


@dataclass
class Changes:
    """What an update from the file would do to the stored framework."""

    framework_fields: list[str]
    added: list[str]
    changed: dict[str, list[str]]  # idnumber: changed fields
    deleted: list[Competency]
    kept: list[Kept]

    def summary(self) -> dict:
        return {
            "framework_fields": self.framework_fields,
            "added": self.added,
            "changed": [{"idnumber": k, "fields": v} for k, v in self.changed.items()],
            "deleted": [c.idnumber for c in self.deleted],
            "kept": [
                {"idnumber": k.competency.idnumber, "short_name": k.competency.short_name}
                | {"reasons": k.reasons}
                for k in self.kept
            ],
        }


@dataclass
class ImportPreview:
    """The checked file as it would be stored; nothing is written."""

    text: str
    parsed: ParsedFramework
    items: list[PreviewItem]
    sector: Sector | None
    existing: CompetencyFramework | None
    changes: Changes | None

    @property
    def proposed(self) -> set[str]:
        return {item.row.idnumber for item in self.items if item.core}

    @property
    def nodes(self) -> list[Node]:
        return [item.node for item in self.items]

    def core_count(self, core: set[str]) -> int:
        """Core competencies after the import: the ticked rows, and the competencies the
        update keeps because they are core."""
        kept = sum(1 for k in self.changes.kept if k.competency.core) if self.changes else 0
        return len(core & {item.row.idnumber for item in self.items}) + kept

    def warning(self, core: set[str]) -> dict | None:
        return expert_rule_warning(
            self.sector,
            self.core_count(core),
            exclude_framework_id=self.existing.id if self.existing else None,
        )

    def as_json(self, core: set[str] | None = None) -> dict:
        core = self.proposed if core is None else core
        head = self.parsed.framework
        return {
            "idnumber": head.idnumber,
            "name": head.short_name,
            "description": head.description,
            "sector_id": self.sector.id if self.sector else None,
            "existing_id": self.existing.id if self.existing else None,
            "version": self.existing.version if self.existing else None,
            "competencies": [
                {
                    "idnumber": item.row.idnumber,
                    "short_name": item.row.short_name,
                    "parent_idnumber": item.row.parent_idnumber or None,
                    "depth": item.depth,
                    "leaf": item.leaf,
                    "core": item.row.idnumber in core,
                    "core_in_file": item.core_in_file,
                    "status": item.status,
                }
                for item in self.items
            ],
            "core_count": self.core_count(core),
            "warning": self.warning(core),
            "changes": self.changes.summary() if self.changes else None,
        }


def preview_import(data: bytes | str, *, by: User, sector_id=None) -> ImportPreview:
    """Parse and check a file (refused as the import refuses it) and say what importing it
    would store: the tree, the proposed core flags and, when a framework has the file's
    idnumber, what an update would change. Stores nothing."""
    require_configure(by)
    errors = Errors()
    sector = errors.ref("sector_id", Sector, sector_id, required=False, label=_("sector"))
    errors.raise_if_any()
    try:
        text = decode_file(data)
        parsed = parse_framework_csv(text)
    except MoodleCsvError as error:
        raise file_refusal(error.errors) from None
    if formulas := formula_cells(parsed):
        raise file_refusal(formulas)
    existing = db.session.scalar(
        select(CompetencyFramework)
        .options(selectinload(CompetencyFramework.competencies))
        .where(CompetencyFramework.idnumber == parsed.framework.idnumber)
    )
    items = tree_items(parsed)
    current = {c.idnumber: c.core for c in existing.competencies} if existing else {}
    from_file = {
        c.idnumber: bool(c.core) for c in parsed.competencies if c.idnumber in parsed.core_from_file
    }
    proposed = propose_core([i.node for i in items], from_file=from_file, current=current)
    for item in items:
        item.core = item.row.idnumber in proposed
        item.core_in_file = from_file.get(item.row.idnumber)
    changes = _changes(parsed, items, existing) if existing else None
    return ImportPreview(
        text=text,
        parsed=parsed,
        items=items,
        sector=existing.sector if existing else sector,
        existing=existing,
        changes=changes,
    )


def tree_items(parsed: ParsedFramework) -> list[PreviewItem]:
    """The file's competencies depth-first (children in file order), with depth and leaf."""
    children: dict[str, list[CompetencyRow]] = {}
    for row in parsed.competencies:
        children.setdefault(row.parent_idnumber, []).append(row)
    items: list[PreviewItem] = []
    stack = [(row, 1) for row in reversed(children.get("", []))]
    while stack:
        row, depth = stack.pop()
        leaf = row.idnumber not in children
        items.append(PreviewItem(row=row, depth=depth, leaf=leaf, core=False, core_in_file=None))
        stack.extend((child, depth + 1) for child in reversed(children.get(row.idnumber, [])))
    return items


def _changes(
    parsed: ParsedFramework, items: list[PreviewItem], existing: CompetencyFramework
) -> Changes:
    """Rules of an update: the file's new competencies are added; names, descriptions,
    parents and Moodle fields are taken from the file; a competency missing from the
    file is deleted unless assessments, plan items or logs cite it, it is core, or it
    holds one that is kept."""
    head = parsed.framework
    fields = [
        k for k, attr in FRAMEWORK_FIELDS.items() if getattr(existing, k) != getattr(head, attr)
    ]
    stored = {c.idnumber: c for c in existing.competencies}
    by_id = {c.id: c for c in existing.competencies}
    added, changed = [], {}
    for item in items:
        competency = stored.get(item.row.idnumber)
        if competency is None:
            added.append(item.row.idnumber)
            continue
        differences = [
            k for k in COMPETENCY_FIELDS if stored_value(competency, k) != file_value(item.row, k)
        ]
        parent = by_id.get(competency.parent_id)
        if (parent.idnumber if parent else "") != item.row.parent_idnumber:
            differences.insert(2, "parent")
        item.status, item.changed = ("changed", differences) if differences else ("same", [])
        if differences:
            changed[item.row.idnumber] = differences
    in_file = {item.row.idnumber for item in items}
    missing = [c for c, _depth in existing.tree() if c.idnumber not in in_file]
    reasons = _citations([c.id for c in missing])
    for competency in missing:
        if competency.core:
            codes = reasons.setdefault(competency.id, [])
            codes[:] = [code for code in codes if code != "was_core"] + ["core"]
    for competency in missing:  # a kept one keeps its ancestors (its parent must exist)
        if competency.id in reasons:
            parent = by_id.get(competency.parent_id)
            while parent is not None and parent.idnumber not in in_file:
                if "children" not in reasons.setdefault(parent.id, []):
                    reasons[parent.id].append("children")
                parent = by_id.get(parent.parent_id)
    order = [*CITATIONS.values(), "core", "children"]
    for codes in reasons.values():
        codes.sort(key=lambda code: order.index(code) if code in order else len(CITATIONS))
    return Changes(
        framework_fields=fields,
        added=added,
        changed=changed,
        deleted=[c for c in missing if c.id not in reasons],
        kept=[Kept(c, reasons[c.id]) for c in missing if c.id in reasons],
    )


def stored_value(competency: Competency, name: str):
    value = getattr(competency, name)
    return list(value or []) if name == "cross_references" else value


def file_value(row: CompetencyRow, name: str):
    value = getattr(row, name)
    return list(value) if name == "cross_references" else value


def _citations(ids: list[int]) -> dict[int, list[str]]:
    """Which of these competencies rows of other tables cite, and by which reason: every
    foreign key to competency.id is read from the metadata, so none can be forgotten."""
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    competency = db.metadata.tables["competency"]
    for table in db.metadata.sorted_tables:
        if table is competency or table.name in DERIVED:
            continue
        for key in table.foreign_keys:
            if key.column is not competency.c.id:
                continue
            column = key.parent
            reason = CITATIONS.get(table.name, table.name)
            for cited in db.session.scalars(select(column).where(column.in_(ids)).distinct()):
                if reason not in found.setdefault(cited, []):
                    found[cited].append(reason)
    return found
