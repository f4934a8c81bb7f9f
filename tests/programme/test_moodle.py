"""Moodle competency-framework CSV: parsing the real OECD file, every refusal, round trips."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scbi.programme.moodle import (
    HEADER,
    MOODLE_HEADER,
    CompetencyRow,
    FrameworkRow,
    MoodleCsvError,
    ParsedFramework,
    parse_framework_csv,
    render_framework_csv,
)

OECD = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "moodle-oecd-framework.csv"
COLUMNS = ("parent", "idnumber", "short", "description", "format", "scale", "scale_config")
COLUMNS += ("rule_type", "rule_outcome", "rule_config", "refs", "exported", "framework")
COLUMNS += ("taxonomy", "core")


def cells(width: int = 14, **values: str) -> list[str]:
    row = [""] * width
    for name, value in values.items():
        row[COLUMNS.index(name)] = value
    return row


def fw(idnumber: str = "FW", width: int = 14, **values: str) -> list[str]:
    values = {"short": "Framework", "format": "1", "framework": "1", **values}
    return cells(width, idnumber=idnumber, **values)


def comp(idnumber: str, parent: str = "", width: int = 14, **values: str) -> list[str]:
    values = {"short": f"Name of {idnumber}", "format": "1", **values}
    return cells(width, idnumber=idnumber, parent=parent, **values)


def make_csv(*rows: list[str], core: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([list(HEADER if core else MOODLE_HEADER), *rows])
    return out.getvalue()


def errors_of(data: bytes | str) -> list[tuple[int, str]]:
    with pytest.raises(MoodleCsvError) as caught:
        parse_framework_csv(data)
    return caught.value.errors


def without_rows(parsed: ParsedFramework) -> tuple[FrameworkRow, list[CompetencyRow]]:
    return replace(parsed.framework, row=0), [replace(c, row=0) for c in parsed.competencies]


def assert_parents_first(competencies: list[CompetencyRow]) -> None:
    seen: set[str] = set()
    for c in competencies:
        assert not c.parent_idnumber or c.parent_idnumber in seen, c.idnumber
        seen.add(c.idnumber)


@pytest.fixture
def oecd() -> bytes:
    if not OECD.exists():
        pytest.skip(f"{OECD} is not there")
    return OECD.read_bytes()


def test_oecd_fixture_parses_with_its_64_competencies(oecd):
    """The real Moodle export: one framework row, 64 competencies, 44 core leaves, file order."""
    parsed = parse_framework_csv(oecd)
    head = parsed.framework
    assert (head.idnumber, head.short_name, head.row) == ("OECD-CORE", "OECD", 2)
    assert head.scale_values == "Not yet competent,Competent"
    assert head.scale_configuration == '[{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]'
    assert head.taxonomy == "competency,competency,competency,competency"
    assert len(parsed.competencies) == 64
    assert [c.row for c in parsed.competencies] == list(range(3, 67))
    assert not parsed.has_core_column
    by_id = {c.idnumber: c for c in parsed.competencies}
    assert by_id["DR-AT1"].parent_idnumber == "analytical-thinking"
    assert by_id["levels"].parent_idnumber == by_id["competencies"].parent_idnumber == ""
    assert len(by_id["level-1"].cross_references) == 39
    assert by_id["DR-AT1"].cross_references == ["level-1"]
    assert (by_id["DR-AT1"].rule_outcome, by_id["DR-AT1"].rule_config) == ("0", "null")
    assert [c.exported_id for c in parsed.competencies] == [str(n) for n in range(1, 65)]
    assert "identify\npatterns" in by_id["analytical-thinking"].description
    assert by_id["DR-DS-1"].short_name.endswith("audiences.")  # trailing space stripped
    assert sum(c.core for c in parsed.competencies) == 44
    assert by_id["level-1"].core and by_id["I-N-3"].core
    assert not by_id["delivery"].core and not by_id["competencies"].core


def test_oecd_rows_reversed_children_listed_first_get_their_parents(oecd):
    """Children listed before their parents are placed after them, with the same tree."""
    _header, *records = list(csv.reader(io.StringIO(oecd.decode("utf-8"), newline="")))
    reversed_file = make_csv(*reversed(records))
    original = parse_framework_csv(oecd)
    parsed = parse_framework_csv(reversed_file)
    assert_parents_first(parsed.competencies)
    assert {c.idnumber: c.parent_idnumber for c in parsed.competencies} == {
        c.idnumber: c.parent_idnumber for c in original.competencies
    }
    assert parsed.framework.row == 66
    assert parsed.competencies[0].idnumber == "competencies"  # first top level from the top


def test_valid_file_order_is_kept():
    """A file already listing parents first keeps its order exactly (stable sort)."""
    parsed = parse_framework_csv(make_csv(fw(), comp("A"), comp("B"), comp("A1", "A")))
    assert [c.idnumber for c in parsed.competencies] == ["A", "B", "A1"]


def test_escaped_comma_in_cross_references_decodes():
    """`%2C` in a cross-reference is a comma inside an idnumber; unknown ones are kept."""
    parsed = parse_framework_csv(
        make_csv(fw(), comp("a,b"), comp("C", refs="a%2Cb, C ,elsewhere,"))
    )
    assert parsed.competencies[1].cross_references == ["a,b", "C", "elsewhere"]


def test_bom_crlf_and_multiline_quoted_html():
    """A BOM is dropped; CRLF and lone CR inside quoted descriptions become newlines."""
    text = make_csv(fw(), comp("A", description="<p>one\r\ntwo\rthree\nfour</p>"), comp("B"))
    parsed = parse_framework_csv(("\ufeff" + text).encode("utf-8"))
    assert parsed.competencies[0].description == "<p>one\ntwo\nthree\nfour</p>"
    assert [c.row for c in parsed.competencies] == [3, 4]
    assert parse_framework_csv("\ufeff" + text).competencies[0].idnumber == "A"


def test_lf_only_text_is_accepted():
    """A str with bare LF line ends (as in Moodle's own export) parses too."""
    parsed = parse_framework_csv(make_csv(fw(), comp("A")).replace("\r\n", "\n"))
    assert parsed.competencies[0].idnumber == "A"


def test_blank_records_are_skipped_but_counted():
    """Empty lines and all-empty records are ignored; row numbers still match the file."""
    text = make_csv(fw(), [""] * 14, comp("A")).replace("\r\n", "\r\n\r\n", 1)
    assert parse_framework_csv(text).competencies[0].row == 5
    assert errors_of(text.replace("Name of A", ""))[0][0] == 5


def test_idnumbers_and_short_names_are_stripped_descriptions_are_not():
    """Surrounding spaces go from idnumbers, parents and short names, not descriptions."""
    parsed = parse_framework_csv(
        make_csv(fw(), comp(" A "), comp("B", " A", short=" Bee ", description=" d "))
    )
    b = parsed.competencies[1]
    assert (b.idnumber, b.parent_idnumber, b.short_name, b.description) == ("B", "A", "Bee", " d ")


def test_without_core_column_leaves_are_core():
    """No core column: leaves are core, competencies with children are not."""
    parsed = parse_framework_csv(make_csv(fw(), comp("A"), comp("A1", "A"), comp("B")))
    assert not parsed.has_core_column
    assert {c.idnumber: c.core for c in parsed.competencies} == {"A": False, "A1": True, "B": True}


def test_core_column_keeps_explicit_values_and_defaults_blanks():
    """With a core column, 1/yes/true and 0/no/n are kept; a blank gets the leaf default."""
    header = [*MOODLE_HEADER, " Core "]
    rows = [
        fw(width=15),
        comp("A", width=15, core="yes"),
        comp("A1", "A", width=15, core="N"),
        comp("A2", "A", width=15, core=""),
        comp("B", width=15, core="TRUE"),
        comp("C", width=15),
        comp("C1", "C", width=14),  # a short last cell counts as blank
    ]
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    parsed = parse_framework_csv(out.getvalue())
    assert parsed.has_core_column
    cores = {c.idnumber: c.core for c in parsed.competencies}
    assert cores == {"A": True, "A1": False, "A2": True, "B": True, "C": False, "C1": True}


def test_a_15th_column_not_named_core_is_ignored():
    """Only a header cell `core` makes the 15th column the core flag."""
    out = io.StringIO()
    csv.writer(out).writerows([[*MOODLE_HEADER, "notes"], fw(width=15), comp("A", width=15)])
    parsed = parse_framework_csv(out.getvalue().replace("Name of A,1,,,,,,,,,,", "x,1,,,,,,,,,,0"))
    assert not parsed.has_core_column and parsed.competencies[0].core is True


def test_invalid_core_value_is_refused_on_its_row():
    """A core cell that is not yes/no-like is refused, naming the row."""
    errors = errors_of(make_csv(fw(width=15), comp("A", width=15, core="maybe"), core=True))
    assert errors == [(3, "core 'maybe' is not 1 or 0.")]


def test_is_framework_accepts_true_and_yes():
    """The framework row may say 1, true or yes (any case)."""
    for value in ("TRUE", " yes "):
        parsed = parse_framework_csv(make_csv(comp("A"), fw(framework=value)))
        assert parsed.framework.row == 3


def test_framework_idnumber_may_equal_a_competency_idnumber():
    """Moodle allows a competency with the framework's idnumber; so do we."""
    parsed = parse_framework_csv(make_csv(fw("X"), comp("X")))
    assert parsed.framework.idnumber == parsed.competencies[0].idnumber == "X"


def test_idnumber_of_100_characters_is_accepted():
    """Moodle's limit is 100 characters, counted as characters not bytes."""
    parsed = parse_framework_csv(make_csv(fw(), comp("é" * 100, short="ü" * 100)))
    assert parsed.competencies[0].idnumber == "é" * 100


@pytest.mark.parametrize(
    ("rows", "row", "fragment"),
    [
        pytest.param([comp("A")], 0, "No framework row", id="no-framework"),
        pytest.param([fw(), comp("A"), fw("F2")], 0, "2 framework rows (rows 2, 4)", id="two-fw"),
        pytest.param([fw(), comp("A"), comp("A")], 4, "'A' is already used on row 3", id="dup"),
        pytest.param([fw(), comp("A", "ZZ")], 3, "parent 'ZZ' is not in the file", id="parent"),
        pytest.param([fw(), comp("A", "FW")], 3, "empty parent idnumber", id="parent-is-fw"),
        pytest.param([fw(), comp("A", "B"), comp("B", "A")], 3, "A -> B -> A", id="2-cycle"),
        pytest.param([fw(), comp("A", "A")], 3, "its own ancestor: A -> A", id="self-parent"),
        pytest.param([fw(), comp("A")[:5]], 3, "has 5 columns", id="few-columns"),
        pytest.param([fw(), comp("A", format="7")], 3, "description format is '7'", id="fmt"),
        pytest.param([fw(), comp("A", format="html")], 3, "description format", id="fmt-text"),
        pytest.param([fw(), comp("")], 3, "idnumber is empty", id="no-idnumber"),
        pytest.param([fw(), comp("A", short=" ")], 3, "short name is empty", id="no-short"),
        pytest.param([fw(short=""), comp("A")], 2, "short name is empty", id="fw-no-short"),
        pytest.param([fw(), comp("x" * 101)], 3, "longer than Moodle's 100", id="long-id"),
        pytest.param([fw(), comp("A", short="s" * 101)], 3, "101 characters", id="long-short"),
    ],
)
def test_each_refusal_names_its_row(rows, row, fragment):
    """Every refusal is reported with the record number it concerns (0 for the file)."""
    errors = errors_of(make_csv(*rows))
    assert any(r == row and fragment in m for r, m in errors), errors


def test_a_two_cycle_reports_both_rows_but_not_their_descendants():
    """Each row of a cycle is reported once; rows merely below it are not."""
    errors = errors_of(make_csv(fw(), comp("A", "B"), comp("B", "A"), comp("C", "A")))
    assert errors == [
        (3, "Competency 'A' is its own ancestor: A -> B -> A."),
        (4, "Competency 'B' is its own ancestor: B -> A -> B."),
    ]


def test_children_of_a_refused_row_are_not_reported_again():
    """Children of a too-short or unknown-parent row get no extra unknown-parent error."""
    errors = errors_of(
        make_csv(fw(), comp("A")[:3], comp("A1", "A"), comp("B", "?"), comp("B1", "B"))
    )
    assert [r for r, _m in errors] == [3, 5]


def test_bad_encoding_is_refused():
    """Bytes that are not UTF-8 (here Latin-1) are refused as a whole, row 0."""
    errors = errors_of(make_csv(fw(), comp("é")).encode("latin-1"))
    assert len(errors) == 1 and errors[0][0] == 0 and "not UTF-8" in errors[0][1]


def test_empty_file_is_refused():
    """A file without any record is refused, row 0."""
    assert errors_of(b"\xef\xbb\xbf\r\n") == [(0, "The file is empty.")]


def test_several_errors_are_reported_at_once_sorted_by_row():
    """One pass collects every bad row, file-level problems first, then by row."""
    errors = errors_of(
        make_csv(comp("A", format="3"), comp("", short=""), comp("B", "Q"), comp("A"))
    )
    assert [r for r, _m in errors] == [0, 2, 3, 3, 4, 5]
    assert "Row 2: The description format" in str(MoodleCsvError(errors))


def test_render_writes_moodle_header_plus_core_with_crlf_and_no_bom():
    """The header is Moodle's plus `core`; records end in CRLF; the framework row comes first."""
    head = FrameworkRow("FW", "Framework", "d", 1, "a,b", "[]", "x,y")
    text = render_framework_csv(head, [CompetencyRow("A", "Alpha", core=True)])
    assert text.startswith(
        '"Parent id number","Id number",Shortname,Description,"Description format",'
        '"Scale values","Scale configuration","Rule type (optional)",'
        '"Rule outcome (optional)","Rule config (optional)",'
        '"Cross referenced competency id numbers","Exported id (optional)",'
        '"Is framework",Taxonomy,core\r\n'
    )
    assert text.splitlines()[1:] == [
        ',FW,Framework,d,1,"a,b",[],,,,,,1,"x,y",',
        ",A,Alpha,,1,,,,,,,1,,,1",
    ]
    assert text.endswith("\r\n") and not text.startswith("\ufeff")


def test_render_orders_parents_first_and_encodes_references_core_and_exported_ids():
    """Parents first; kept exported ids stay, others get unused numbers; "," becomes %2C."""
    rows = [
        CompetencyRow("C", "Child", parent_idnumber="P", core=None, cross_references=["x,y", "P"]),
        CompetencyRow("P", "Parent", core=False, exported_id="1"),
        CompetencyRow("Q", "Other", core=True),
    ]
    records = list(csv.reader(io.StringIO(render_framework_csv(FrameworkRow("F", "F"), rows))))
    assert [(r[1], r[10], r[11], r[12], r[14]) for r in records[2:]] == [
        ("P", "", "1", "", "0"),
        ("C", "x%2Cy,P", "2", "", ""),
        ("Q", "", "3", "", "1"),
    ]


def test_oecd_round_trip(oecd):
    """parse(render(parse(x))) equals parse(x) but for row numbers and the core column."""
    first = parse_framework_csv(oecd)
    again = parse_framework_csv(render_framework_csv(first.framework, first.competencies))
    assert again.has_core_column
    assert without_rows(again) == without_rows(first)


ID_CHARS = st.one_of(
    st.sampled_from(",\"'\n\r %2C;é漢🙂\t"),
    st.characters(exclude_categories=("Cs",)),
)
idnumbers = (
    st.text(ID_CHARS, min_size=1, max_size=20).map(str.strip).filter(lambda s: s and "%2C" not in s)
)
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@st.composite
def trees(draw) -> tuple[FrameworkRow, list[CompetencyRow]]:
    ids = draw(st.lists(idnumbers, min_size=1, max_size=10, unique=True))
    rows = [
        CompetencyRow(
            idnumber=idnumber,
            short_name=draw(idnumbers),
            parent_idnumber=draw(st.sampled_from(["", *ids[:index]])),
            description=draw(st.one_of(texts, st.just("<p>a\r\nb</p>\n"))),
            description_format=draw(st.sampled_from([0, 1, 2, 4])),
            rule_type=draw(texts),
            rule_outcome=draw(st.sampled_from(["", "0", "3"])),
            rule_config=draw(st.sampled_from(["", "null", '{"base":{"points":2}}'])),
            cross_references=draw(st.lists(st.one_of(st.sampled_from(ids), idnumbers), max_size=3)),
            core=draw(st.none() | st.booleans()),
            scale_values=draw(texts),
            scale_configuration=draw(texts),
            exported_id=draw(st.sampled_from(["", "", "7", "x1"])),
        )
        for index, idnumber in enumerate(ids)
    ]
    head = FrameworkRow(
        idnumber=draw(idnumbers),
        short_name=draw(idnumbers),
        description=draw(texts),
        description_format=draw(st.sampled_from([0, 1, 2, 4])),
        scale_values=draw(texts),
        scale_configuration=draw(texts),
        taxonomy=draw(texts),
    )
    return head, draw(st.permutations(rows))


@settings(max_examples=150, deadline=None)
@given(trees())
def test_round_trip_on_generated_trees(tree):
    """Rendering then parsing gives the tree back, and parse∘render∘parse is parse."""
    head, rows = tree
    first = parse_framework_csv(render_framework_csv(head, rows))
    assert_parents_first(first.competencies)
    got = {c.idnumber: c for c in first.competencies}
    parents = {r.parent_idnumber for r in rows}
    kept_ids = {r.exported_id for r in rows}
    for r in rows:
        c = got[r.idnumber]
        description = r.description.replace("\r\n", "\n").replace("\r", "\n")
        core = r.idnumber not in parents if r.core is None else r.core
        if not r.exported_id:
            assert c.exported_id.isdigit() and c.exported_id not in kept_ids
        expected = replace(r, description=description, core=core, exported_id=c.exported_id)
        assert replace(c, row=0) == expected
    assert replace(first.framework, row=0) == replace(
        head, description=head.description.replace("\r\n", "\n").replace("\r", "\n")
    )
    again = parse_framework_csv(render_framework_csv(first.framework, first.competencies))
    assert without_rows(again) == without_rows(first)
