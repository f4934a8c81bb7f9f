"""Moodle framework CSV: the real OECD file, every refusal with its row, and round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scbi.programme.moodle import (
    CompetencyRow,
    FrameworkRow,
    MoodleCsvError,
    parse_framework_csv,
    render_framework_csv,
)

OECD = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "moodle-oecd-framework.csv"
HEAD = (
    '"Parent id number","Id number",Shortname,Description,"Description format",'
    '"Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)",'
    '"Rule config (optional)","Cross referenced competency id numbers",'
    '"Exported id (optional)","Is framework",Taxonomy'
)
FW = ',FW,Framework,"<p>About</p>",1,"Not yet,Competent","[{""scaleid"":""2""}]",,,,,,1,"a,b"'


def csv_of(*rows: str, core: bool = False) -> str:
    return "\r\n".join([HEAD + (",core" if core else ""), *rows]) + "\r\n"


def comparable(parsed):
    return [
        (
            c.idnumber,
            c.parent_idnumber,
            c.short_name,
            c.description,
            c.description_format,
            c.rule_type,
            c.rule_outcome,
            c.rule_config,
            c.cross_references,
            c.core,
        )
        for c in parsed.competencies
    ]


@pytest.fixture
def oecd() -> bytes:
    if not OECD.exists():
        pytest.skip("the shared OECD fixture is not beside this checkout")
    return OECD.read_bytes()


def test_the_oecd_framework_parses(oecd):
    """Moodle's own example: one framework, 64 competencies in a three-level tree."""
    parsed = parse_framework_csv(oecd)
    assert parsed.framework.idnumber == "OECD-CORE"
    assert parsed.framework.scale_values == "Not yet competent,Competent"
    assert len(parsed.competencies) == 64
    by_id = {c.idnumber: c for c in parsed.competencies}
    assert by_id["DR-AT1"].parent_idnumber == "analytical-thinking"
    assert by_id["level-1"].cross_references[:2] == ["S-DT-1", "S-DT-2"]
    assert by_id["analytical-thinking"].description.startswith("<p>Analytical Thinking is")
    assert "\n" in by_id["analytical-thinking"].description
    assert not parsed.has_core_column
    assert by_id["DR-AT1"].core and not by_id["delivery"].core  # leaves are core


def test_the_oecd_framework_round_trips(oecd):
    parsed = parse_framework_csv(oecd)
    again = parse_framework_csv(render_framework_csv(parsed.framework, parsed.competencies))
    assert comparable(again) == comparable(parsed)
    assert again.framework.description == parsed.framework.description
    assert again.framework.scale_configuration == parsed.framework.scale_configuration
    assert again.framework.taxonomy == parsed.framework.taxonomy
    assert again.has_core_column


def test_bom_crlf_children_first_and_escaped_commas():
    data = (
        "\ufeff"
        + csv_of(
            FW,
            'P1,C1,Child,"<p>line one\r\nline two</p>",1,,,,,null,"X%2CY,P1",,,',
            ",P1,Parent,,1,,,,,,,,,",
        )
    ).encode("utf-8")
    parsed = parse_framework_csv(data)
    assert [c.idnumber for c in parsed.competencies] == ["P1", "C1"]
    child = parsed.competencies[1]
    assert child.description == "<p>line one\nline two</p>"
    assert child.cross_references == ["X,Y", "P1"]
    assert child.rule_config == "null"
    rendered = render_framework_csv(parsed.framework, parsed.competencies)
    assert "X%2CY,P1" in rendered
    assert rendered.endswith("\r\n")


def test_core_column_values_are_kept_and_blanks_default():
    parsed = parse_framework_csv(
        csv_of(
            FW + ",",
            ",A,Branch,,1,,,,,,,,,,1",
            "A,B,Leaf,,1,,,,,,,,,,0",
            "A,C,Leaf two,,1,,,,,,,,,,",
            core=True,
        )
    )
    assert {c.idnumber: c.core for c in parsed.competencies} == {"A": True, "B": False, "C": True}


