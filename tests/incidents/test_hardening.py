"""Issue 12 on the crime overview: bounded analyses, degenerate data, import deletion, formats."""

from __future__ import annotations

import tracemalloc
from datetime import date, datetime

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scope

from secu4all.audit.models import AuditEvent
from secu4all.engines.spatial import Grid, grid_for_points, knox_test, mann_kendall
from secu4all.engines.spatial.temporal import ordered_pairs, theil_sen_slope
from secu4all.incidents.models import ImportRun, Incident, RejectedRow
from secu4all.incidents.selectors import MAX_MONTHS
from secu4all.neighbourhoods.models import Area

pytestmark = pytest.mark.django_db

# A point in Havenstad (UTM zone 31N), where the demo town lies.
X0, Y0 = 590_000.0, 5_770_000.0
TREND_NOTE = "Not enough data for a trend (needs 3 months)."
CONSTANT_NOTE = "every month has the same number of incidents"
LEFT_OUT_NOTE = "left out of the monthly series"
TOO_FEW_NOTE = "Too few located incidents with a known day match these filters"


@pytest.fixture
def town(havenstad):
    havenstad.projection_epsg = 32631
    havenstad.save()
    return havenstad


@pytest.fixture
def analyst(town, make_member):
    return make_member(town, "analyst")


def finished_run(org, name: str = "planted.csv") -> ImportRun:
    return ImportRun.objects.with_scope(organisation=org).create(
        organisation=org, file_name=name, format="police-uk", status="done"
    )


def plant(org, run, rows) -> None:
    """Incidents written straight to the database, as an API or an old import could have."""
    incidents = []
    for k, (day, dx, dy, hour, area) in enumerate(rows):
        at = datetime(day.year, day.month, day.day, hour) if hour is not None else None
        incidents.append(
            Incident(
                organisation=org,
                import_run=run,
                source_row=k + 2,
                fingerprint=f"{run.pk}-{k}",
                occurred_on=day,
                occurred_at=None,
                precision="day" if at is None else "minute",
                month=day.replace(day=1),
                weekday=at.isoweekday() if at else None,
                hour=hour,
                category="burglary",
                source_category="Burglary",
                lon=4.3,
                lat=52.08,
                x=X0 + dx,
                y=Y0 + dy,
                area_code=area,
                area_name="",
            )
        )
    Incident.objects.with_scope(organisation=org).bulk_create(incidents)


