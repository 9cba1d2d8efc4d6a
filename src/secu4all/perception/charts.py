"""Server-side SVG charts of survey results: bars with 95 % intervals, and trend lines with
interval bands, drawn so they read in greyscale and carry localised numbers on their axes.

The charts are pictures of the table printed beside them (the table is their text
alternative), so each SVG is one ``role="img"`` with a short accessible name; nothing is
fetched or scripted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

WIDTH = 640
LABEL_WIDTH = 168
VALUE_WIDTH = 72
ROW_HEIGHT = 26
AXIS_HEIGHT = 30
# Dash patterns and marker shapes tell trend series apart without colour (greyscale, print).
DASHES = ("", "6 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "diamond", "triangle")
NBSP = "\u00a0"


def number(value: float, decimals: int) -> str:
    """A number in the active language's notation: 84.1 in English, 84,1 in the others."""
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def percent(share: float, decimals: int = 1) -> str:
    """A share (0–1) as a percentage: 84.1% in English, 84,1 % (non-breaking) elsewhere."""
    text = number(100 * share, decimals)
    return f"{text}%" if (get_language() or "en").startswith("en") else f"{text}{NBSP}%"


def figure(value: float, unit: str, decimals: int | None = None) -> str:
    """A value as its unit says: a share as a percentage, a mean with two decimals."""
    if value is None or not math.isfinite(value):
        return "—"
    if unit == "%":
        return percent(value, 1 if decimals is None else decimals)
    return number(value, 2 if decimals is None else decimals)


@dataclass(frozen=True)
class Point:
    """An estimate with its 95 % interval: a neighbourhood's bar, or a wave on a trend line
    (``label`` names the bar); ``muted`` when too few answered to publish it."""

    value: float
    low: float
    high: float
    muted: bool = False
    label: str = ""


@dataclass(frozen=True)
class TrendSeries:
    """One line across the waves; ``points`` aligned with the waves, None where not measured."""

    name: str
    points: Sequence[Point | None]


def _finite(*values: float) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


