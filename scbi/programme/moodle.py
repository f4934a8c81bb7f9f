"""Moodle competency-framework CSV (``tool_lpimportcsv``), read and written without a database.

Columns are read by position (header text differs between Moodle versions): 0 parent
idnumber, 1 idnumber, 2 short name, 3 description, 4 description format, 5 scale values,
6 scale configuration, 7 rule type, 8 rule outcome, 9 rule config, 10 cross-referenced
idnumbers (``%2C`` for a comma inside one), 11 exported id, 12 is-framework, 13 taxonomy.
SCBI adds a 15th column ``core``. What SCBI does not use is kept verbatim so that an
export gives back an equivalent file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

HEADER = [
    "Parent id number",
    "Id number",
    "Shortname",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross referenced competency id numbers",
    "Exported id (optional)",
    "Is framework",
    "Taxonomy",
    "core",
]
COLUMNS = 14
FORMATS = {0, 1, 2, 4}  # Moodle, HTML, plain, Markdown
MAX_ID = 100  # Moodle's idnumber and shortname limits
TRUE = {"1", "true", "yes", "y"}
FALSE = {"0", "false", "no", "n"}


@dataclass
class FrameworkRow:
    idnumber: str
    short_name: str
    description: str = ""
    description_format: int = 1
    scale_values: str = ""
    scale_configuration: str = ""
    taxonomy: str = ""
    row: int = 0


@dataclass
class CompetencyRow:
    idnumber: str
    short_name: str
    parent_idnumber: str = ""
    description: str = ""
    description_format: int = 1
    rule_type: str = ""
    rule_outcome: str = ""
    rule_config: str = ""
    cross_references: list[str] = field(default_factory=list)
    core: bool | None = None
    row: int = 0


@dataclass
class ParsedFramework:
    framework: FrameworkRow
    competencies: list[CompetencyRow]  # parents before children, otherwise in file order
    has_core_column: bool


class MoodleCsvError(Exception):
    """Every problem found: ``errors`` is [(row, message)], row 1 = header, 0 = the file."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = sorted(errors)
        super().__init__("; ".join(f"row {r}: {m}" if r else m for r, m in self.errors))


def _records(data: bytes | str) -> list[list[str]]:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise MoodleCsvError(
                [
                    (
                        0,
                        "The file is not UTF-8 text; export it again from "
                        "Moodle or save it as CSV UTF-8.",
                    )
                ]
            ) from None
    text = data.removeprefix("\ufeff")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise MoodleCsvError([(0, f"The file is not a readable CSV file ({error}).")]) from None


