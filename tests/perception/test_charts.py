"""The SVG charts of the results pages: their elements, values, intervals and number formats."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from secu4all.perception.charts import (
    Point,
    TrendSeries,
    interval_bars,
    nice_ticks,
    percent,
    trend_lines,
)

NAN = float("nan")
SVG = "{http://www.w3.org/2000/svg}"
BARS = [
    Point(0.25, 0.18, 0.33, label="Noord"),
    Point(0.5, 0.42, 0.58, label="Zuid"),
    Point(0.841, 0.6, 0.95, True, label="West"),
]


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well formed


def texts(root: ET.Element, css_class: str) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == css_class]


def test_bars_draw_one_bar_and_one_interval_per_row_with_their_values() -> None:
    with translation.override("en"):
        root = parsed(interval_bars(BARS, unit="%", name="Feels unsafe", reference=0.45))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Feels unsafe"
    bars = [r for r in root.iter(f"{SVG}rect") if "bar" in (r.get("class") or "")]
    assert [float(b.get("data-value")) for b in bars] == [0.25, 0.5, 0.841]
    intervals = [g for g in root.iter(f"{SVG}g") if g.get("class") == "interval"]
    assert [(float(g.get("data-low")), float(g.get("data-high"))) for g in intervals] == [
        (0.18, 0.33),
        (0.42, 0.58),
        (0.6, 0.95),
    ]
    # Whisker ends sit where the interval ends are on the axis: longer bar, further right.
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] < widths[1] < widths[2]
    assert texts(root, "label") == ["Noord", "Zuid", "West"]
    assert texts(root, "value") == ["25.0%", "50.0%", "(84.1%)"]
    assert "muted" in bars[2].get("class")
    assert bars[2].get("fill") == "url(#chart-hatch)"
    assert [line for line in root.iter(f"{SVG}line") if line.get("class") == "reference"]


@pytest.mark.parametrize(
    ("language", "value", "tick"),
    [
        ("en", "84.1%", "20%"),
        ("nl", "84,1\u00a0%", "20\u00a0%"),
        ("de", "84,1\u00a0%", "20\u00a0%"),
        ("fr", "84,1\u00a0%", "20\u00a0%"),
        ("it", "84,1\u00a0%", "20\u00a0%"),
    ],
)
def test_numbers_on_the_chart_follow_the_language(language, value, tick) -> None:
    with translation.override(language):
        root = parsed(interval_bars([Point(0.841, 0.8, 0.88, label="Noord")], unit="%", name="x"))
        assert percent(0.8412) == value
    assert texts(root, "value") == [value]
    assert tick in texts(root, "tick")


def test_means_use_their_scale_and_two_decimals() -> None:
    with translation.override("de"):
        root = parsed(
            interval_bars([Point(6.854, 6.5, 7.2, label="N")], unit="", name="Mark", scale_max=10)
        )
    assert texts(root, "value") == ["6,85"]
    assert texts(root, "tick") == ["0", "2", "4", "6", "8", "10"]


def test_a_missing_estimate_draws_no_bar_and_says_so() -> None:
    root = parsed(interval_bars([Point(NAN, NAN, NAN, label="Leeg")], unit="%", name="x"))
    assert not [r for r in root.iter(f"{SVG}rect") if "bar" in (r.get("class") or "")]
    assert texts(root, "value") == ["—"]


def test_labels_are_escaped() -> None:
    svg = interval_bars([Point(0.2, 0.1, 0.3, label="<script>")], unit="%", name='a "b" <c>')
    assert "<script>" not in svg
    assert parsed(svg).get("aria-label") == 'a "b" <c>'


def test_trend_draws_line_band_and_points_across_waves() -> None:
    series = [
        TrendSeries(
            "All",
            [
                Point(0.4, 0.35, 0.45),
                Point(0.36, 0.31, 0.41),
                Point(0.3, 0.2, 0.4, True),
            ],
        )
    ]
    with translation.override("fr"):
        root = parsed(trend_lines(series, waves=["2023", "2024", "2025"], unit="%", name="Trend"))
    assert texts(root, "wave") == ["2023", "2024", "2025"]
    points = [g for g in root.iter(f"{SVG}g") if g.get("class") == "point"]
    assert [float(p.get("data-value")) for p in points] == [0.4, 0.36, 0.3]
    assert [float(p.get("data-low")) for p in points] == [0.35, 0.31, 0.2]
    bands = [p for p in root.iter(f"{SVG}polygon") if p.get("class") == "band"]
    assert len(bands) == 1
    assert len(bands[0].get("points").split()) == 6
    line = next(p for p in root.iter(f"{SVG}polyline") if p.get("class") == "line")
    ys = [float(pair.split(",")[1]) for pair in line.get("points").split()]
    assert ys[0] < ys[1] < ys[2]  # SVG y grows downwards: falling shares go down the chart
    assert "50\u00a0%" in texts(root, "tick")
    # The suppressed wave's marker is open (white), the others filled.
    fills = [next(iter(p)).get("fill") for p in points]
    assert fills == ["#1b1f24", "#1b1f24", "#ffffff"]


def test_trend_breaks_the_line_where_a_wave_did_not_measure() -> None:
    series = [
        TrendSeries("A", [Point(0.4, 0.3, 0.5), None, Point(0.3, 0.2, 0.4)]),
        TrendSeries("B", [Point(0.2, 0.1, 0.3), Point(0.25, 0.2, 0.3), None]),
    ]
    root = parsed(trend_lines(series, waves=["1", "2", "3"], unit="%", name="x"))
    lines = [p for p in root.iter(f"{SVG}polyline") if p.get("class") == "line"]
    assert len(lines) == 1  # A has two single points, B one joined run of two
    dashes = {g.get("data-name"): g for g in root.iter(f"{SVG}g") if g.get("class") == "series"}
    assert set(dashes) == {"A", "B"}
    keys = [g for g in root.iter(f"{SVG}g") if g.get("class") == "key"]
    assert len(keys) == 2  # two series get a key telling them apart by dash and marker


def test_ticks_are_round() -> None:
    assert nice_ticks(0.78) == [0.0, 0.2, 0.4, 0.6, 0.8]
    assert nice_ticks(7.3) == [0, 2, 4, 6, 8]
    assert re.fullmatch(r"[\d.]+", str(nice_ticks(37)[1]))
