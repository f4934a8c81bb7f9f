"""The charts' measures: sizes, colours, line styles, the two drawings, round ticks and text
widths (estimated for DejaVu Sans)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scbi.i18n import number

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
    return number(value)


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