@pytest.mark.parametrize(
    ("rows", "row", "fragment"),
    [
        ([",A,No framework,,1,,,,,,,,,"], 0, "No framework row"),
        ([FW, ",FW2,Second,,1,,,,,,,,1,"], 0, "2 framework rows (rows 2, 3)"),
        ([FW, ",A,One,,1,,,,,,,,,", ",A,Again,,1,,,,,,,,,"], 4, "already used on row 3"),
        ([FW, "ZZ,A,Orphan,,1,,,,,,,,,"], 3, "parent 'ZZ' is not in the file"),
        ([FW, "B,A,One,,1,,,,,,,,,", "A,B,Two,,1,,,,,,,,,"], 3, "its own ancestor"),
        ([FW, "A,A,Self,,1,,,,,,,,,"], 3, "its own ancestor: A -> A"),
        ([FW, ",A,Short row,,1"], 3, "has 5 columns"),
        ([FW, ",A,Bad format,,7,,,,,,,,,"], 3, "description format"),
        ([FW, ",,No idnumber,,1,,,,,,,,,"], 3, "idnumber is empty"),
        ([FW, ",A,,,1,,,,,,,,,"], 3, "short name is empty"),
        ([FW, ",A," + "x" * 101 + ",,1,,,,,,,,,"], 3, "longer than Moodle's 100"),
    ],
)
def test_each_refusal_names_its_row(rows, row, fragment):
    with pytest.raises(MoodleCsvError) as caught:
        parse_framework_csv(csv_of(*rows))
    assert any(r == row and fragment in m for r, m in caught.value.errors), caught.value.errors


def test_an_invalid_core_value_is_refused():
    with pytest.raises(MoodleCsvError) as caught:
        parse_framework_csv(csv_of(FW + ",", ",A,One,,1,,,,,,,,,,maybe", core=True))
    assert caught.value.errors == [(3, "core 'maybe' is not 1 or 0.")]


def test_every_bad_row_is_reported_at_once():
    with pytest.raises(MoodleCsvError) as caught:
        parse_framework_csv(csv_of(FW, ",,x,,1,,,,,,,,,", "Q,B,y,,1,,,,,,,,,", ",C,z,,9,,,,,,,,,"))
    assert [r for r, _m in caught.value.errors] == [3, 4, 5]


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(MoodleCsvError) as caught:
        parse_framework_csv(csv_of(FW).encode("utf-16"))
    assert "UTF-8" in caught.value.errors[0][1]


ids = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def frameworks(draw):
    idnumbers = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    rows = []
    for index, idnumber in enumerate(idnumbers):
        parent = draw(st.sampled_from(["", *idnumbers[:index]]))
        rows.append(
            CompetencyRow(
                idnumber=idnumber,
                short_name=draw(ids),
                parent_idnumber=parent,
                description=draw(texts).replace("\r", ""),
                core=draw(st.booleans()),
                cross_references=draw(st.lists(ids, max_size=3)),
                rule_config=draw(st.sampled_from(["", "null", '{"base":1}'])),
            )
        )
    head = FrameworkRow(
        idnumber=draw(ids), short_name=draw(ids), description=draw(texts).replace("\r", "")
    )
    return head, rows


@settings(max_examples=60, deadline=None)
@given(frameworks())
def test_render_then_parse_gives_the_same_framework(framework):
    head, rows = framework
    parsed = parse_framework_csv(render_framework_csv(head, rows))
    assert (
        parsed.framework.idnumber,
        parsed.framework.short_name,
        parsed.framework.description,
    ) == (head.idnumber, head.short_name, head.description)
    expected = {
        r.idnumber: (
            r.parent_idnumber,
            r.short_name,
            r.description,
            r.core,
            r.cross_references,
            r.rule_config,
        )
        for r in rows
    }
    got = {
        c.idnumber: (
            c.parent_idnumber,
            c.short_name,
            c.description,
            c.core,
            c.cross_references,
            c.rule_config,
        )
        for c in parsed.competencies
    }
    assert got == expected
