"""Charts people can read: round ticks, labels of 12 px (8 pt in the PDF), colours told
apart, legends never cut off, each with its title and description (issue 17)."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel

from scbi import charts

ROOT = Path(__file__).resolve().parents[2] / "scbi"
SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [
    f"{m} 26"
    for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec")
]
LONG_NAMES = [
    "Monitoring and evaluation of agricultural investment programmes",
    "Value chain analysis and development",
    "Irrigation scheme planning and water-user association support",
    "Extension programme design",
    "Supercalifragilisticexpialidociousnessofthisoneword",
    "Seed certification",
    "Post-harvest loss reduction and storage",
    "Agricultural policy analysis",
]


@pytest.fixture(autouse=True)
def reader():
    """Charts format their numbers in the reader's language: a request of a bare app."""
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield app


def drawings(markup) -> list[ET.Element]:
    box = ET.fromstring(str(markup))  # noqa: S314 - markup this test just drew
    assert box.get("class") == "chart-box"
    return list(box)


def texts(svg: ET.Element, cls: str) -> list[ET.Element]:
    return [t for t in svg.iter(f"{SVG}text") if t.get("class") == cls]


def width_of(svg: ET.Element) -> float:
    return float(svg.get("viewBox").split()[2])


def every_chart():
    series = [charts.Series(name, [1.5, 2, 0, 4.25]) for name in ("observed", "assisted", "led")]
    return {
        "line": charts.line(
            "Experts", "From 0 to 3.", MONTHS, [0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
            name="experts", target=15, trend=[0.1 * i for i in range(12)],
        ),
        "bars": charts.stacked_bars(
            "Pipeline", "expert: 2", ["expert", "1 below", "2 below", "3 or more below"],
            [charts.Series("mentees", [2, 1, 1, 6])],
        ),
        "stacked": charts.stacked_bars("Hours", "By part", MONTHS[:4], series, unit="h"),
        "steps": charts.step_lines(
            "Levels", "Each line a competency.", MONTHS,
            [charts.Series(n, [i % 5] * 12) for i, n in enumerate(LONG_NAMES)], target=3,
        ),
    }  # fmt: skip


# --- ticks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (12, [0, 5, 10, 15]),
        (250, [0, 50, 100, 150, 200, 250]),
    ],
)
def test_counts_are_ticked_in_whole_numbers(maximum, expected):
    """A count is never ticked at 0.75 or 1.25: whole steps of at least 1, up to the max."""
    assert charts.ticks(maximum, "count") == expected


@pytest.mark.parametrize("maximum", [0.4, 1, 1.5, 2, 3, 4, 5, 6, 9, 11, 13, 19, 99, 101, 1234])
@pytest.mark.parametrize("kind", ["count", "hours", "measure"])
def test_ticks_are_round_steps_from_zero_past_the_maximum(maximum, kind):
    """4 to 6 ticks (fewer only for counts below 3), a step of 1, 2, 2.5 or 5 × 10^k (2.5
    only for measures other than hours and counts), the top tick at or above the maximum."""
    scale = charts.ticks(maximum, kind)
    step = scale[1] - scale[0]
    mantissa = round(step / 10 ** math.floor(math.log10(step)), 6)
    assert scale[0] == 0 and scale[-2] < maximum <= scale[-1]
    assert all(math.isclose(b - a, step) for a, b in itertools.pairwise(scale))
    assert mantissa in ((1, 2, 2.5, 5) if kind == "measure" else (1, 2, 5))
    if kind == "count":
        assert all(float(t).is_integer() for t in scale) and step >= 1
    if kind == "hours":
        assert step >= 0.5
    assert len(scale) <= 6 and (len(scale) >= 4 or (kind != "measure" and maximum < 3))


def test_hours_are_ticked_at_round_hours():
    assert charts.ticks(37.5, "hours") == [0, 10, 20, 30, 40]
    assert charts.ticks(118.5, "hours") == [0, 50, 100, 150]


