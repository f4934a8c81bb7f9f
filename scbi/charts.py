"""Charts rendered on the server as SVG: the same markup on pages and in PDFs.

Each chart has a <title> and <desc> for screen readers; pages show the numbers as a table
beside it. No script, no external font: the CSP and WeasyPrint both stay happy.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 40
PALETTE = ["#0b5d4b", "#3a8f7b", "#8cc5b4", "#d9b44a", "#c0612b", "#6b5b95", "#4a6fa5", "#9a9a9a"]


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


def _frame(title: str, description: str, body: list[str], legend: list[tuple[str, str]]) -> Markup:
    legend_items = []
    x = LEFT
    for colour, name in legend:
        legend_items.append(
            f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 5}" font-size="10">{escape(name)}</text>'
        )
        x += 20 + 6.2 * len(name)
    ident = "c" + str(abs(hash((title, description))) % 10**8)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" class="chart" '
        f'font-family="DejaVu Sans, sans-serif">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>'
        + "".join(body)
        + "".join(legend_items)
        + "</svg>"
    )
    return Markup(svg)  # noqa: S704 - every text inside is escaped above


def _axis(maximum: float, labels: list[str], unit: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = [
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#444" stroke-width="1"/>'
    ]
    for i in range(5):
        value = maximum * i / 4
        y = TOP + plot_h - plot_h * i / 4
        out.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#ddd" stroke-width="0.5"/>'
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end">'
            f"{_num(value)}{escape(unit)}</text>"
        )
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    for i, label in enumerate(labels):
        out.append(
            f'<text x="{LEFT + step * (i + 0.5):.1f}" y="{TOP + plot_h + 13}" '
            f'font-size="9" text-anchor="middle">{escape(label)}</text>'
        )
    return out


def stacked_bars(
    title: str, description: str, labels: list[str], series: list[Series], unit: str = ""
) -> Markup:
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    maximum = max([*totals, 1])
    maximum = _nice(maximum)
    plot_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    body = _axis(maximum, labels, unit)
    for i in range(len(labels)):
        y = TOP + plot_h
        for n, s in enumerate(series):
            h = plot_h * s.values[i] / maximum
            if h <= 0:
                continue
            y -= h
            body.append(
                f'<rect x="{LEFT + step * i + step * 0.18:.1f}" y="{y:.1f}" '
                f'width="{step * 0.64:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[n % len(PALETTE)]}"><title>{escape(s.name)}: '
                f"{_num(s.values[i])}{escape(unit)}</title></rect>"
            )
    legend = [(PALETTE[n % len(PALETTE)], s.name) for n, s in enumerate(series)]
    return _frame(title, description, body, legend)


def step_lines(
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    maximum: float = 4,
    target: float | None = None,
) -> Markup:
    plot_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    body = _axis(maximum, labels, "")
    if target is not None:
        y = TOP + plot_h - plot_h * target / maximum
        body.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#c0612b" stroke-dasharray="4 3" stroke-width="1.2"/>'
        )
    for n, s in enumerate(series):
        points = []
        for i, value in enumerate(s.values):
            x0, x1 = LEFT + step * i, LEFT + step * (i + 1)
            # small vertical offset per series so that equal levels stay visible
            y = TOP + plot_h - plot_h * value / maximum - n * 1.5
            points += [f"{x0:.1f},{y:.1f}", f"{x1:.1f},{y:.1f}"]
        body.append(
            f'<polyline fill="none" stroke="{PALETTE[n % len(PALETTE)]}" '
            f'stroke-width="2" points="{" ".join(points)}">'
            f"<title>{escape(s.name)}</title></polyline>"
        )
    legend = [(PALETTE[n % len(PALETTE)], s.name) for n, s in enumerate(series)]
    return _frame(title, description, body, legend)


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
    maximum = _nice(max([*values, target or 0, *(trend or []), 1]))
    plot_h = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels))

    def y_of(value: float) -> float:
        return TOP + plot_h - plot_h * max(0.0, min(value, maximum)) / maximum

    body = _axis(maximum, labels, "")
    legend = [(PALETTE[0], name)]
    if target is not None:
        body.append(
            f'<line x1="{LEFT}" y1="{y_of(target):.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y_of(target):.1f}" stroke="{PALETTE[4]}" stroke-dasharray="6 3" '
            'stroke-width="1.5"/>'
        )
        legend.append((PALETTE[4], _("target %(target)s", target=_num(target))))
    if trend:
        points = " ".join(
            f"{LEFT + step * (i + 0.5):.1f},{y_of(v):.1f}" for i, v in enumerate(trend)
        )
        body.append(
            f'<polyline fill="none" stroke="{PALETTE[6]}" stroke-dasharray="2 3" '
            f'stroke-width="1.5" points="{points}"/>'
        )
        legend.append((PALETTE[6], _("trend")))
    points = " ".join(f"{LEFT + step * (i + 0.5):.1f},{y_of(v):.1f}" for i, v in enumerate(values))
    body.append(f'<polyline fill="none" stroke="{PALETTE[0]}" stroke-width="2" points="{points}"/>')
    for i, value in enumerate(values):
        body.append(
            f'<circle cx="{LEFT + step * (i + 0.5):.1f}" cy="{y_of(value):.1f}" r="3" '
            f'fill="{PALETTE[0]}"><title>{escape(labels[i])}: {_num(value)}</title></circle>'
        )
    return _frame(title, description, body, legend)


def _num(value: float) -> str:
    """A figure in the reader's language (1,5 in French), never more than two decimals."""
    return format_decimal(value, "#,##0.##")


def _nice(value: float) -> float:
    for nice in (1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 80, 100, 200, 250, 400, 500, 1000):
        if value <= nice:
            return nice
    return float(int(value * 1.1) + 1)