def spread(days, hour: int | None = 14, area: str = "") -> list[tuple]:
    return [(d, 130.0 * (k % 5), 170.0 * (k // 5), hour, area) for k, d in enumerate(days)]


SCENARIOS = {
    "none": [],
    "one incident": spread([date(2025, 3, 10)]),
    "two incidents": spread([date(2025, 3, 10), date(2025, 3, 11)]),
    "one month": spread([date(2025, 3, 1 + k) for k in range(15)]),
    "all in one cell": [(date(2025, 1 + k % 6, 1 + k), 5.0, 5.0, 9, "") for k in range(15)],
    "constant counts": spread([date(2025, m, d) for m in range(1, 7) for d in (3, 9, 17, 24)]),
    "zero population": spread([date(2025, m, 5) for m in range(1, 6)], area="ZERO"),
    "implausible dates": spread(
        [date(1, 1, 1), date(9999, 12, 1), date(2025, 1, 5), date(2025, 2, 5), date(2025, 4, 5)]
    ),
}
# What each scenario must explain, in the overview page and in the monthly CSV.
NOTES = {
    "one incident": TREND_NOTE,
    "two incidents": TREND_NOTE,
    "one month": TREND_NOTE,
    "constant counts": CONSTANT_NOTE,
    "implausible dates": LEFT_OUT_NOTE,
}
PAGES = [
    ("overview", (), {"method": "gistar"}),
    ("overview", (), {"method": "kde"}),
    ("overview", (), {"method": "local-moran"}),
    ("hotspots_export", ("geojson",), {"method": "gistar"}),
    ("hotspots_export", ("png",), {"method": "kde"}),
    ("hotspots_export", ("png",), {"method": "local-moran"}),
    ("table_export", ("hour-weekday",), {}),
    ("table_export", ("monthly",), {}),
    ("table_export", ("areas",), {}),
    ("table_export", ("near-repeats",), {}),
    ("near_repeats", (), {}),
    ("accuracy", (), {"split": "2025-03-05"}),
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_statistic_explains_what_it_cannot_compute(client, town, analyst, scenario) -> None:
    """Finding 12.6: degenerate data (0, 1, 2 incidents, one month, one cell, constant counts,
    zero population, impossible dates) never gives a 5xx on any overview page, export or API
    endpoint, and the page and the CSV say why a statistic is missing."""
    Area.objects.with_scope(organisation=town).create(
        organisation=town, code="ZERO", name="Empty quarter", population=0
    )
    plant(town, finished_run(town), SCENARIOS[scenario])
    client.force_login(analyst)
    for name, args, params in PAGES:
        response = client.get(reverse(f"incidents:{name}", args=[town.slug, *args]), params)
        assert response.status_code < 500, (name, args, params)
        if name == "near_repeats" or args == ("near-repeats",):
            text = response.content.decode()
            assert (TOO_FEW_NOTE in text) == (len(SCENARIOS[scenario]) < 10)
            assert "nan" not in text
    api = f"/api/v1/organisations/{town.slug}/"
    for method in ("gistar", "kde", "local-moran"):
        assert client.get(api + "hotspots/", {"method": method}).status_code < 500, method
    assert client.get(api + "incidents/").status_code == 200
    page = client.get(reverse("incidents:overview", args=[town.slug])).content.decode()
    monthly_csv = client.get(reverse("incidents:table_export", args=[town.slug, "monthly"]))
    if scenario in NOTES:
        assert NOTES[scenario] in page
        assert NOTES[scenario] in monthly_csv.content.decode()
    areas_csv = client.get(reverse("incidents:table_export", args=[town.slug, "areas"]))
    if scenario == "zero population":
        assert "No population figures for these areas yet." in page
        assert "No population figures for these areas yet." in areas_csv.content.decode()
    accuracy = client.get(reverse("incidents:accuracy", args=[town.slug]), {"split": "2025-03-05"})
    scored = accuracy.context["accuracy"] is not None
    no_side = (
        "There are no located incidents on one side of that date." in accuracy.content.decode()
    )
    assert scored != no_side


def test_implausible_dates_keep_the_overview_small(client, town, analyst) -> None:
    """Finding 12.3: incidents dated 0001-01 and 9999-12 in the database no longer size the
    monthly series (120,000 months, 14.5 GB for the trend test): the overview and every CSV
    table answer 200 with a note, and the requests' memory peak stays under 200 MB."""
    rows = [(date(1, 1, 1), 0.0, 0.0, 3, ""), (date(9999, 12, 1), 50.0, 0.0, 4, "")]
    rows += spread([date(2024, m, d) for m in range(1, 13) for d in range(1, 2 + m % 3)])
    plant(town, finished_run(town), rows)
    client.force_login(analyst)
    tracemalloc.start()
    try:
        overview = client.get(reverse("incidents:overview", args=[town.slug]))
        tables = {
            table: client.get(reverse("incidents:table_export", args=[town.slug, table]))
            for table in ("hour-weekday", "monthly", "areas", "near-repeats")
        }
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert overview.status_code == 200
    series = overview.context["monthly"]
    assert series.counts.size <= MAX_MONTHS
    assert series.left_out == 2
    assert series.trend is not None
    assert LEFT_OUT_NOTE in overview.content.decode()
    assert all(response.status_code == 200 for response in tables.values())
    assert LEFT_OUT_NOTE in tables["monthly"].content.decode()
    assert peak < 200 * 2**20, f"peak {peak / 2**20:.0f} MB"


def test_the_trend_test_is_bounded_in_memory() -> None:
    """Finding 12.3: the Mann-Kendall test no longer lists its n^2 / 2 pairs: S and the
    Theil-Sen slope of 5,000 months take a few MB (the pair list took about 400 MB), and they
    equal the pairwise definitions."""
    rng = np.random.default_rng(7)
    series = rng.poisson(20, 5000).astype(float) + np.arange(5000) / 500
    tracemalloc.start()
    try:
        result = mann_kendall(series)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.0f} MB"
    i, j = np.triu_indices(series.size, k=1)
    assert int(result.s) == int(np.sign(series[j] - series[i]).sum())
    exact_slope = np.median((series[j] - series[i]) / (j - i))
    assert float(result.slope) == pytest.approx(exact_slope, abs=1e-9)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 64, 65, 300])
def test_pairs_are_counted_as_listed(n) -> None:
    """Finding 12.3: the merge-sort count of rising and falling pairs, ties included."""
    values = np.random.default_rng(n).integers(0, 4, n)
    i, j = np.triu_indices(n, k=1)
    signs = np.sign(values[j] - values[i])
    assert ordered_pairs(values) == (int((signs > 0).sum()), int((signs < 0).sum()))
    if n > 1:
        listed = np.median((values[j] - values[i]) / (j - i))
        assert theil_sen_slope(values) == pytest.approx(listed)


def test_knox_over_millennia_and_one_spot_is_bounded() -> None:
    """Finding 12.3: the Knox test no longer correlates a histogram spanning 0001 to 9999
    (O(days^2)), and refuses instead of listing the pairs of events all at one spot."""
    days = np.array(["0001-01-01", "9999-12-01"] + [f"2025-03-{d:02d}" for d in range(1, 19)])
    days = days.astype("datetime64[D]")
    x = np.arange(days.size) * 40.0
    y = np.zeros(days.size)
    result = knox_test(
        x, y, days, spatial_bands=[100, 200], temporal_bands=[7, 14], iterations=9, seed=1
    )
    assert result.observed.sum() == days.size * (days.size - 1) // 2
    gaps = np.abs(days[:, None] - days[None, :]).astype(np.int64)[np.triu_indices(days.size, 1)]
    assert result.observed.sum(axis=0).tolist() == [
        int((gaps <= 7).sum()),
        int(((gaps > 7) & (gaps <= 14)).sum()),
        int((gaps > 14).sum()),
    ]
    same_spot = np.zeros(3000)
    with pytest.raises(ValueError, match="pairs of events lie within 200 m"):
        knox_test(
            same_spot,
            same_spot,
            np.arange(3000),
            spatial_bands=[100, 200],
            temporal_bands=[7],
            iterations=1,
        )


def test_grids_are_bounded_whatever_the_extent() -> None:
    """Finding 12.3: a grid over points a continent apart is refused, not allocated."""
    with pytest.raises(ValueError, match="exceeds"):
        grid_for_points([0.0, 5_000_000.0], [0.0, 5_000_000.0], 10.0)
    with pytest.raises(ValueError, match="exceeds"):
        Grid(x0=0.0, y0=0.0, cell_size=1.0, nx=100_000, ny=100_000)


def test_far_away_incident_gives_a_message_not_a_huge_map(client, town, analyst) -> None:
    """Finding 12.3: one incident 900 km away makes the grid refuse with a message on the
    overview and the accuracy page (which had no error handling), never a 5xx."""
    rows = spread([date(2025, m, 5) for m in range(1, 7)])
    rows.append((date(2025, 2, 6), 0.0, 900_000.0, 10, ""))
    plant(town, finished_run(town), rows)
    client.force_login(analyst)
    overview = client.get(reverse("incidents:overview", args=[town.slug]), {"cell": "10"})
    assert "choose a larger cell size" in overview.content.decode()
    accuracy = client.get(
        reverse("incidents:accuracy", args=[town.slug]), {"split": "2025-03-01", "cell": "10"}
    )
    assert accuracy.status_code == 200
    assert "choose a larger cell size" in accuracy.content.decode()


# -- deleting an import run ------------------------------------------------------------------


def test_analyst_deletes_an_import_run_with_its_incidents(client, town, analyst) -> None:
    """Finding 12.3: an analyst confirms, then deletes an import run: its incidents and rejected
    rows go, another run's incidents stay, and the audit log records the counts."""
    run, other = finished_run(town, "bad.csv"), finished_run(town, "good.csv")
    plant(town, run, [(date(1, 1, 1), 0.0, 0.0, 3, ""), (date(9999, 12, 1), 0.0, 0.0, 3, "")])
    plant(town, other, spread([date(2025, 1, 5)]))
    RejectedRow.objects.with_scope(organisation=town).create(
        organisation=town, run=run, row=4, field="month", reason="not a month", raw="x"
    )
    client.force_login(analyst)
    page = url = reverse("incidents:import_delete", args=[town.slug, run.pk])
    page = client.get(url)
    assert "removes its 2 incidents" in page.content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("incidents:imports", args=[town.slug])
    with scope(organisation=town):
        assert not ImportRun.objects.filter(pk=run.pk).exists()
        assert list(Incident.objects.values_list("import_run", flat=True)) == [other.pk]
        assert not RejectedRow.objects.exists()
        event = AuditEvent.objects.get(action="delete", object_type="incidents.importrun")
    assert event.detail["incidents"] == 2
    assert event.detail["rejected_rows"] == 1
    assert event.detail["file"] == "bad.csv"
    assert client.get(reverse("incidents:overview", args=[town.slug])).status_code == 200


def test_import_deletion_is_for_analysts_of_the_organisation(
    client, town, riverton, make_member
) -> None:
    """Finding 12.3: an adviser cannot delete an import, another town's analyst gets a 404,
    and a running import is refused until it has ended."""
    run = finished_run(town)
    plant(town, run, spread([date(2025, 1, 5)]))
    url = reverse("incidents:import_delete", args=[town.slug, run.pk])
    client.force_login(make_member(town, "security-adviser"))
    assert client.post(url).status_code == 403
    client.force_login(make_member(riverton, "analyst"))
    assert (
        client.post(reverse("incidents:import_delete", args=[riverton.slug, run.pk])).status_code
        == 404
    )
    running = finished_run(town, "running.csv")
    ImportRun.objects.with_scope(organisation=town).filter(pk=running.pk).update(status="running")
    client.force_login(make_member(town, "org-admin"))
    response = client.post(reverse("incidents:import_delete", args=[town.slug, running.pk]))
    assert response.status_code == 302
    with scope(organisation=town):
        assert ImportRun.objects.count() == 2
        assert Incident.objects.count() == 1
    assert client.post(url).status_code == 302
    with scope(organisation=town):
        assert ImportRun.objects.count() == 1
        assert Incident.objects.count() == 0


def test_import_deletion_is_atomic_and_removes_the_upload(
    town, analyst, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    """Finding 12.3: import_run_delete deletes nothing (incidents, audit record) when its last
    step fails, and removes the uploaded file once the deletion is committed."""
    from secu4all.incidents.services import import_run_create, import_run_delete

    run = import_run_create(
        organisation=town, actor=analyst, file_name="x.csv", data=b"a\n", format="police-uk"
    )
    ImportRun.objects.with_scope(organisation=town).filter(pk=run.pk).update(status="done")
    run.refresh_from_db()
    plant(town, run, spread([date(2025, 1, 5), date(2025, 2, 5)]))
    stored = run.source.name
    assert run.source.storage.exists(stored)

    def refuse(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ImportRun, "delete", refuse)
    with pytest.raises(RuntimeError):
        import_run_delete(actor=analyst, run=run)
    with scope(organisation=town):
        assert Incident.objects.count() == 2
        assert ImportRun.objects.filter(pk=run.pk).exists()
        assert not AuditEvent.objects.filter(action="delete").exists()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert import_run_delete(actor=analyst, run=run)["incidents"] == 2
    with scope(organisation=town):
        assert Incident.objects.count() == 0
    assert not run.source.storage.exists(stored)


# -- export formats --------------------------------------------------------------------------


@pytest.mark.parametrize("extension", ["html", "svg", "exe", "geojson.html", "PNG"])
def test_hotspot_export_serves_only_its_formats(client, town, analyst, extension) -> None:
    """Finding 12.18: hotspots.<anything> served a PNG under the attacker's extension."""
    plant(town, finished_run(town), spread([date(2025, m, 5) for m in range(1, 7)]))
    client.force_login(analyst)
    assert client.get(f"/o/{town.slug}/incidents/hotspots.{extension}").status_code == 404
    assert (
        client.get(reverse("incidents:hotspots_export", args=[town.slug, "png"])).status_code == 200
    )


def test_assessment_export_serves_only_its_formats(client, havenstad, make_member) -> None:
    """Finding 12.18: export.<anything> of an assessment served its PDF as .html."""
    from secu4all.assessments.models import Site
    from secu4all.assessments.services import assessment_create, default_data

    adviser = make_member(havenstad, "security-adviser")
    site = Site.objects.with_scope(organisation=havenstad).create(
        organisation=havenstad, name="Grote Plein", kind="square", capacity=5000
    )
    assessment = assessment_create(site=site, actor=adviser, data=default_data(site))
    client.force_login(adviser)
    base = f"/o/{havenstad.slug}/sites/{site.pk}/v{assessment.version}/export"
    for extension in ("html", "svg", "pdf.html"):
        assert client.get(f"{base}.{extension}").status_code == 404, extension
    assert client.get(f"{base}.pdf").status_code == 200


def test_a_map_draws_a_bounded_number_of_cells() -> None:
    """Finding 12.3: a layer marking tens of thousands of cells drew every one of them (a
    million-cell grid took 2 GB of polygons); now the strongest MAX_DRAWN_CELLS are drawn and
    the layer says how many were marked."""
    from secu4all.incidents import maps
    from secu4all.incidents.selectors import HotspotLayer

    grid = Grid(x0=X0, y0=Y0, cell_size=100.0, nx=300, ny=300)
    rng = np.random.default_rng(3)
    classes = np.where(rng.random(grid.shape) < 0.3, 3, 0)
    values = classes * rng.random(grid.shape)
    layer = HotspotLayer("gistar", grid, 32631, classes, values, classes, int(classes.sum()))
    data = maps.to_geojson(layer)
    assert len(data["features"]) == maps.MAX_DRAWN_CELLS
    assert data["properties"]["cells_marked"] == int((classes != 0).sum())
    weakest_drawn = min(f["properties"]["value"] for f in data["features"])
    assert weakest_drawn >= np.sort(values[classes != 0])[-maps.MAX_DRAWN_CELLS] - 1e-4


def test_heat_table_weekdays_follow_the_reader_language(client, town, analyst) -> None:
    """Same class as finding 12.6 (a page that is wrong for some readers): the weekday names
    of the heat table were translated once at start-up, so a Dutch reader read "Mon"."""
    plant(town, finished_run(town), spread([date(2025, 3, 3), date(2025, 3, 4)]))
    client.force_login(analyst)
    # The middleware leaves Dutch active in this thread; override restores the language after.
    with translation.override("en"):
        page = client.get(
            reverse("incidents:overview", args=[town.slug]), HTTP_ACCEPT_LANGUAGE="nl"
        )
    assert '<th scope="row">ma</th>' in page.content.decode()