def nice_ticks(high: float, *, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``high``: steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if not _finite(high) or high <= 0:
        return [0.0, 1.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    top = math.ceil(high / step - 1e-9) * step
    ticks = [round(i * step, 10) for i in range(round(top / step) + 1)]
    return ticks


def axis_top(unit: str, highs: Sequence[float], scale_max: float | None) -> float:
    """The right end of the value axis: a share runs to 100 %, a mean to its scale's top, else
    to the largest interval end."""
    if scale_max is not None:
        return scale_max
    finite = [h for h in highs if _finite(h)]
    top = max(finite, default=1.0)
    if unit == "%":
        return nice_ticks(min(1.0, top))[-1] if top < 1 else 1.0
    return nice_ticks(top)[-1]


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(width: int, height: int, name: str, body: list[str], css_class: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in ``body`` and ``name`` is escaped
        f'<svg class="chart {css_class}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(name)}" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false">' + "".join(body) + "</svg>"
    )


def interval_bars(
    bars: Sequence[Point],
    *,
    unit: str,
    name: str,
    reference: float | None = None,
    reference_label: str = "",
    scale_max: float | None = None,
) -> SafeString:
    """Horizontal bars, one per row, each with its 95 % interval as a black whisker.

    ``reference`` (e.g. all neighbourhoods together) is a dashed vertical line. Rows whose
    estimate is suppressed are drawn hatched and light, and their value is in brackets.
    """
    ticks_top = axis_top(unit, [b.high for b in bars] + [reference or 0], scale_max)
    ticks = [t for t in nice_ticks(ticks_top) if t <= ticks_top + 1e-9]
    left, right = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    span = right - left

    def x(v: float) -> float:
        return left + span * max(0.0, min(v, ticks_top)) / ticks_top

    height = AXIS_HEIGHT + ROW_HEIGHT * max(1, len(bars)) + 8
    plot_bottom = height - AXIS_HEIGHT
    body = [
        '<defs><pattern id="chart-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#6b7580" stroke-width="2"/></pattern></defs>'
    ]
    for tick in ticks:
        tx = x(tick)
        body.append(
            f'<line class="grid" x1="{tx:.1f}" y1="4" x2="{tx:.1f}" y2="{plot_bottom}" '
            'stroke="#c9d1d8" stroke-width="1"/>'
            f'<text class="tick" x="{tx:.1f}" y="{plot_bottom + 18}" text-anchor="middle" '
            f'font-size="12" fill="#1b1f24">{escape(figure(tick, unit, 0))}</text>'
        )
    for i, bar in enumerate(bars):
        top = 6 + i * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2 - 2
        body.append(
            f'<text class="label" x="{left - 8}" y="{middle + 4:.1f}" text-anchor="end" '
            f'font-size="13" fill="#1b1f24">{escape(_short(bar.label))}</text>'
        )
        if not _finite(bar.value):
            body.append(
                f'<text class="value" x="{left + 4}" y="{middle + 4:.1f}" font-size="12" '
                'fill="#4a5560">—</text>'
            )
            continue
        fill = "url(#chart-hatch)" if bar.muted else "#5b7f9e"
        body.append(
            f'<rect class="bar{" muted" if bar.muted else ""}" x="{left}" y="{top + 3}" '
            f'width="{x(bar.value) - left:.1f}" height="{ROW_HEIGHT - 10}" fill="{fill}" '
            f'stroke="#3b5873" stroke-width="1" data-value="{bar.value:.6g}"/>'
        )
        if _finite(bar.low, bar.high):
            lo, hi = x(bar.low), x(bar.high)
            body.append(
                f'<g class="interval" data-low="{bar.low:.6g}" data-high="{bar.high:.6g}" '
                'stroke="#000000" stroke-width="2">'
                f'<line x1="{lo:.1f}" y1="{middle:.1f}" x2="{hi:.1f}" y2="{middle:.1f}"/>'
                f'<line x1="{lo:.1f}" y1="{middle - 6:.1f}" x2="{lo:.1f}" y2="{middle + 6:.1f}"/>'
                f'<line x1="{hi:.1f}" y1="{middle - 6:.1f}" x2="{hi:.1f}" y2="{middle + 6:.1f}"/>'
                "</g>"
            )
        shown = figure(bar.value, unit)
        body.append(
            f'<text class="value" x="{right + 6}" y="{middle + 4:.1f}" font-size="12" '
            f'fill="#1b1f24">{escape(f"({shown})" if bar.muted else shown)}</text>'
        )
    if reference is not None and _finite(reference):
        rx = x(reference)
        body.append(
            f'<line class="reference" x1="{rx:.1f}" y1="2" x2="{rx:.1f}" y2="{plot_bottom}" '
            'stroke="#1b1f24" stroke-width="1.5" stroke-dasharray="5 3">'
            f"<title>{escape(reference_label)}</title></line>"
        )
    body.append(
        f'<line class="axis" x1="{left}" y1="{plot_bottom}" x2="{right}" y2="{plot_bottom}" '
        'stroke="#1b1f24" stroke-width="1"/>'
    )
    return _svg(WIDTH, height, name, body, "chart-bars")


def _marker(shape: str, cx: float, cy: float, fill: str) -> str:
    if shape == "square":
        return f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="{fill}"/>'
    if shape == "diamond":
        return (
            f'<polygon points="{cx:.1f},{cy - 5:.1f} {cx + 5:.1f},{cy:.1f} {cx:.1f},{cy + 5:.1f} '
            f'{cx - 5:.1f},{cy:.1f}" fill="{fill}"/>'
        )
    if shape == "triangle":
        return (
            f'<polygon points="{cx:.1f},{cy - 5:.1f} {cx + 5:.1f},{cy + 4:.1f} '
            f'{cx - 5:.1f},{cy + 4:.1f}" fill="{fill}"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{fill}"/>'


def trend_lines(
    series: Sequence[TrendSeries],
    *,
    waves: Sequence[str],
    unit: str,
    name: str,
    scale_max: float | None = None,
) -> SafeString:
    """Lines across the waves (oldest first), each with its 95 % interval as a grey band.

    Series are told apart by dash pattern and marker shape, not by colour alone; a wave
    where a series was not measured breaks its line rather than joining across it.
    """
    height, top, bottom = 260, 12, 200
    left, right = 64, WIDTH - 24
    highs = [p.high for s in series for p in s.points if p is not None]
    y_top = axis_top(unit, highs, scale_max)
    ticks = [t for t in nice_ticks(y_top) if t <= y_top + 1e-9]
    slots = max(1, len(waves) - 1)

    def x(i: int) -> float:
        return left + (right - left) * (i / slots if len(waves) > 1 else 0.5)

    def y(v: float) -> float:
        return bottom - (bottom - top) * max(0.0, min(v, y_top)) / y_top

    body = []
    for tick in ticks:
        ty = y(tick)
        body.append(
            f'<line class="grid" x1="{left}" y1="{ty:.1f}" x2="{right}" y2="{ty:.1f}" '
            'stroke="#c9d1d8" stroke-width="1"/>'
            f'<text class="tick" x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#1b1f24">{escape(figure(tick, unit, 0))}</text>'
        )
    for i, wave in enumerate(waves):
        anchor = "start" if i == 0 and len(waves) > 1 else "end" if i == slots else "middle"
        body.append(
            f'<text class="wave" x="{x(i):.1f}" y="{bottom + 20}" text-anchor="{anchor}" '
            f'font-size="12" fill="#1b1f24">{escape(_short(wave, 18))}</text>'
        )
    for k, line in enumerate(series):
        dash, shape = DASHES[k % len(DASHES)], MARKERS[k % len(MARKERS)]
        runs: list[list[tuple[int, Point]]] = [[]]
        for i, point in enumerate(line.points):
            if point is None or not _finite(point.value):
                runs.append([])
            else:
                runs[-1].append((i, point))
        group = [f'<g class="series" data-name="{escape(line.name)}">']
        for run in (r for r in runs if r):
            banded = [(i, p) for i, p in run if _finite(p.low, p.high)]
            if banded:
                upper = [f"{x(i):.1f},{y(p.high):.1f}" for i, p in banded]
                lower = [f"{x(i):.1f},{y(p.low):.1f}" for i, p in reversed(banded)]
                if len(banded) == 1:  # one wave: a short band so the interval still shows
                    i, p = banded[0]
                    upper = [f"{x(i) - 6:.1f},{y(p.high):.1f}", f"{x(i) + 6:.1f},{y(p.high):.1f}"]
                    lower = [f"{x(i) + 6:.1f},{y(p.low):.1f}", f"{x(i) - 6:.1f},{y(p.low):.1f}"]
                group.append(
                    f'<polygon class="band" points="{" ".join(upper + lower)}" '
                    'fill="#1b1f24" fill-opacity="0.14" stroke="none"/>'
                )
            if len(run) > 1:
                points = " ".join(f"{x(i):.1f},{y(p.value):.1f}" for i, p in run)
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                group.append(
                    f'<polyline class="line" points="{points}" fill="none" stroke="#1b1f24" '
                    f'stroke-width="2"{dashed}/>'
                )
            for i, p in run:
                fill = "#ffffff" if p.muted else "#1b1f24"
                group.append(
                    f'<g class="point" data-value="{p.value:.6g}" data-low="{p.low:.6g}" '
                    f'data-high="{p.high:.6g}" stroke="#1b1f24" stroke-width="1.5">'
                    + _marker(shape, x(i), y(p.value), fill)
                    + "</g>"
                )
        group.append("</g>")
        body.extend(group)
    body.append(
        f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" '
        'stroke="#1b1f24" stroke-width="1"/>'
    )
    if len(series) > 1:
        for k, line in enumerate(series):
            lx, ly = left + 150 * k, height - 14
            dash = DASHES[k % len(DASHES)]
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            body.append(
                f'<g class="key"><line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" '
                f'stroke="#1b1f24" stroke-width="2"{dashed}/>'
                + _marker(MARKERS[k % len(MARKERS)], lx + 12, ly, "#1b1f24")
                + f'<text x="{lx + 30}" y="{ly + 4}" font-size="12" fill="#1b1f24">'
                f"{escape(_short(line.name, 16))}</text></g>"
            )
    return _svg(WIDTH, height, name, body, "chart-trend")
