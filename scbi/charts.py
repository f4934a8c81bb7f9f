"""Charts rendered on the server as SVG: the same markup on pages and in PDFs.

Each chart has a <title> and <desc> for screen readers; pages show the numbers as a table
beside it. No script, no external font: the CSP and WeasyPrint both stay happy.

An SVG scales its text with its width, so each chart is drawn twice, labels at FONT units in
both: WIDE (560 units across) and NARROW (320). app.css shows the wide drawing in a box at
least 30rem across (14 × 480/560 = 12 px at the least) and the narrow one, never under
17.25rem (14 × 276/320 = 12.1 px), below that; the PDF gives charts 115 mm and the wide
drawing (14 × 115/560 mm = 8.2 pt). Text widths are estimated for DejaVu Sans, wider than
the sans-serif fonts browsers fall back to, so the estimates err on the safe side.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from html import escape

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

FONT = 14
LINE = FONT * 1.25
PAD = 4
# Okabe–Ito's blue, vermilion, bluish green and reddish purple, then a violet, a brown and a
# grey told apart from them under protanopia, deuteranopia and tritanopia; every one at
# 3:1 or more against white (WCAG 1.4.11). Black is kept for targets.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#7B2FD0", "#8C510A", "#555555"]
INK, TEXT, GRID, AXIS = "#000000", "#1b1b1b", "#dddddd", "#595959"
DASHES = ["", "8 4", "2 3", "10 3 2 3", "5 5", "1.5 4", "12 4 4 4", "4 2"]
MARKERS = ["circle", "square", "triangle", "diamond"]
TARGET_DASH = "9 5"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


@dataclass(frozen=True)
class Layout:
    """One drawing of a chart: its width in viewBox units and the height of its plot."""

    name: str
    width: int
    plot_height: int


WIDE = Layout("wide", 560, 190)
NARROW = Layout("narrow", 320, 170)
LAYOUTS = (WIDE, NARROW)


# --- ticks, numbers and text --------------------------------------------------------------

STEPS = {"count": (1, 2, 5), "hours": (1, 2, 5), "measure": (1, 2, 2.5, 5)}
SMALLEST = {"count": 1.0, "hours": 0.5, "measure": 0.0}


def ticks(maximum: float, kind: str = "measure", intervals: int = 5) -> list[float]:
    """Axis ticks at round values, from 0 to the first tick at or above ``maximum``, at most
    ``intervals`` apart: steps of 1, 2, 2.5 or 5 × 10^k; whole numbers of at least 1 for a
    ``count``, no 2.5 and never under half an hour for ``hours``."""
    if maximum <= 0:
        return [0, 1]
    exponent = math.floor(math.log10(maximum / intervals))
    for power in range(exponent - 1, max(exponent, 0) + 3):
        for multiplier in STEPS[kind]:
            step = multiplier * 10**power
            if step < SMALLEST[kind]:
                continue
            n = max(1, math.ceil(maximum / step - 1e-9))
            if n <= intervals:
                return [round(i * step, 10) for i in range(n + 1)]
    raise AssertionError("unreachable: the largest step always fits")


def _kind(values: list[float], unit: str) -> str:
    """How an axis is ticked: hours by their unit, whole numbers without one as a count."""
    if unit == "h":
        return "hours"
    if not unit and all(float(v).is_integer() for v in values):
        return "count"
    return "measure"


def _num(value: float) -> str:
    """A figure in the reader's language (1,5 in French), never more than two decimals."""
    return format_decimal(value, "#,##0.##")


def text_width(text: str, size: float = FONT) -> float:
    """The advance of ``text`` in DejaVu Sans, rounded up per character."""
    total = 0.0
    for ch in text:
        if ch in " .,:;'!|ijl":
            total += 0.34
        elif ch in "frt()[]-/":
            total += 0.44
        elif ch in "mwMW%—":
            total += 1.0
        elif ch.isupper():
            total += 0.8
        elif ch.isascii():
            total += 0.65
        else:
            total += 0.8
    return total * size


