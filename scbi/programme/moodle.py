"""Read and write Moodle competency-framework CSV files (the ``tool_lpimportcsv`` format).

Moodle reads 14 columns by position (the header text varies between versions and is not
checked): 0 parent idnumber, 1 idnumber, 2 short name, 3 description, 4 description format,
5 scale values, 6 scale configuration, 7 rule type, 8 rule outcome, 9 rule config,
10 cross-referenced idnumbers, 11 exported id, 12 is-framework, 13 taxonomy. SCBI adds a
15th column ``core`` (Moodle ignores extra columns). What SCBI does not use (scale, rules,
taxonomy, cross-references, exported ids) is kept verbatim so an export gives back an
equivalent file. Moodle's rule configs (the "points" rule) name competencies by exported
id, which is why exported ids are kept too.

Messages are plain English; the caller translates or wraps them. Pure Python: no database,
no Flask.
"""

from __future__ import annotations

import csv
import heapq
import io
from dataclasses import dataclass, field

MOODLE_HEADER: tuple[str, ...] = (
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
)
HEADER: tuple[str, ...] = (*MOODLE_HEADER, "core")
MOODLE_COLUMNS = len(MOODLE_HEADER)
MAX_NAME_LENGTH = 100  # Moodle's limit for idnumber and shortname
DESCRIPTION_FORMATS = {"0": 0, "1": 1, "2": 2, "4": 4}  # Moodle, HTML, plain, Markdown
_FRAMEWORK_TRUE = frozenset({"1", "true", "yes"})
_CORE_VALUES = {"1": True, "true": True, "yes": True, "y": True}
_CORE_VALUES |= {"0": False, "false": False, "no": False, "n": False}


@dataclass
class FrameworkRow:
    idnumber: str
    short_name: str
    description: str = ""
    description_format: int = 1
    scale_values: str = ""  # kept verbatim
    scale_configuration: str = ""  # kept verbatim
    taxonomy: str = ""  # kept verbatim
    row: int = 0  # record number in the file, header = 1


@dataclass
class CompetencyRow:
    idnumber: str
    short_name: str
    parent_idnumber: str = ""  # "" = top level
    description: str = ""
    description_format: int = 1
    rule_type: str = ""
    rule_outcome: str = ""  # kept verbatim (Moodle writes 0..3 or empty)
    rule_config: str = ""  # kept verbatim ("null" stays "null")
    cross_references: list[str] = field(default_factory=list)  # decoded idnumbers
    core: bool | None = None  # None when the file has no core column / empty cell
    row: int = 0
    # Additions to the agreed interface, kept verbatim for a faithful export:
    scale_values: str = ""  # a competency may override the framework's scale
    scale_configuration: str = ""
    exported_id: str = ""  # Moodle's "points" rule config refers to competencies by it


@dataclass
class ParsedFramework:
    framework: FrameworkRow
    competencies: list[CompetencyRow]  # parents before children, file order otherwise
    has_core_column: bool
    core_from_file: frozenset[str] = frozenset()  # idnumbers whose core cell was filled in


class MoodleCsvError(Exception):
    """A refused file. ``errors``: (row, message) sorted by row; row is the record number
    (header = 1), 0 for the whole file. Messages do not repeat the row: callers show it."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = sorted(errors, key=lambda error: error[0])
        super().__init__("\n".join(f"Row {r}: {m}" if r else m for r, m in self.errors))


def _decode(data: bytes | str) -> str:
    """Rule: the file is UTF-8 text; a leading byte-order mark is dropped."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = (
                f"The file is not UTF-8 text (invalid byte at position {exc.start}); "
                "save it as “CSV UTF-8” and import it again."
            )
            raise MoodleCsvError([(0, message)]) from None
    return data.removeprefix("\ufeff")


