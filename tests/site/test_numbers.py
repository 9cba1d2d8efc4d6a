"""Figures in the reader's language: British dates, localised numbers, percentages and money."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from secu4all.common.numbers import format_money, format_number, format_percent

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "money", "percent", "number"),
    [
        ("nl", f"€{NBSP}49.638", f"84,1{NBSP}%", "12.345,6"),
        ("en", "€49,638", "84.1%", "12,345.6"),
        ("de", f"49.638{NBSP}€", f"84,1{NBSP}%", "12.345,6"),
        ("fr", f"49{NBSP}638{NBSP}€", f"84,1{NBSP}%", f"12{NBSP}345,6"),
        ("it", f"49.638{NBSP}€", f"84,1{NBSP}%", "12.345,6"),
    ],
)
def test_figures_in_each_language(language: str, money: str, percent: str, number: str) -> None:
    with translation.override(language):
        assert format_money(49638.4) == money
        assert format_percent(84.12) == percent
        assert format_percent(0.8412, share=True) == percent
        assert format_number(12345.64, 1) == number


def test_missing_and_impossible_figures_show_a_dash_not_nan() -> None:
    with translation.override("nl"):
        for value in (None, "", float("nan"), float("inf"), "abc"):
            assert format_number(value) == "–"
            assert format_money(value) == "–"
            assert format_percent(value) == "–"
        assert format_money(-1200) == f"−€{NBSP}1.200"


def test_english_dates_are_british() -> None:
    day = datetime.date(2026, 12, 3)
    template = Template('{{ d|date:"DATE_FORMAT" }} · {{ d|date:"SHORT_DATE_FORMAT" }} · {{ d }}')
    with translation.override("en"):
        assert (
            template.render(Context({"d": day})) == "3 December 2026 · 03/12/2026 · 3 December 2026"
        )


def test_filters_are_built_in_for_every_template() -> None:
    template = Template("{{ c|money }} {{ s|share:0 }} {{ p|percent }} {{ n|number:2 }}")
    with translation.override("de"):
        rendered = template.render(Context({"c": 1500, "s": 0.25, "p": 7.25, "n": 1234.5}))
    assert rendered == f"1.500{NBSP}€ 25{NBSP}% 7,2{NBSP}% 1.234,50"
