"""Demo perceived safety for Gemeente Havenstad: two survey waves with synthetic respondents,
population margins per neighbourhood, and audit walks with rated places.

The respondents are drawn so the results tell a plausible story: more fear in Centrum and the
Stationsbuurt, where the demo incidents concentrate; more fear than recorded crime would suggest
in a few quieter neighbourhoods (the fear gap page reads them out); older people
over-represented, as in real postal surveys, so the weights matter; wave 2 a little safer than
wave 1, and one neighbourhood below the 30-respondent threshold, so the flag shows.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from secu4all.incidents import demo_generator
from secu4all.neighbourhoods.services import area_save
from secu4all.organisations.models import Organisation
from secu4all.perception.library import library_items
from secu4all.perception.models import (
    Answer,
    AuditPin,
    AuditWalk,
    PopulationMargin,
    QuestionnaireItem,
    Response,
    SurveyWave,
)
from secu4all.perception.services import (
    pins_place_in_areas,
    questionnaire_create,
    wave_create,
    wave_set_open,
)

AGE_SHARES = {"15-24": 0.14, "25-44": 0.31, "45-64": 0.30, "65+": 0.25}
# Postal surveys reach older people more easily than the young.
AGE_RESPONSE = {"15-24": 0.5, "25-44": 0.8, "45-64": 1.1, "65+": 1.5}
ADULT_SHARE = 0.84  # inhabitants aged 15 and over
FEAR = {
    "Centrum": 0.52,
    "Stationsbuurt": 0.47,
    "Vaartoever": 0.50,
    "Havenkwartier": 0.33,
    "Oude Stad": 0.30,
    "Marktveld": 0.27,
    "Parkwijk": 0.22,
    "Zuiderhout": 0.20,
    "Duinzicht": 0.18,
}
WAVES = (
    ("Veiligheidsmonitor Havenstad 2024", date(2024, 10, 1), date(2024, 10, 31), 0.0, 420, False),
    ("Veiligheidsmonitor Havenstad 2025", date(2025, 10, 1), date(2025, 10, 31), -0.05, 450, True),
)


def load(*, password: str) -> bool:
    organisation = Organisation.objects.get(slug="havenstad")
    if SurveyWave.objects.filter(organisation=organisation).exists():
        return False
    for code, name, population in demo_generator.NEIGHBOURHOODS:
        area_save(
            organisation=organisation,
            code=code,
            name=name,
            population=population,
            overwrite=False,
        )
    areas = [(code, name, population) for code, name, population in demo_generator.NEIGHBOURHOODS]
    _margins(organisation, areas)
    questionnaire = questionnaire_create(
        organisation=organisation,
        actor=None,
        name="Veiligheidsmonitor Havenstad",
        description="All items of the library, in the Veiligheidsmonitor order.",
        item_codes=list(library_items()),
    )
    rng = np.random.default_rng(7)
    for name, start, end, shift, size, is_open in WAVES:
        wave = wave_create(
            organisation=organisation,
            actor=None,
            questionnaire=questionnaire,
            name=name,
            period_start=start,
            period_end=end,
        )
        _responses(wave, areas, rng, shift=shift, size=size)
        if not is_open:
            # Closed as an adviser would close it: the estimates frozen as version 1.
            wave_set_open(wave=wave, actor=None, is_open=False)
    _walks(organisation)
    pins_place_in_areas(organisation=organisation)
    return True


def _margins(organisation: Organisation, areas: list) -> None:
    cells = []
    for code, _name, population in areas:
        adults = round(population * ADULT_SHARE)
        for age, share in AGE_SHARES.items():
            women = round(adults * share * 0.51)
            men = round(adults * share) - women
            cells += [(code, age, "female", women), (code, age, "male", men)]
    PopulationMargin.objects.bulk_create(
        PopulationMargin(
            organisation=organisation, wave=None, area_code=c, age_band=a, sex=s, population=n
        )
        for c, a, s, n in cells
    )


def _ordinal(u: float, cuts: tuple[float, ...]) -> int:
    """Code 1 for the highest latent value: cuts from high to low."""
    for code, cut in enumerate(cuts, start=1):
        if u > cut:
            return code
    return len(cuts) + 1


def _responses(wave: SurveyWave, areas: list, rng: np.random.Generator, *, shift: float, size: int):
    organisation = wave.organisation
    items = list(QuestionnaireItem.objects.filter(questionnaire=wave.questionnaire))
    weights = np.array([p for _c, _n, p in areas], dtype=float)
    ages = list(AGE_SHARES)
    age_p = np.array([AGE_SHARES[a] * AGE_RESPONSE[a] for a in ages])
    answers = []
    for _ in range(size):
        code, name, _population = areas[rng.choice(len(areas), p=weights / weights.sum())]
        age = ages[rng.choice(len(ages), p=age_p / age_p.sum())]
        sex = "female" if rng.random() < 0.53 else "male"
        if rng.random() < 0.03:
            sex = "other"
        fear = (
            FEAR[name]
            + shift
            + (0.06 if sex == "female" else 0)
            + (0.05 if age == "65+" else -0.04 if age == "15-24" else 0)
        )
        u = fear + rng.normal(0, 0.18)
        cohesion = 0.62 - 0.35 * u + rng.normal(0, 0.12)
        response = Response(
            organisation=organisation,
            wave=wave,
            key=f"demo-{wave.pk}-{rng.integers(10**12):012d}",
            language="nl" if rng.random() < 0.8 else str(rng.choice(["en", "de", "fr", "it"])),
            age_band=age if rng.random() > 0.02 else "",
            sex=sex,
            area_code=code,
            complete=True,
            created_on=wave.period_start,
        )
        # About one in twelve stopped halfway; their answers so far still count.
        stop = len(items) if rng.random() > 0.08 else int(rng.integers(3, len(items) // 2))
        response.complete = stop == len(items)
        response.save()
        for item in items[:stop]:
            value = _answer(item.code, u, cohesion, rng)
            if value is not None:
                answers.append(
                    Answer(organisation=organisation, response=response, item=item, value=value)
                )
    Answer.objects.bulk_create(answers, batch_size=2000)


def _answer(code: str, u: float, cohesion: float, rng: np.random.Generator) -> int | None:
    noise = rng.normal(0, 0.1)
    v = u + noise
    if rng.random() < 0.02:
        return None  # skipped
    if code == "ess_safe_after_dark":
        return 5 - _ordinal(v, (0.78, 0.48, 0.12))
    if code in ("vm_feels_unsafe", "vm_unsafe_neighbourhood", "vm_unsafe_street_evening"):
        lift = {"vm_feels_unsafe": 0.0, "vm_unsafe_neighbourhood": -0.05}.get(code, 0.05)
        return _ordinal(v + lift, (0.75, 0.42, 0.18))
    if code.startswith("vm_avoid"):
        return _ordinal(v, (0.7, 0.45))
    if code.startswith("vm_risk"):
        offset = {"vm_risk_online_fraud": 0.25, "vm_risk_pickpocketing": 0.1}.get(code, -0.1)
        return _ordinal(v + offset, (0.85, 0.5, 0.2))
    if code == "vm_report_mark":
        return int(np.clip(round(8.4 - 6 * (u - 0.15) + rng.normal(0, 0.6)), 1, 10))
    if code.startswith("sc_"):
        agree = int(np.clip(round(1 + 4 * (cohesion + rng.normal(0, 0.12))), 1, 5))
        return 6 - agree if library_items()[code].reverse else agree
    if code.startswith("bp_"):
        base = {"bp_dog_fouling": 0.25, "bp_speeding": 0.3, "bp_litter": 0.15}.get(code, 0.0)
        return _ordinal(v + base, (0.8, 0.45))
    return None


# (area name, route, time of day, date, walkers, centre dx, dy metres, mean rating)
WALKS = (
    (
        "Centrum",
        "Grote Plein and the nightlife streets",
        "night",
        date(2025, 3, 14),
        6,
        -400,
        250,
        1.2,
    ),
    (
        "Centrum",
        "Grote Plein and the nightlife streets",
        "day",
        date(2025, 3, 15),
        5,
        -400,
        250,
        2.3,
    ),
    (
        "Stationsbuurt",
        "Station square to the bicycle parking",
        "night",
        date(2025, 3, 20),
        4,
        1200,
        900,
        1.0,
    ),
    ("Vaartoever", "Canal towpath", "night", date(2025, 4, 2), 3, 1900, 2100, 1.4),
)


def _walks(organisation: Organisation) -> None:
    rng = np.random.default_rng(11)
    codes = {name: code for code, name, _p in demo_generator.NEIGHBOURHOODS}
    criteria = (
        "lighting",
        "openness",
        "visibility",
        "people",
        "security",
        "walk_path",
        "transport",
        "gender_diversity",
        "feeling",
    )
    for area, route, time, day, walkers, dx, dy, mean in WALKS:
        walk = AuditWalk.objects.create(
            organisation=organisation,
            area_code=codes[area],
            route=route,
            time_of_day=time,
            walked_on=day,
            walkers=walkers,
        )
        for _ in range(7):
            x, y = rng.normal([dx, dy], 120)
            ratings = {c: int(np.clip(round(mean + rng.normal(0, 0.8)), 0, 3)) for c in criteria}
            AuditPin.objects.create(
                organisation=organisation,
                walk=walk,
                lon=round(demo_generator.CENTRE_LON + x / 68_600, 6),
                lat=round(demo_generator.CENTRE_LAT + y / 111_320, 6),
                comment="Dark underpass, no one around" if ratings["lighting"] == 0 else "",
                **ratings,
            )