def test_the_charts_of_counts_print_whole_tick_labels():
    """The pipeline (mentees) and the experts' trajectory: no 1.5 mentees on an axis."""
    made = every_chart()
    for svg in drawings(made["bars"]):
        assert [t.text for t in texts(svg, "xl")] in (
            ["0", "2", "4", "6"],
            ["0", "1", "2", "3", "4", "5", "6"],
        )
    for svg in drawings(made["line"]):
        assert [t.text for t in texts(svg, "yl")] == ["0", "5", "10", "15"]


def test_tick_labels_are_in_the_reader_s_language():
    app = Flask(__name__)
    app.config["BABEL_DEFAULT_LOCALE"] = "fr"
    Babel(app)
    with app.test_request_context():
        markup = charts.stacked_bars(
            "Parts", "…", ["a", "b"], [charts.Series("x", [5, 6]), charts.Series("y", [0, 5])], "%"
        )
    labels = [t.text for t in texts(drawings(markup)[0], "yl")]
    assert labels == ["0%", "2,5%", "5%", "7,5%", "10%", "12,5%"]


# --- legible at any width -------------------------------------------------------------------


def css_rem(pattern: str, text: str) -> float:
    found = re.search(pattern, text, re.S)
    assert found, pattern
    return float(found.group(1)) * 16


def test_labels_are_12_px_on_screen_at_any_width_and_8_pt_in_the_pdf():
    """app.css shows the wide drawing only in a box of 30rem or more and never shrinks the
    narrow one under its min-width; the PDF prints the wide drawing at 115 mm."""
    css = (ROOT / "static/css/app.css").read_text()
    narrow_min = css_rem(r"svg\.chart-narrow \{[^}]*min-width: ([\d.]+)rem", css)
    wide_from = css_rem(
        r"@container \(max-width: ([\d.]+)rem\) \{ svg\.chart-wide \{ display: none", css
    )
    wide_from = math.ceil(wide_from)  # 29.99rem and under: narrow; from 30rem: wide
    assert charts.FONT * narrow_min / charts.NARROW.width >= 12
    assert charts.FONT * wide_from / charts.WIDE.width >= 12

    print_css = (ROOT / "templates/reports/_print_head.html").read_text()
    figure_mm = float(re.search(r"\.chart-row figure \{ flex: 0 0 ([\d.]+)mm", print_css).group(1))
    assert ".chart-narrow { display: none; }" in print_css
    points = charts.FONT * figure_mm / charts.WIDE.width / 25.4 * 72
    assert points >= 8

    for markup in every_chart().values():
        wide, narrow = drawings(markup)
        assert "chart-wide" in wide.get("class") and "chart-narrow" in narrow.get("class")
        for svg in (wide, narrow):
            assert svg.get("font-size") == str(charts.FONT)
            assert all(e.get("font-size") is None for e in svg.iter() if e is not svg)


def test_labels_under_a_plot_never_overlap_nor_leave_the_drawing():
    """Twelve months on a phone: on one line or two, or every second one, never on top of
    each other."""
    for name, markup in every_chart().items():
        for svg in drawings(markup):
            boxes = {}
            for t in texts(svg, "xl"):
                half = charts.text_width(t.text) / 2
                x = float(t.get("x"))
                low, high = boxes.get(x, (x, x))
                boxes[x] = (min(low, x - half), max(high, x + half))
            spans = sorted(boxes.values())
            assert spans, name
            assert spans[0][0] >= 0 and spans[-1][1] <= width_of(svg), name
            for (_a, end), (start, _b) in itertools.pairwise(spans):
                assert start >= end + 4, (name, svg.get("class"))


@pytest.mark.parametrize("layout", [charts.WIDE, charts.NARROW], ids=["wide", "narrow"])
def test_month_labels_are_wrapped_between_words_never_inside_one(layout):
    """Longer month names (French) on two lines, or every second one: never "mar" / "s 26"."""
    months = ["janv. 26", "févr. 26", "mars 26", "avr. 26", "mai 26", "juin 26", "juil. 26"]
    months += ["août 26", "sept. 26", "oct. 26", "nov. 26", "déc. 26"]
    svg = drawings(charts.line("Experts", "…", months, [1] * 12, name="experts", target=15))
    svg = svg[charts.LAYOUTS.index(layout)]
    lines: dict[str, list[str]] = {}
    for t in texts(svg, "xl"):
        lines.setdefault(t.get("x"), []).append(t.text)
    printed = [" ".join(parts) for parts in lines.values()]
    assert len(printed) >= 4
    assert set(printed) <= set(months)
    assert printed[-1] == "déc. 26"