def _text(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def parse_framework_csv(data: bytes | str) -> ParsedFramework:
    """Read a framework file, or raise MoodleCsvError naming every bad row.

    Refused: no or several framework rows, too few columns, a missing or too long
    idnumber or short name, an unknown description format or core value, a duplicate
    idnumber, an unknown parent, a cycle. Unknown cross-references are kept (Moodle
    ignores them too).
    """
    records = _records(data)
    if not records:
        raise MoodleCsvError([(0, "The file is empty.")])
    header = records[0]
    has_core = len(header) >= 15 and header[14].strip().lower() == "core"
    errors: list[tuple[int, str]] = []
    frameworks: list[FrameworkRow] = []
    rows: list[CompetencyRow] = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < COLUMNS:
            errors.append(
                (number, f"has {len(cells)} columns; a Moodle framework file has {COLUMNS}.")
            )
            continue
        parsed = _row(number, cells, has_core, errors)
        if isinstance(parsed, FrameworkRow):
            frameworks.append(parsed)
        elif parsed is not None:
            rows.append(parsed)
    if not frameworks:
        errors.append(
            (0, "No framework row: exactly one row must have 1 in the 'Is framework' column.")
        )
    elif len(frameworks) > 1:
        errors.append(
            (
                0,
                f"{len(frameworks)} framework rows (rows "
                f"{', '.join(str(f.row) for f in frameworks)}); a file holds one "
                "framework.",
            )
        )
    ordered = _tree_order(rows, errors)
    if errors:
        raise MoodleCsvError(errors)
    _default_core(ordered)
    return ParsedFramework(frameworks[0], ordered, has_core)


def _row(number: int, cells: list[str], has_core: bool, errors: list):
    idnumber, short_name = cells[1].strip(), cells[2].strip()
    problems = []
    for label, value in (("idnumber", idnumber), ("short name", short_name)):
        if not value:
            problems.append(f"the {label} is empty.")
        elif len(value) > MAX_ID:
            problems.append(f"the {label} is longer than Moodle's {MAX_ID} characters.")
    fmt_cell = cells[4].strip() or "1"
    fmt = int(fmt_cell) if fmt_cell.isdigit() and int(fmt_cell) in FORMATS else None
    if fmt is None:
        problems.append(f"description format {cells[4]!r} is not one of 0, 1, 2 or 4.")
    core = None
    if has_core and len(cells) > 14 and cells[14].strip():
        value = cells[14].strip().lower()
        core = True if value in TRUE else False if value in FALSE else None
        if core is None:
            problems.append(f"core {cells[14]!r} is not 1 or 0.")
    errors.extend((number, p) for p in problems)
    if problems:
        return None
    if cells[12].strip().lower() in TRUE:
        return FrameworkRow(
            idnumber=idnumber,
            short_name=short_name,
            description=_text(cells[3]),
            description_format=fmt,
            scale_values=cells[5],
            scale_configuration=cells[6],
            taxonomy=cells[13],
            row=number,
        )
    refs = [r.strip().replace("%2C", ",") for r in cells[10].split(",") if r.strip()]
    return CompetencyRow(
        idnumber=idnumber,
        short_name=short_name,
        parent_idnumber=cells[0].strip(),
        description=_text(cells[3]),
        description_format=fmt,
        rule_type=cells[7],
        rule_outcome=cells[8],
        rule_config=cells[9],
        cross_references=refs,
        core=core,
        row=number,
    )


def _tree_order(rows: list[CompetencyRow], errors: list) -> list[CompetencyRow]:
    """Parents before children (stable otherwise); records duplicates, orphans, cycles."""
    by_id: dict[str, CompetencyRow] = {}
    for row in rows:
        if row.idnumber in by_id:
            errors.append(
                (
                    row.row,
                    f"idnumber {row.idnumber!r} is already used on row {by_id[row.idnumber].row}.",
                )
            )
        else:
            by_id[row.idnumber] = row
    unique = list(by_id.values())
    for row in unique:
        if row.parent_idnumber and row.parent_idnumber not in by_id:
            errors.append((row.row, f"parent {row.parent_idnumber!r} is not in the file."))
    for row in unique:
        path, node = [row.idnumber], row
        while node.parent_idnumber in by_id:
            node = by_id[node.parent_idnumber]
            if node.idnumber == row.idnumber:
                errors.append(
                    (
                        row.row,
                        f"{row.idnumber!r} is its own ancestor: "
                        f"{' -> '.join([*path, row.idnumber])}.",
                    )
                )
                break
            if node.idnumber in path:
                break  # a cycle above this row, reported on its own rows
            path.append(node.idnumber)
    children: dict[str, list[CompetencyRow]] = {}
    for row in unique:
        children.setdefault(row.parent_idnumber, []).append(row)
    ordered: list[CompetencyRow] = []
    stack = list(reversed(children.get("", [])))
    while stack:
        row = stack.pop()
        ordered.append(row)
        stack.extend(reversed(children.get(row.idnumber, [])))
    return ordered


def _default_core(rows: list[CompetencyRow]) -> None:
    """Without a value, leaves are core and the branches above them are not."""
    parents = {r.parent_idnumber for r in rows}
    for row in rows:
        if row.core is None:
            row.core = row.idnumber not in parents


def render_framework_csv(framework: FrameworkRow, competencies: list[CompetencyRow]) -> str:
    """The framework as Moodle writes it (CRLF, its header) plus the ``core`` column.

    Exported ids number the rows as Moodle's exporter does; they are not kept on import.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerow(
        [
            "",
            framework.idnumber,
            framework.short_name,
            framework.description,
            framework.description_format,
            framework.scale_values,
            framework.scale_configuration,
            "",
            "",
            "",
            "",
            "",
            1,
            framework.taxonomy,
            "",
        ]
    )
    order = _tree_order(list(competencies), [])
    for exported_id, row in enumerate(order, start=1):
        refs = ",".join(r.replace(",", "%2C") for r in row.cross_references)
        writer.writerow(
            [
                row.parent_idnumber,
                row.idnumber,
                row.short_name,
                row.description,
                row.description_format,
                "",
                "",
                row.rule_type,
                row.rule_outcome,
                row.rule_config,
                refs,
                exported_id,
                "",
                "",
                "1" if row.core else "0",
            ]
        )
    return out.getvalue()
