"""What every chart is drawn with: its SVG frame (title, description), text, legend,
lines, markers and axes."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from scbi.charts.scale import (
    AXIS,
    FONT,
    GRID,
    LAYOUTS,
    LINE,
    PAD,
    TEXT,
    Layout,
    _num,
    _wrap,
    text_width,
)


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
