"""A municipality with three neighbourhoods, margins, and a wave of every library item."""

from __future__ import annotations

from datetime import date

import pytest
from django_scopes import scope

from secu4all.neighbourhoods.models import Area
from secu4all.perception.library import library_items
from secu4all.perception.models import WEIGHTED_SEXES, AgeBand, PopulationMargin
from secu4all.perception.services import questionnaire_create, wave_create

AREAS = {"BU01": ("Noord", 4000), "BU02": ("Zuid", 6000), "BU03": ("West", 2000)}


def margin_rows(areas=AREAS) -> list[tuple[str, str, str, int]]:
    """Eight cells per area adding up to 80 % of its inhabitants (the 15+ population)."""
    rows = []
    for code, (_name, population) in areas.items():
        adults = int(population * 0.8)
        per_cell = adults // 8
        for age in AgeBand.values:
            for sex in WEIGHTED_SEXES:
                rows.append((code, age, sex, per_cell))
    return rows


def margins_csv(rows, *, total: bool = True) -> bytes:
    header = "area_code,age_band,sex,population" + (",total" if total else "")
    sums: dict[str, int] = {}
    for code, _a, _s, n in rows:
        sums[code] = sums.get(code, 0) + n
    lines = [header] + [
        f"{c},{a},{s},{n}" + (f",{sums[c]}" if total else "") for c, a, s, n in rows
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def town(havenstad):
    with scope(organisation=havenstad):
        for code, (name, population) in AREAS.items():
            Area.objects.create(organisation=havenstad, code=code, name=name, population=population)
        for code, age, sex, n in margin_rows():
            PopulationMargin.objects.create(
                organisation=havenstad, area_code=code, age_band=age, sex=sex, population=n
            )
        questionnaire = questionnaire_create(
            organisation=havenstad, actor=None, name="All items", item_codes=list(library_items())
        )
        wave = wave_create(
            organisation=havenstad,
            actor=None,
            questionnaire=questionnaire,
            name="Wave 2025",
            period_start=date(2025, 10, 1),
            period_end=date(2025, 10, 31),
        )
    return {"organisation": havenstad, "questionnaire": questionnaire, "wave": wave}


def make_response(wave, *, area: str, age: str, sex: str, answers: dict, complete: bool = True):
    """A response stored as the public survey would store it."""
    from secu4all.perception.services import answers_save, response_start

    with scope(organisation=wave.organisation):
        response = response_start(wave=wave, language="nl", age_band=age, sex=sex, area_code=area)
        _saved, errors = answers_save(response=response, raw=answers)
        assert not errors
        response.complete = complete
        response.save()
    return response
