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

from html import escape

from flask_babel import gettext as _
from markupsafe import Markup

from scbi.charts.drawing import (
    Key,
    Plot,
    _box,
    _category_axis,
    _legend,
    _marker,
    _stroke,
    _text,
    _tip,
    _value_axis,
)
from scbi.charts.scale import (
    AXIS,
    DASHES,
    FONT,
    GRID,
    INK,
    LAYOUTS,
    LINE,
    MARKERS,
    NARROW,
    PAD,
    PALETTE,
    TARGET_DASH,
    TEXT,
    WIDE,
    Layout,
    Series,
    _kind,
    _num,
    _wrap,
    text_width,
    ticks,
)

__all__ = [
    "AXIS", "FONT", "INK", "LAYOUTS", "NARROW", "PALETTE", "TEXT", "WIDE",
    "Series", "line", "stacked_bars", "step_lines", "text_width", "ticks",
]  # fmt: skip

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
