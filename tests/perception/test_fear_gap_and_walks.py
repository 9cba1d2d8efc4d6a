"""The fear gap beside recorded crime, audit walks with photos, and the demo."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image

from secu4all.incidents.models import AreaCount, ImportRun
from secu4all.neighbourhoods.fear_gap import fear_geojson
from secu4all.perception.estimates import wave_results
from secu4all.perception.models import AuditPin
from secu4all.perception.selectors import fear_gap_for_wave, perceived_safety_by_area
from secu4all.perception.services import audit_pin_add, audit_walk_create
from tests.support.incidents import add_incidents
from tests.support.perception import RATINGS, fill, make_response

pytestmark = pytest.mark.django_db


def test_fear_gap_puts_fear_beside_crime_per_1000(client, town, make_member) -> None:
    wave = town["wave"]
    fill(wave, unsafe={"BU01": 0.75, "BU02": 0.5, "BU03": 0.25})
    organisation = town["organisation"]
    with scope(organisation=organisation):
        # Crime per 1,000: BU01 5.0, BU02 20.0, BU03 50.0 — the reverse of the fear order.
        add_incidents(organisation, {"BU01": 20, "BU02": 120, "BU03": 100})
        add_incidents(organisation, {"BU01": 500}, on=date(2023, 1, 1))  # outside the 12 months
        gap = fear_gap_for_wave(wave_results(wave))
    rows = {r.code: r for r in gap.rows}
    assert rows["BU01"].crime_rate == pytest.approx(5.0)
    assert rows["BU03"].crime_rate == pytest.approx(50.0)
    assert (rows["BU01"].fear_rank, rows["BU01"].crime_rank) == (1, 3)
    assert (rows["BU03"].fear_rank, rows["BU03"].crime_rank) == (3, 1)
    # Each reading stands on a test: fear against all neighbourhoods, crime against the rest.
    assert (rows["BU01"].fear_class, rows["BU01"].crime_class) == ("higher", "lower")
    assert (rows["BU03"].fear_class, rows["BU03"].crime_class) == ("lower", "higher")
    assert rows["BU02"].fear_class == "unclear"
    assert rows["BU01"].reading.startswith("More fear than its recorded crime suggests:")
    assert rows["BU03"].reading.startswith("Less fear than its recorded crime suggests:")
    assert rows["BU02"].reading.startswith("No clear difference:")
    assert rows["BU01"].fear_difference.ci_low > 0  # the interval of the difference, in view
    assert "12 months up to 2025-10-31" in gap.period
    client.force_login(make_member(organisation, "analyst"))
    page = client.get(reverse("perception:fear_gap", args=["havenstad", wave.pk])).content.decode()
    assert "More fear than its recorded crime suggests:" in page
    assert "Clearly more fear than all neighbourhoods together" in page
    assert "Rank" not in page  # ranks without intervals are not shown
    assert "no boundaries in the platform" in page  # said plainly
    assert 'id="fear-map"' not in page  # the test incidents have no position


def test_fear_gap_map_draws_neighbourhood_boundaries_where_known(town) -> None:
    from secu4all.neighbourhoods.models import Area

    wave = town["wave"]
    fill(wave, unsafe={"BU01": 0.75, "BU02": 0.5, "BU03": 0.25})
    organisation = town["organisation"]
    square = {
        "type": "Polygon",
        "coordinates": [[[4.3, 52.0], [4.31, 52.0], [4.31, 52.01], [4.3, 52.01], [4.3, 52.0]]],
    }
    with scope(organisation=organisation):
        Area.objects.filter(code="BU01").update(boundary=square)
        add_incidents(organisation, {"BU02": 5}, at={"BU02": (4.32, 52.02)})
        gap = fear_gap_for_wave(wave_results(wave))
    features = {f["properties"]["name"]: f["geometry"] for f in fear_geojson(gap)["features"]}
    names = {r.code: r.name for r in gap.rows}
    assert features[names["BU01"]] == square
    assert features[names["BU02"]] == {"type": "Point", "coordinates": [4.32, 52.02]}
    assert names["BU03"] not in features  # neither a boundary nor a located incident
    assert "without a boundary" in gap.note


def test_perceived_safety_by_area_gives_estimates_with_intervals(town) -> None:
    wave = town["wave"]
    fill(wave, unsafe={"BU01": 0.75, "BU02": 0.5, "BU03": 0.25})
    with scope(organisation=town["organisation"]):
        safety = perceived_safety_by_area(wave=wave, indicator="feels_unsafe")
        assert perceived_safety_by_area(wave=wave, indicator="no-such-indicator") is None
    assert safety.indicator == "feels_unsafe"
    assert set(safety.areas) == {"BU01", "BU02", "BU03"}
    for code, share in {"BU01": 0.75, "BU02": 0.5, "BU03": 0.25}.items():
        estimate = safety.by_area[code]
        assert estimate.ci_low <= estimate.value <= estimate.ci_high
        assert estimate.ci_low < estimate.ci_high
        assert abs(estimate.value - share) < 0.2
    assert safety.overall.ci_low < safety.overall.value < safety.overall.ci_high


def test_fear_gap_counts_police_area_counts_where_an_area_has_no_incidents(town) -> None:
    wave = town["wave"]
    fill(wave, unsafe={"BU01": 0.75, "BU02": 0.5, "BU03": 0.25})
    organisation = town["organisation"]
    with scope(organisation=organisation):
        add_incidents(organisation, {"BU01": 20})
        run = ImportRun.objects.create(organisation=organisation, file_name="p.csv", format="nl")
        for n, (area, offence, count) in enumerate(
            [("BU01", "0.0.0", 999), ("BU03", "0.0.0", 30), ("BU03", "1.1.1", 10)]
        ):
            AreaCount.objects.create(
                organisation=organisation,
                fingerprint=f"p{n}",
                period="2025MM06",
                period_start=date(2025, 6, 1),
                area_code=area,
                offence_code=offence,
                offence_label="",
                category="other" if offence == "0.0.0" else "burglary",
                count=count,
                import_run=run,
                source_row=n,
            )
        gap = fear_gap_for_wave(wave_results(wave))
    rows = {r.code: r for r in gap.rows}
    # BU01 has incidents: its police count is not added to them.
    assert (rows["BU01"].incidents, rows["BU01"].crime_source) == (20, "incidents")
    # BU03 has only the police count: its total, not the total plus its offences.
    assert (rows["BU03"].incidents, rows["BU03"].crime_source) == (30, "area-counts")
    assert (rows["BU02"].incidents, rows["BU02"].crime_rate) == (0, None)


def test_walk_pins_keep_a_clean_photo_and_refuse_fakes(town) -> None:
    organisation = town["organisation"]
    with scope(organisation=organisation):
        walk = audit_walk_create(
            organisation=organisation,
            actor=None,
            area_code="BU01",
            route="Market",
            time_of_day="night",
            walked_on=date(2025, 3, 1),
            walkers=4,
        )
        image = Image.new("RGB", (40, 30), "orange")
        exif = Image.Exif()
        exif[0x010F] = "SpyCam"  # camera make
        exif[0x8825] = {2: (52.0, 4.0, 30.0)}  # GPS
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", exif=exif)
        assert b"SpyCam" in buffer.getvalue()
        photo = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
        pin = audit_pin_add(walk=walk, actor=None, photo=photo, lon=4.3, lat=52.07, **RATINGS)
        stored = pin.photo.read()
        assert b"SpyCam" not in stored
        assert not Image.open(io.BytesIO(stored)).getexif()
        assert Image.open(io.BytesIO(stored)).size == (40, 30)
        fake = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
        with pytest.raises(ValidationError, match="not an image"):
            audit_pin_add(walk=walk, actor=None, photo=fake, lon=4.3, lat=52.07, **RATINGS)
        with pytest.raises(ValidationError):
            audit_pin_add(walk=walk, actor=None, lon=4.3, lat=52.07, **{**RATINGS, "feeling": 4})
        assert AuditPin.objects.count() == 1


def test_area_summary_means_by_day_and_night(client, town, make_member) -> None:
    organisation = town["organisation"]
    with scope(organisation=organisation):
        for time, feeling in (("day", 3), ("day", 2), ("night", 0)):
            walk = audit_walk_create(
                organisation=organisation,
                actor=None,
                area_code="BU02",
                route=time,
                time_of_day=time,
                walked_on=date(2025, 3, 1),
                walkers=2,
            )
            audit_pin_add(
                walk=walk, actor=None, lon=4.3, lat=52.07, **{**RATINGS, "feeling": feeling}
            )
    client.force_login(make_member(organisation, "analyst"))
    page = client.get(reverse("perception:walk_area", args=["havenstad", "BU02"])).content.decode()
    row = page[page.index("Feeling of safety") :]
    assert "2.5" in row[:200]
    assert "0.0" in row[:200]
    assert 'id="pin-map"' in page
    assert 'id="pin-data"' in page


def test_pin_form_posts_with_a_photo(client, town, make_member) -> None:
    organisation = town["organisation"]
    with scope(organisation=organisation):
        walk = audit_walk_create(
            organisation=organisation,
            actor=None,
            area_code="BU01",
            route="Quay",
            time_of_day="day",
            walked_on=date(2025, 3, 1),
            walkers=1,
        )
    client.force_login(make_member(organisation, "security-adviser"))
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    form = {k: str(v) for k, v in RATINGS.items()} | {
        "lat": "52.07",
        "lon": "4.30",
        "comment": "dark",
    }
    sent = client.post(
        reverse("perception:walk", args=["havenstad", walk.pk]),
        {**form, "photo": SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")},
    )
    assert sent.status_code == 302
    with scopes_disabled():
        pin = AuditPin.objects.get()
    photo = client.get(reverse("perception:pin_photo", args=["havenstad", walk.pk, pin.pk]))
    assert photo["Content-Type"] == "image/png"
    bad = client.post(
        reverse("perception:walk", args=["havenstad", walk.pk]),
        {**form, "photo": SimpleUploadedFile("a.png", b"not a picture", content_type="image/png")},
    )
    assert "not an image" in bad.content.decode()


def test_demo_has_two_waves_with_the_second_a_little_safer(havenstad) -> None:
    from secu4all.incidents import demo as incidents_demo
    from secu4all.perception import demo
    from secu4all.perception.estimates import wave_change
    from secu4all.perception.models import SurveyWave

    with scopes_disabled():
        incidents_demo.load(password="x")
        assert demo.load(password="x") is True
        assert demo.load(password="x") is False
        first, second = SurveyWave.objects.order_by("period_start")
        before, after = wave_results(first), wave_results(second)
        assert 300 <= before.responses <= 500
        assert 300 <= after.responses <= 500
        changes = {c.indicator.code: c for c in wave_change(before, after)}
        assert changes["sdg_16_1_4"].change.value > 0
        assert changes["unsafe_neighbourhood"].change.value < 0
        gap = fear_gap_for_wave(after)
        top = [r.name for r in gap.rows[:2]]
        assert set(top) == {"Centrum", "Stationsbuurt"}
        # The demo neighbourhoods have boundaries, so the map shows them as areas.
        shapes = {f["geometry"]["type"] for f in fear_geojson(gap)["features"]}
        assert shapes == {"Polygon"}
        assert AuditPin.objects.filter(walk__organisation=havenstad).count() >= 20


def test_partial_answers_count_in_estimates(town) -> None:
    wave = town["wave"]
    make_response(
        wave, area="BU01", age="65+", sex="male", answers={"vm_feels_unsafe": 1}, complete=False
    )
    with scope(organisation=wave.organisation):
        results = wave_results(wave)
    assert results.responses == 1
    assert results.complete == 0
    assert results.indicator("feels_unsafe").overall.n == 1