def decode_file(data: bytes | str) -> str:
    """The file's text (UTF-8, byte-order mark dropped), or MoodleCsvError."""
    return _decode(data)


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Rule: CSV records (quoted multi-line fields, any line end); blank ones are skipped
    but still counted, so numbers match the rows a spreadsheet shows."""
    records: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if any(cell.strip() for cell in cells):
                records.append((number, cells))
    except csv.Error as exc:
        raise MoodleCsvError([(number + 1, f"This row is not valid CSV: {exc}.")]) from None
    return records


def _newlines(text: str) -> str:
    """Rule: line ends inside descriptions become "\\n" (Moodle's importer does the same)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _names(number: int, cells: list[str], errors: list[tuple[int, str]]) -> tuple[str, str]:
    """Rule: idnumber and short name are required and at most 100 characters (Moodle)."""
    idnumber, short_name = cells[1].strip(), cells[2].strip()
    for label, value in (("idnumber", idnumber), ("short name", short_name)):
        if not value:
            errors.append((number, f"The {label} is empty; Moodle requires one."))
        elif len(value) > MAX_NAME_LENGTH:
            too_long = f"longer than Moodle's {MAX_NAME_LENGTH}"
            errors.append((number, f"The {label} has {len(value)} characters, {too_long}."))
    return idnumber, short_name


def _description_format(number: int, cell: str, errors: list[tuple[int, str]]) -> int:
    """Rule: the description format is empty (meaning 1, HTML) or one of 0, 1, 2, 4."""
    value = cell.strip()
    if not value:
        return 1
    if value not in DESCRIPTION_FORMATS:
        known = "Moodle knows 0 (Moodle), 1 (HTML), 2 (plain text) and 4 (Markdown)"
        errors.append((number, f"The description format is {value!r}; {known}."))
        return 1
    return DESCRIPTION_FORMATS[value]


def _core(number: int, cell: str, errors: list[tuple[int, str]]) -> bool | None:
    """Rule: core is 1/true/yes/y, 0/false/no/n, or empty (None: the default applies)."""
    value = cell.strip().lower()
    if value and value not in _CORE_VALUES:
        errors.append((number, f"core {cell.strip()!r} is not 1 or 0."))
    return _CORE_VALUES.get(value)


def _tree_order(
    competencies: list[CompetencyRow],
) -> tuple[list[CompetencyRow], list[CompetencyRow]]:
    """Rule: parents before children, otherwise the given order (a stable topological
    sort). Returns the placed rows and those that cannot be placed (unknown parent, cycle)."""
    children: dict[str, list[int]] = {}
    heap: list[int] = []
    for index, comp in enumerate(competencies):
        if comp.parent_idnumber:
            children.setdefault(comp.parent_idnumber, []).append(index)
        else:
            heap.append(index)
    placed: set[int] = set()
    ordered: list[CompetencyRow] = []
    while heap:
        index = heapq.heappop(heap)
        placed.add(index)
        ordered.append(competencies[index])
        for child in children.pop(competencies[index].idnumber, []):
            heapq.heappush(heap, child)
    return ordered, [comp for i, comp in enumerate(competencies) if i not in placed]


def _placement_error(
    comp: CompetencyRow, by_id: dict[str, CompetencyRow], unreadable: set[str], framework_id: str
) -> tuple[int, str] | None:
    """Rule: a parent is a competency of the file, and no competency is its own ancestor.
    Rows merely below a bad row are not reported: the bad row is."""
    parent = comp.parent_idnumber
    if parent not in by_id:
        if parent in unreadable:
            return None
        message = f"The parent {parent!r} is not in the file."
        if parent == framework_id:
            message += " Top-level competencies have an empty parent idnumber."
        return comp.row, message
    chain, current = [comp.idnumber], by_id[parent]
    while current.idnumber not in chain:
        chain.append(current.idnumber)
        if current.parent_idnumber not in by_id:
            return None
        current = by_id[current.parent_idnumber]
    if current is not comp:
        return None
    path = " -> ".join([*chain, comp.idnumber])
    return comp.row, f"Competency {comp.idnumber!r} is its own ancestor: {path}."


def parse_framework_csv(data: bytes | str) -> ParsedFramework:
    """Read a Moodle framework file; refuse it with every problem found (MoodleCsvError).

    Rules: 14 columns by position, exactly one framework row, unique competency idnumbers,
    known parents, no cycles. Without a core value, leaves are core and the others not.
    """
    records = _records(_decode(data))
    if not records:
        raise MoodleCsvError([(0, "The file is empty.")])
    header = records[0][1]
    has_core = len(header) > MOODLE_COLUMNS and header[MOODLE_COLUMNS].strip().lower() == "core"
    errors: list[tuple[int, str]] = []
    frameworks: list[FrameworkRow] = []
    competencies: list[CompetencyRow] = []
    first_row: dict[str, int] = {}
    unreadable: set[str] = set()
    for number, cells in records[1:]:
        if len(cells) < MOODLE_COLUMNS:
            columns = f"{len(cells)} columns; a Moodle framework file has 14"
            errors.append((number, f"This row has {columns}."))
            if len(cells) > 1:
                unreadable.add(cells[1].strip())
            continue
        idnumber, short_name = _names(number, cells, errors)
        description = _newlines(cells[3])
        description_format = _description_format(number, cells[4], errors)
        if cells[12].strip().lower() in _FRAMEWORK_TRUE:
            frameworks.append(
                FrameworkRow(
                    idnumber=idnumber,
                    short_name=short_name,
                    description=description,
                    description_format=description_format,
                    scale_values=cells[5],
                    scale_configuration=cells[6],
                    taxonomy=cells[13],
                    row=number,
                )
            )
            continue
        core = _core(number, cells[14], errors) if has_core and len(cells) > 14 else None
        if idnumber in first_row:
            used = f"is already used on row {first_row[idnumber]}"
            errors.append((number, f"The idnumber {idnumber!r} {used}."))
            continue
        if not idnumber:
            continue
        first_row[idnumber] = number
        competencies.append(
            CompetencyRow(
                idnumber=idnumber,
                short_name=short_name,
                parent_idnumber=cells[0].strip(),
                description=description,
                description_format=description_format,
                rule_type=cells[7],
                rule_outcome=cells[8],
                rule_config=cells[9],
                cross_references=[
                    ref.strip().replace("%2C", ",") for ref in cells[10].split(",") if ref.strip()
                ],
                core=core,
                row=number,
                scale_values=cells[5],
                scale_configuration=cells[6],
                exported_id=cells[11].strip(),
            )
        )
    if not frameworks:
        errors.append((0, "No framework row: one row needs 1 in “Is framework” (column 13)."))
    elif len(frameworks) > 1:
        rows = ", ".join(str(fw.row) for fw in frameworks)
        many = f"{len(frameworks)} framework rows (rows {rows})"
        errors.append((0, f"The file has {many}; it must have exactly one."))
    ordered, unplaced = _tree_order(competencies)
    by_id = {comp.idnumber: comp for comp in competencies}
    framework_id = frameworks[0].idnumber if frameworks else ""
    for comp in unplaced:
        if error := _placement_error(comp, by_id, unreadable, framework_id):
            errors.append(error)
    if errors:
        raise MoodleCsvError(errors)
    given = frozenset(comp.idnumber for comp in ordered if comp.core is not None)
    parents = {comp.parent_idnumber for comp in ordered}
    for comp in ordered:
        if comp.core is None:
            comp.core = comp.idnumber not in parents
    return ParsedFramework(frameworks[0], ordered, has_core, given)


def render_framework_csv(framework: FrameworkRow, competencies: list[CompetencyRow]) -> str:
    """Write a file Moodle imports: its header plus ``core``, the framework row first, then
    parents before children, cross-references with "," written "%2C", core as 1/0.

    Like Moodle's exporter: no byte-order mark (Moodle neither writes nor needs one), an
    empty exported id on the framework row, and kept exported ids (else 1, 2, ... unused).
    Records end in CRLF (RFC 4180); Moodle's importer accepts any line end.
    """
    out = io.StringIO()
    # The header is written as Moodle's exporter (PHP fputcsv) does: cells with spaces quoted.
    out.write(",".join(f'"{cell}"' if " " in cell else cell for cell in HEADER) + "\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    # fmt: off
    writer.writerow([
        "", framework.idnumber, framework.short_name, framework.description,
        framework.description_format, framework.scale_values, framework.scale_configuration,
        "", "", "", "", "", "1", framework.taxonomy, "",
    ])
    # fmt: on
    ordered, unplaced = _tree_order(competencies)
    used = {comp.exported_id for comp in competencies if comp.exported_id}
    next_id = 0
    for comp in [*ordered, *unplaced]:
        exported_id = comp.exported_id
        if not exported_id:
            next_id += 1
            while str(next_id) in used:
                next_id += 1
            exported_id = str(next_id)
        references = ",".join(ref.replace(",", "%2C") for ref in comp.cross_references)
        core = "" if comp.core is None else str(int(comp.core))
        # fmt: off
        writer.writerow([
            comp.parent_idnumber, comp.idnumber, comp.short_name, comp.description,
            comp.description_format, comp.scale_values, comp.scale_configuration,
            comp.rule_type, comp.rule_outcome, comp.rule_config, references, exported_id,
            "", "", core,
        ])
        # fmt: on
    return out.getvalue()