def test_a_bar_per_category_names_each_category_whole():
    """Categories (activities, the pipeline) are never thinned out: each name is printed."""
    names = ["on the job", "shadowing", "joint delivery", "formal training", "review feedback"]
    markup = charts.stacked_bars(
        "Hours", "…", names, [charts.Series("hours", [27, 24, 18.5, 11.5, 0])], "h"
    )
    for svg in drawings(markup):
        printed = " ".join(t.text for t in texts(svg, "yl"))
        assert all(name in printed for name in names)
        values = [t.text for t in texts(svg, "vl")]
        assert values == ["27h", "24h", "18.5h", "11.5h", "0h"]
        for t in texts(svg, "yl") + texts(svg, "vl"):
            x = float(t.get("x"))
            width = charts.text_width(t.text)
            left = x - width if t.get("text-anchor") == "end" else x
            assert left >= 0 and left + width <= width_of(svg)


# --- colours and legends --------------------------------------------------------------------


def contrast(colour: str) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def test_every_colour_stands_out_from_white_by_3_to_1():
    """WCAG 1.4.11: bars and lines told by their colour contrast 3:1 with the page."""
    assert contrast("#ffffff") == pytest.approx(1)
    assert contrast("#000000") == pytest.approx(21)
    for colour in [*charts.PALETTE, charts.INK, charts.TEXT, charts.AXIS]:
        assert contrast(colour) >= 3, colour
    assert contrast(charts.TEXT) >= 4.5
    assert len(set(charts.PALETTE)) == len(charts.PALETTE)


def test_lines_that_overlap_differ_by_dash_and_marker_too():
    steps = every_chart()["steps"]
    for svg in drawings(steps):
        lines = [p for p in svg.iter(f"{SVG}polyline") if p.find(f"{SVG}title") is not None]
        assert len(lines) == len(LONG_NAMES)
        styles = {(p.get("stroke"), p.get("stroke-dasharray")) for p in lines}
        assert len(styles) == len(LONG_NAMES)
        assert len({p.get("stroke-dasharray") for p in lines}) == len(LONG_NAMES)


@pytest.mark.parametrize("count", [2, 4, 8])
def test_legends_wrap_inside_the_drawing(count):
    """However many and however long the names, every legend line ends inside the viewBox
    and above its bottom: the drawing grows taller instead."""
    series = [charts.Series(name, [1] * 12) for name in LONG_NAMES[:count]]
    for markup in (
        charts.step_lines("Levels", "…", MONTHS, series, target=3),
        charts.stacked_bars("Hours", "…", MONTHS, series, unit="h"),
    ):
        for svg in drawings(markup):
            legend = texts(svg, "lg")
            height = float(svg.get("viewBox").split()[3])
            printed = " ".join(t.text for t in legend).replace(" ", "")
            for name in LONG_NAMES[:count]:
                assert name.replace(" ", "") in printed
            for t in legend:
                assert float(t.get("x")) >= 0
                assert float(t.get("x")) + charts.text_width(t.text) <= width_of(svg)
                assert float(t.get("y")) <= height


# --- accessible -----------------------------------------------------------------------------


def test_every_drawing_has_its_title_and_description():
    for name, markup in every_chart().items():
        for svg in drawings(markup):
            assert svg.get("role") == "img", name
            title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
            assert title.text and desc.text, name
            assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        ids = [svg.find(f"{SVG}title").get("id") for svg in drawings(markup)]
        assert len(set(ids)) == 2, name


def test_names_are_escaped():
    markup = charts.stacked_bars("<b>", "a & b", ["<i>"], [charts.Series("<s>", [1])])
    assert "<b>" not in str(markup) and "&lt;i&gt;" in str(markup)
    assert drawings(markup)