def _wrap(text: str, width: float, *, break_words: bool = True) -> list[str]:
    """``text`` in lines no wider than ``width``; a word too long for one is broken, or
    (``break_words`` false) left whole on its line, for the caller to measure."""
    lines: list[str] = []
    current = ""
    for word in text.split() or [""]:
        while break_words and text_width(word) > width and len(word) > 1:
            cut = max((i for i in range(1, len(word)) if text_width(word[:i]) <= width), default=1)
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current]


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" text-anchor="{anchor}">{escape(text)}</text>'
    )


# --- the frame: title, description, legend ----------------------------------------------


def _svg(layout: Layout, title: str, description: str, height: float, parts: list[str]) -> str:
    key = f"{title}|{description}|{layout.name}".encode()
    ident = f"c{zlib.crc32(key):08x}"
    height = math.ceil(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} {height}" '
        f'width="{layout.width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" class="chart chart-{layout.name}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="{FONT}" fill="{TEXT}">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )


def _box(title: str, description: str, draw) -> Markup:
    drawings = "".join(_svg(layout, title, description, *draw(layout)) for layout in LAYOUTS)
    return Markup(f'<div class="chart-box">{drawings}</div>')  # noqa: S704 - texts escaped


@dataclass(frozen=True)
class Key:
    """A legend entry: a filled square for bars, or a stretch of line with its marker."""

    name: str
    colour: str
    dash: str | None = None
    marker: str | None = None

    @property
    def swatch(self) -> float:
        return 14 if self.dash is None else 30


def _legend(keys: list[Key], layout: Layout, top: float) -> tuple[list[str], float]:
    """The keys flowed in rows across the drawing, each name wrapped to fit: the rows grow
    downwards, never past the right edge. Returns the markup and its bottom."""
    parts: list[str] = []
    x, y, row = PAD, top, 0.0
    right = layout.width - PAD
    for key in keys:
        lines = _wrap(key.name, right - PAD - key.swatch - 6)
        width = key.swatch + 6 + max(text_width(line) for line in lines)
        if x > PAD and x + width > right:
            x, y, row = PAD, y + row + 4, 0.0
        middle = y + FONT * 0.55
        if key.dash is None:
            parts.append(
                f'<rect x="{x:.1f}" y="{middle - 7:.1f}" width="14" height="14" '
                f'fill="{key.colour}"/>'
            )
        else:
            parts.append(_stroke(key, [(x, middle), (x + key.swatch, middle)], 2.5))
            if key.marker:
                parts.append(_marker(key.marker, x + key.swatch / 2, middle, key.colour))
        for i, line in enumerate(lines):
            parts.append(_text(x + key.swatch + 6, y + FONT * 0.9 + i * LINE, line, "lg"))
        x += width + 14
        row = max(row, len(lines) * LINE)
    return parts, y + row


def _stroke(key: Key, points: list[tuple[float, float]], width: float = 2.0, tip: str = "") -> str:
    dash = f' stroke-dasharray="{key.dash}"' if key.dash else ""
    coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return (
        f'<polyline fill="none" stroke="{key.colour}" stroke-width="{width}"{dash} '
        f'points="{coords}">{_tip(tip)}</polyline>'
    )


def _tip(text: str) -> str:
    """A tooltip for a mark (the table beside the chart has every number too)."""
    return f"<title>{escape(text)}</title>" if text else ""


def _marker(kind: str, x: float, y: float, colour: str, size: float = 4.5, tip: str = "") -> str:
    """A filled shape with a white edge, so markers on one spot stay apart."""
    edge = f'fill="{colour}" stroke="#fff" stroke-width="1"'
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" {edge}>{_tip(tip)}</circle>'
    if kind == "square":
        s = size * 0.9
        return (
            f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" '
            f"{edge}>{_tip(tip)}</rect>"
        )
    s = size * 1.25
    shape = (
        [(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)]
        if kind == "triangle"
        else [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
    )
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in shape)
    return f'<polygon points="{points}" {edge}>{_tip(tip)}</polygon>'


