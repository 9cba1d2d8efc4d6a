"""A surveyed town: three neighbourhoods with population margins, a wave of every library item,
and respondents answering it through the survey services."""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from secu4all.neighbourhoods.models import Area
from secu4all.organisations.models import Organisation
from secu4all.perception.library import library_items
from secu4all.perception.models import (
    WEIGHTED_SEXES,
    AgeBand,
    PopulationMargin,
    Response,
    SurveyWave,
)
from secu4all.perception.services import (
    answers_save,
    questionnaire_create,
    response_start,
    wave_create,
)

AREAS = {"BU01": ("Noord", 4000), "BU02": ("Zuid", 6000), "BU03": ("West", 2000)}
# Share feeling unsafe (vm_feels_unsafe 1 or 2) per area, and respondents per cell.
UNSAFE = {"BU01": 0.25, "BU02": 0.5, "BU03": 0.75}
PER_CELL = 4
# One audit-walk pin's ratings, every criterion rated.
RATINGS = {
    "lighting": 0,
    "openness": 1,
    "visibility": 2,
    "people": 3,
    "security": 0,
    "walk_path": 1,
    "transport": 2,
    "gender_diversity": 3,
    "feeling": 1,
}


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


def surveyed_town_make(organisation: Organisation) -> dict:
    """The three ``AREAS`` with their margins, and an open wave asking every library item."""
    with scope(organisation=organisation):
        for code, (name, population) in AREAS.items():
            Area.objects.create(
                organisation=organisation, code=code, name=name, population=population
            )
        for code, age, sex, n in margin_rows():
            PopulationMargin.objects.create(
                organisation=organisation, area_code=code, age_band=age, sex=sex, population=n
            )
        questionnaire = questionnaire_create(
            organisation=organisation,
            actor=None,
            name="All items",
            item_codes=list(library_items()),
        )
        wave = wave_create(
            organisation=organisation,
            actor=None,
            questionnaire=questionnaire,
            name="Wave 2025",
            period_start=date(2025, 10, 1),
            period_end=date(2025, 10, 31),
        )
    return {"organisation": organisation, "questionnaire": questionnaire, "wave": wave}


def make_response(
    wave: SurveyWave, *, area: str, age: str, sex: str, answers: dict, complete: bool = True
) -> Response:
    """A response stored as the public survey would store it."""
    with scope(organisation=wave.organisation):
        response = response_start(wave=wave, language="nl", age_band=age, sex=sex, area_code=area)
        _saved, errors = answers_save(response=response, raw=answers)
        assert not errors
        response.complete = complete
        response.save()
    return response


def fill(wave: SurveyWave, *, per_cell=PER_CELL, unsafe=UNSAFE, skip=()) -> list[tuple]:
    """Per cell, the first round(share · per_cell) respondents feel unsafe; marks vary by age."""
    rows = []
    for area in AREAS:
        for a, age in enumerate(AgeBand.values):
            for sex in WEIGHTED_SEXES:
                if (area, age, sex) in skip:
                    continue
                for i in range(per_cell):
                    feels = 2 if i < round(unsafe[area] * per_cell) else 4
                    mark = 5 + a + (i % 2)
                    make_response(
                        wave,
                        area=area,
                        age=age,
                        sex=sex,
                        answers={"vm_feels_unsafe": feels, "vm_report_mark": mark},
                    )
                    rows.append((area, age, sex, feels, mark))
    return rows


def survey_start(client: Client, wave: SurveyWave, lang: str = "nl", **data) -> HttpResponse:
    """Post the public survey's first page: the respondent's age band, sex and neighbourhood."""
    body = {"age_band": "25-44", "sex": "female", "area_code": "BU01", **data}
    return client.post(reverse("survey:start", args=[wave.token, lang]), body)


def response_key(started: HttpResponse) -> str:
    """The response key in the redirect that follows ``survey_start``."""
    return re.search(r"/s/r/([^/]+)/1/", started["Location"]).group(1)
