"""The per-area read contracts: the neighbourhoods' selectors and recorded crime per area."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.incidents.models import AreaCount, ImportRun, Incident
from secu4all.incidents.selectors import CrimePeriod, CrimeSource, crime_by_area
from secu4all.neighbourhoods.selectors import area_get, area_list, area_names
from secu4all.neighbourhoods.services import area_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas(havenstad, riverton):
    area_save(organisation=havenstad, code="BU02", name="Dorp", population=2000)
    area_save(organisation=havenstad, code="BU01", name="Haven", population=1000)
    area_save(organisation=havenstad, code="BU03", name="Park")
    area_save(organisation=riverton, code="BU01", name="Elsewhere", population=5)
    return havenstad


def test_area_selectors_read_one_organisation(areas, riverton) -> None:
    assert [a.code for a in area_list(organisation=areas)] == ["BU01", "BU02", "BU03"]
    assert area_get(organisation=areas, code="BU01").name == "Haven"
    assert area_get(organisation=areas, code="BU09") is None
    assert area_names(organisation=areas) == {"BU01": "Haven", "BU02": "Dorp", "BU03": "Park"}
    assert area_names(organisation=riverton) == {"BU01": "Elsewhere"}


def test_area_save_keeps_an_existing_area_when_told_to(areas) -> None:
    area_save(organisation=areas, code="BU01", name="Renamed", overwrite=False)
    assert area_get(organisation=areas, code="BU01").name == "Haven"
    area_save(organisation=areas, code="BU01", name="Renamed", population=1)
    assert area_get(organisation=areas, code="BU01").population == 1


def incident(organisation, run, n: int, area: str, on: date, category: str = "burglary"):
    Incident.objects.create(
        organisation=organisation,
        fingerprint=f"i{n}",
        occurred_on=on,
        precision="day",
        month=on.replace(day=1),
        category=category,
        source_category=category,
        lon=4.3 if area == "BU01" else None,
        lat=52.0 if area == "BU01" else None,
        area_code=area,
        import_run=run,
        source_row=n,
    )


def count(organisation, run, n: int, area: str, period: str, offence: str, value, category):
    year, kind, number = int(period[:4]), period[4:6], int(period[6:])
    month = {"MM": number, "KW": 3 * number - 2, "JJ": 1}[kind]
    AreaCount.objects.create(
        organisation=organisation,
        fingerprint=f"c{n}",
        period=period,
        period_start=date(year, month, 1),
        area_code=area,
        offence_code=offence,
        offence_label=offence,
        category=category,
        count=value,
        withheld=value is None,
        import_run=run,
        source_row=n,
    )


@pytest.fixture
def crime(areas):
    organisation = areas
    with scope(organisation=organisation):
        run = ImportRun.objects.create(organisation=organisation, file_name="x", format="csv")
        for n in range(10):
            incident(organisation, run, n, "BU01", date(2024, 3, 1 + n))
        incident(organisation, run, 10, "BU01", date(2024, 3, 20), category="violence")
        incident(organisation, run, 11, "", date(2024, 3, 21))  # counted, in no area
        incident(organisation, run, 12, "BU01", date(2023, 3, 1))  # before the period
        police = ImportRun.objects.create(organisation=organisation, file_name="p", format="nl")
        rows = [
            # BU01 has incidents: its police counts are shown beside them, not added.
            ("BU01", "2024MM03", "0.0.0", 40, "other"),
            # BU02: monthly totals and offences, and the year that holds those months.
            ("BU02", "2024MM03", "0.0.0", 30, "other"),
            ("BU02", "2024MM03", "1.1.1", 12, "burglary"),
            ("BU02", "2024MM03", "1.4.5", 8, "violence"),
            ("BU02", "2024MM04", "1.1.1", 5, "burglary"),  # no total this month
            ("BU02", "2024MM04", "1.4.5", None, "violence"),  # withheld
            ("BU02", "2024JJ00", "0.0.0", 400, "other"),
            # BU03: only a quarter; without inhabitants, no rate.
            ("BU03", "2024KW02", "1.1.1", 7, "burglary"),
            # An area the organisation does not know.
            ("BU77", "2024MM03", "1.1.1", 3, "burglary"),
        ]
        for n, (area, period, offence, value, category) in enumerate(rows):
            count(organisation, police, n, area, period, offence, value, category)
    return organisation


def test_crime_by_area_merges_incidents_and_area_counts_without_double_counting(crime) -> None:
    with scope(organisation=crime):
        result = crime_by_area(
            organisation=crime, period=CrimePeriod(date(2024, 1, 1), date(2024, 12, 31))
        )
    areas = result.areas
    assert sorted(areas) == ["BU01", "BU02", "BU03", "BU77"]
    haven = areas["BU01"]
    assert (haven.incidents, haven.area_counts, haven.source, haven.count) == (
        11,
        40,
        CrimeSource.INCIDENTS,
        11,
    )
    assert haven.rate == pytest.approx(11.0)
    assert (haven.lon, haven.lat) == (pytest.approx(4.3), pytest.approx(52.0))
    dorp = areas["BU02"]
    # The months, not the year besides them: March's total 30, April's offences 5 (+1 withheld).
    assert (dorp.incidents, dorp.area_counts, dorp.withheld) == (0, 35, 1)
    assert (dorp.source, dorp.count, dorp.rate) == (CrimeSource.AREA_COUNTS, 35, 17.5)
    assert (areas["BU03"].count, areas["BU03"].rate) == (7, None)
    assert areas["BU77"].name == ""
    assert result.incidents == 12
    assert result.recorded


def test_crime_by_area_for_one_category_and_a_narrow_period(crime) -> None:
    with scope(organisation=crime):
        burglary = crime_by_area(
            organisation=crime,
            period=CrimePeriod(date(2024, 1, 1), date(2024, 12, 31)),
            category="burglary",
        ).areas
        march = crime_by_area(
            organisation=crime, period=CrimePeriod(date(2024, 3, 1), date(2024, 3, 31))
        ).areas
        year = crime_by_area(
            organisation=crime,
            period=CrimePeriod(date(2024, 4, 1), date(2024, 6, 30)),
        ).areas
        nothing = crime_by_area(
            organisation=crime, period=CrimePeriod(date(2020, 1, 1), date(2020, 12, 31))
        )
    assert burglary["BU01"].incidents == 10
    assert burglary["BU02"].area_counts == 17  # the offences of the category, never the total
    assert march["BU02"].area_counts == 30
    assert "BU03" not in march  # its quarter does not lie within March
    assert year["BU03"].area_counts == 7
    assert (year["BU02"].area_counts, year["BU02"].withheld) == (5, 1)
    assert not nothing.recorded
    assert nothing.areas == {}


def test_the_areas_page_moved_and_its_old_address_still_leads_there(
    client, havenstad, make_member
) -> None:
    client.force_login(make_member(havenstad, "analyst"))
    new = reverse("neighbourhoods:areas", args=[havenstad.slug])
    old = f"/o/{havenstad.slug}/incidents/areas/"
    assert reverse("incidents:areas", args=[havenstad.slug]) == old
    for method in (client.get, client.post):
        response = method(old)
        # Permanent, and a POST stays a POST.
        assert (response.status_code, response["Location"]) == (308, new)
    assert client.get(old, follow=True).status_code == 200