# --- axes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plot:
    """Where the values go: a box in the drawing, the value at its top, and room kept inside
    its top and bottom edges (for lines drawn side by side around a level)."""

    left: float
    top: float
    right: float
    bottom: float
    ticks: list[float]
    inset: float = 0.0

    def y(self, value: float) -> float:
        value = max(0.0, min(value, self.ticks[-1]))
        span = self.bottom - self.top - 2 * self.inset
        return self.bottom - self.inset - span * value / self.ticks[-1]

    def x(self, index: float, count: int) -> float:
        return self.left + (self.right - self.left) * (index + 0.5) / max(1, count)


def _value_axis(
    layout: Layout, scale: list[float], unit: str, inset: float = 0.0
) -> tuple[Plot, list[str]]:
    """The vertical axis: round ticks, their gridlines and labels."""
    labels = [f"{_num(t)}{unit}" for t in scale]
    left = max(text_width(label) for label in labels) + 10
    top = max(FONT * 0.7 - inset, 2)
    plot = Plot(left, top, layout.width - 8, top + layout.plot_height, scale, inset)
    parts = []
    for value, label in zip(scale, labels, strict=True):
        y = plot.y(value)
        parts.append(
            f'<line x1="{plot.left}" y1="{y:.1f}" x2="{plot.right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(plot.left - 6, y + FONT * 0.35, label, "yl", "end"))
    parts.append(
        f'<line x1="{plot.left}" y1="{plot.bottom}" x2="{plot.right}" y2="{plot.bottom}" '
        f'stroke="{AXIS}" stroke-width="1.2"/>'
    )
    return plot, parts


def _category_axis(layout: Layout, plot: Plot, labels: list[str]) -> tuple[list[str], float]:
    """The labels under the plot: each on one line or two; when they would still touch,
    every second (third …) one, always the last. Returns the markup and its bottom."""
    n = len(labels)
    slot = (plot.right - plot.left) / max(1, n)
    for every in range(1, n + 1):
        shown = [i for i in range(n) if (n - 1 - i) % every == 0]
        for most in (1, 2):
            placed = _place(layout, plot, labels, shown, every * slot - 6, most)
            if placed is not None:
                return _draw_categories(plot, n, placed)
    # the last label alone is still too wide: in as many lines as it takes
    placed = _place(layout, plot, labels, [n - 1] if n else [], layout.width - 2 * PAD, 99)
    return _draw_categories(plot, n, placed or [])


def _place(
    layout: Layout, plot: Plot, labels: list[str], shown: list[int], room: float, most: int
) -> list[tuple[float, list[str]]] | None:
    """Where each shown label goes (its middle and its lines, at most ``most``, each no
    wider than ``room``), kept inside the drawing; None when two would touch."""
    placed: list[tuple[float, list[str]]] = []
    previous = -math.inf
    for i in shown:
        lines = _wrap(labels[i], room, break_words=most > 2) if most > 1 else [labels[i]]
        width = max(text_width(line) for line in lines)
        if len(lines) > most or width > room:
            return None
        x = min(max(plot.x(i, len(labels)), width / 2 + 1), layout.width - width / 2 - 1)
        if x - width / 2 < previous + 6:
            return None
        previous = x + width / 2
        placed.append((x, lines))
    return placed


def _draw_categories(
    plot: Plot, n: int, placed: list[tuple[float, list[str]]]
) -> tuple[list[str], float]:
    parts = [
        f'<line x1="{plot.x(i, n):.1f}" y1="{plot.bottom}" x2="{plot.x(i, n):.1f}" '
        f'y2="{plot.bottom + 4}" stroke="{AXIS}" stroke-width="1"/>'
        for i in range(n)
    ]
    lines = 1
    for x, text_lines in placed:
        lines = max(lines, len(text_lines))
        for k, line in enumerate(text_lines):
            parts.append(_text(x, plot.bottom + 4 + FONT + k * LINE, line, "xl", "middle"))
    return parts, plot.bottom + 4 + FONT * 0.3 + lines * LINE


# --- the charts ---------------------------------------------------------------------------


def stacked_bars(
    title: str, description: str, labels: list[str], series: list[Series], unit: str = ""
) -> Markup:
    """Bars of the series stacked, one per label, each series in its colour. One series
    alone is drawn across (a bar per row, its name above or beside it, its value at its end),
    so long category names are read whole."""
    if len(series) == 1:
        return _box(
            title, description, lambda layout: _bars_across(layout, labels, series[0], unit)
        )
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = max([*totals, 0])
    if unit == "%":
        top = min(top, 100)  # shares rounded one by one may add up to 100.1
    kind = _kind([v for s in series for v in s.values], unit)
    keys = [Key(s.name, PALETTE[n % len(PALETTE)]) for n, s in enumerate(series)]

    def draw(layout: Layout):
        plot, parts = _value_axis(layout, ticks(top, kind), unit)
        slot = (plot.right - plot.left) / max(1, len(labels))
        for i in range(len(labels)):
            base = 0.0
            for key, s in zip(keys, series, strict=True):
                value = s.values[i]
                if value <= 0:
                    continue
                y1, y0 = plot.y(base), plot.y(base + value)
                base += value
                parts.append(
                    f'<rect x="{plot.x(i, len(labels)) - slot * 0.34:.1f}" y="{y0:.1f}" '
                    f'width="{slot * 0.68:.1f}" height="{max(0.5, y1 - y0):.1f}" '
                    f'fill="{key.colour}" stroke="#fff" stroke-width="1">'
                    f"<title>{escape(labels[i])}, {escape(s.name)}: "
                    f"{_num(value)}{escape(unit)}</title></rect>"
                )
        axis, bottom = _category_axis(layout, plot, labels)
        legend, end = _legend(keys, layout, bottom + 8)
        return end + 6, parts + axis + legend

    return _box(title, description, draw)


def _bars_across(layout: Layout, labels: list[str], series: Series, unit: str):
    values = [float(v) for v in series.values]
    shown = [f"{_num(v)}{unit}" for v in values]
    beside = max([0, *(text_width(label) for label in labels)]) <= layout.width * 0.34
    left = max([0, *(text_width(label) for label in labels)]) + 10 if beside else PAD
    right = layout.width - max([0, *(text_width(s) for s in shown)]) - 10
    for intervals in (5, 4, 3, 2):
        scale = ticks(max([*values, 0]), _kind(values, unit), intervals)
        tick_labels = [f"{_num(t)}{unit}" for t in scale]
        if max(text_width(t) for t in tick_labels) + 8 <= (right - left) / (len(scale) - 1):
            break
    names = [[label] if beside else _wrap(label, layout.width - 2 * PAD) for label in labels]
    rows, bars, y = [], [], 4.0
    for lines in names:
        rows.append(y)
        bars.append(y + 6 if beside else y + len(lines) * LINE + 4)
        y += 28 if beside else len(lines) * LINE + 26
    plot = Plot(left, 4.0, right, y, scale)
    # gridlines and the axis run down the whole plot, or (names above the bars) only beside
    # each bar, never through a name
    bands = [(plot.top, plot.bottom)] if beside else [(b - 3, b + 19) for b in bars]
    parts = []
    for value, label in zip(scale, tick_labels, strict=True):
        x = plot.left + (plot.right - plot.left) * value / scale[-1]
        parts += [
            f'<line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y1:.1f}" '
            f'stroke="{GRID if value else AXIS}" stroke-width="{1 if value else 1.2}"/>'
            for y0, y1 in bands
        ]
        half = text_width(label) / 2
        x = min(max(x, half + 1), layout.width - half - 1)
        parts.append(_text(x, plot.bottom + 4 + FONT, label, "xl", "middle"))
    for bar_y, row, lines, label, value, text in zip(
        bars, rows, names, labels, values, shown, strict=True
    ):
        if beside:
            parts.append(_text(left - 6, bar_y + 8 + FONT * 0.35, label, "yl", "end"))
        else:
            for k, line in enumerate(lines):
                parts.append(_text(PAD, row + FONT * 0.9 + k * LINE, line, "yl"))
        width = (plot.right - plot.left) * max(0.0, value) / scale[-1]
        parts.append(
            f'<rect x="{left}" y="{bar_y:.1f}" width="{width:.1f}" height="16" '
            f'fill="{PALETTE[0]}">{_tip(f"{label}: {text}")}</rect>'
        )
        parts.append(_text(left + width + 4, bar_y + 8 + FONT * 0.35, text, "vl"))
    return plot.bottom + 4 + FONT + 6, parts


def step_lines(
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    maximum: float = 4,
    target: float | None = None,
) -> Markup:
    """Levels month by month, a step line per series told apart by colour, dash and marker
    (on each change and at the end); series on the same level run side by side."""
    keys = [
        Key(s.name, PALETTE[n % len(PALETTE)], DASHES[n % len(DASHES)], MARKERS[n % 4])
        for n, s in enumerate(series)
    ]
    goal = None
    if target is not None:
        goal = Key(_("target %(target)s", target=_num(target)), INK, TARGET_DASH)
    scale = ticks(maximum, "count")

    def draw(layout: Layout):
        spread = min(3.5, 0.5 * layout.plot_height / (len(scale) - 1) / max(1, len(series)))
        plot, parts = _value_axis(layout, scale, "", spread * (len(series) - 1) / 2 + 5)
        n = len(labels)
        if goal is not None:
            y = plot.y(target)
            parts.append(_stroke(goal, [(plot.left, y), (plot.right, y)], 2.5))
        for k, (key, s) in enumerate(zip(keys, series, strict=True)):
            shift = (k - (len(series) - 1) / 2) * spread
            points, marks = [], []
            for i, value in enumerate(s.values):
                y = plot.y(value) - shift
                edge = plot.left + (plot.right - plot.left) * i / max(1, n)
                points += [(edge, y), (edge + (plot.right - plot.left) / max(1, n), y)]
                if i == len(s.values) - 1 or (i and value != s.values[i - 1]):
                    marks.append(_marker(key.marker, plot.x(i, n), y, key.colour))
            parts.append(_stroke(key, points, 2.0, s.name))
            parts += marks
        axis, bottom = _category_axis(layout, plot, labels)
        legend, end = _legend([*keys, *([goal] if goal else [])], layout, bottom + 8)
        return end + 6, parts + axis + legend

    return _box(title, description, draw)


def line(
    title: str,
    description: str,
    labels: list[str],
    values: list[float],
    *,
    name: str,
    target: float | None = None,
    trend: list[float] | None = None,
) -> Markup:
    """One series as a line with its points, an optional target (dashed, across) and an
    optional fitted trend (dotted)."""
    kind = _kind([*values, target or 0], "")
    scale = ticks(max([*values, target or 0, *(trend or []), 0]), kind)
    main = Key(name, PALETTE[0], "", "circle")
    goal = None
    if target is not None:
        goal = Key(_("target %(target)s", target=_num(target)), INK, TARGET_DASH)
    fitted = Key(_("trend"), PALETTE[1], "2 3") if trend else None

    def draw(layout: Layout):
        plot, parts = _value_axis(layout, scale, "")
        n = len(labels)
        if goal is not None:
            parts.append(_stroke(goal, [(plot.left, plot.y(target)), (plot.right, plot.y(target))]))
        if fitted is not None:
            parts.append(_stroke(fitted, [(plot.x(i, n), plot.y(v)) for i, v in enumerate(trend)]))
        parts.append(_stroke(main, [(plot.x(i, n), plot.y(v)) for i, v in enumerate(values)], 2.5))
        for i, value in enumerate(values):
            tip = f"{labels[i]}: {_num(value)}"
            parts.append(_marker("circle", plot.x(i, n), plot.y(value), main.colour, 3.5, tip))
        axis, bottom = _category_axis(layout, plot, labels)
        keys = [main, *([goal] if goal else []), *([fitted] if fitted else [])]
        legend, end = _legend(keys, layout, bottom + 8)
        return end + 6, parts + axis + legend

    return _box(title, description, draw)
