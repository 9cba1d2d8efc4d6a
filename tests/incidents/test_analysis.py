"""The crime overview finds what the demo generator planted: hotspots, times and near repeats."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from secu4all.incidents import demo_generator, maps
from secu4all.incidents.selectors import (
    area_rows,
    hotspot_accuracy,
    hotspot_layer,
    hour_weekday,
    monthly,
    near_repeats,
    top_areas,
)
from secu4all.organisations.models import Organisation
from tests.support.incidents import incidents_filtered

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_incidents(demo_town: Organisation, db) -> Organisation:
    demo_town.refresh_from_db()
    return demo_town


def cell_of(layer, lon: float, lat: float) -> tuple[int, int]:
    from secu4all.engines.spatial import project_lonlat

    p = project_lonlat([lon], [lat], epsg=layer.epsg)
    col = int((p.x[0] - layer.grid.x0) // layer.grid.cell_size)
    row = int((p.y[0] - layer.grid.y0) // layer.grid.cell_size)
    return row, col


def hotspot_lonlat(spot) -> tuple[float, float]:
    from pyproj import Transformer

    to_utm = Transformer.from_crs(4326, demo_generator.EPSG, always_xy=True)
    cx, cy = to_utm.transform(demo_generator.CENTRE_LON, demo_generator.CENTRE_LAT)
    back = Transformer.from_crs(demo_generator.EPSG, 4326, always_xy=True)
    return back.transform(cx + spot.dx, cy + spot.dy)


def test_gi_star_finds_every_planted_hotspot(demo_incidents) -> None:
    layer = hotspot_layer(
        organisation=demo_incidents,
        incidents=incidents_filtered(demo_incidents),
        method="gistar",
        cell=100,
    )
    for spot in demo_generator.HOTSPOTS:
        row, col = cell_of(layer, *hotspot_lonlat(spot))
        assert layer.classes[row, col] == 3, spot.name
    assert (layer.classes == 3).sum() < 0.05 * layer.classes.size


def test_kde_peaks_at_the_shopping_street(demo_incidents) -> None:
    layer = hotspot_layer(
        organisation=demo_incidents,
        incidents=incidents_filtered(demo_incidents, category="theft-from-person"),
        method="kde",
        cell=50,
        bandwidth=150,
    )
    peak = np.unravel_index(np.argmax(layer.values), layer.values.shape)
    row, col = cell_of(layer, *hotspot_lonlat(demo_generator.HOTSPOTS[1]))
    assert abs(peak[0] - row) <= 3
    assert abs(peak[1] - col) <= 3


def test_local_moran_marks_high_high_clusters(demo_incidents) -> None:
    layer = hotspot_layer(
        organisation=demo_incidents,
        incidents=incidents_filtered(demo_incidents),
        method="local-moran",
        cell=200,
    )
    row, col = cell_of(layer, *hotspot_lonlat(demo_generator.HOTSPOTS[0]))
    assert layer.classes[row, col] == 1


def test_knox_finds_the_planted_burglary_near_repeats(demo_incidents) -> None:
    result = near_repeats(incidents_filtered(demo_incidents, category="burglary"), iterations=99)
    # Row 1 is 0–100 m, column 0 is 0–7 days.
    assert result.ratio[1, 0] > 2
    assert result.p[1, 0] <= 0.01
    # Far apart and long after: no interaction.
    assert 0.8 < result.ratio[-1, -1] < 1.2


def test_violence_peaks_on_weekend_nights(demo_incidents) -> None:
    table = hour_weekday(incidents_filtered(demo_incidents, category="violence"))
    weekend_night = table[4:7, [22, 23, 0, 1, 2, 3]].sum()
    assert weekend_night == table.sum()


def test_monthly_series_covers_two_years(demo_incidents) -> None:
    series = monthly(incidents_filtered(demo_incidents))
    assert len(series.counts) == 24
    assert series.counts.sum() == incidents_filtered(demo_incidents).count()


def test_areas_with_rates_per_thousand(demo_incidents) -> None:
    rows = area_rows(organisation=demo_incidents, incidents=incidents_filtered(demo_incidents))
    assert sum(r.count for r in rows) == incidents_filtered(demo_incidents).count()
    by_rate = top_areas(rows, by="rate", limit=3)
    assert by_rate[0].rate == pytest.approx(1000 * by_rate[0].count / by_rate[0].population)
    assert by_rate[0].rate >= by_rate[1].rate >= by_rate[2].rate


def test_hotspots_of_one_year_predict_the_next(demo_incidents) -> None:
    accuracy = hotspot_accuracy(
        organisation=demo_incidents,
        before=incidents_filtered(
            demo_incidents, date_to=__import__("datetime").date(2024, 12, 31)
        ),
        after=incidents_filtered(demo_incidents, date_from=__import__("datetime").date(2025, 1, 1)),
        cell=100,
    )
    assert accuracy.pai > 3
    assert 0 < accuracy.pei <= 1


def test_geojson_png_and_html_exports(demo_incidents) -> None:
    layer = hotspot_layer(
        organisation=demo_incidents,
        incidents=incidents_filtered(demo_incidents),
        method="gistar",
        cell=100,
    )
    collection = maps.to_geojson(layer)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == int((layer.classes != 0).sum())
    ring = collection["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert 4.2 < ring[0][0] < 4.4
    assert 52.0 < ring[0][1] < 52.2
    image = Image.open(io.BytesIO(maps.to_png(layer)))
    assert image.size == (layer.grid.nx, layer.grid.ny)
    html = maps.to_html(layer, title="Havenstad hot spots")
    assert "L.map(" in html
    assert "<script src=" not in html  # self-contained: no external script
    json.loads(html.split("const data = ", 1)[1].split(";\n", 1)[0].replace("<\\/", "</"))


def test_bad_method_and_cell_are_named(demo_incidents) -> None:
    with pytest.raises(ValueError, match="Unknown method 'heat'"):
        hotspot_layer(
            organisation=demo_incidents,
            incidents=incidents_filtered(demo_incidents),
            method="heat",
            cell=100,
        )
    with pytest.raises(ValueError, match="choose a larger cell size"):
        hotspot_layer(
            organisation=demo_incidents,
            incidents=incidents_filtered(demo_incidents),
            method="gistar",
            cell=1,
        )


@pytest.mark.parametrize("suffix", ["geojson", "png", "html"])
def test_cli_hotspots_writes_each_format(demo_incidents, tmp_path, suffix, capsys) -> None:
    from secu4all import cli

    out = tmp_path / f"map.{suffix}"
    code = cli.main(
        [
            "hotspots",
            "--org",
            "havenstad",
            "--method",
            "gistar",
            "--cell",
            "100",
            "--from",
            "2024-01-01",
            "--category",
            "violence",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    data = out.read_bytes()
    if suffix == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    elif suffix == "html":
        assert b"L.map(" in data
    else:
        assert json.loads(data)["properties"]["method"] == "gistar"


def test_cli_hotspots_refuses_bad_input(demo_incidents, tmp_path, capsys) -> None:
    from secu4all import cli

    assert cli.main(["hotspots", "--org", "havenstad", "--out", str(tmp_path / "m.pdf")]) == 2
    assert "must end in .geojson, .png or .html" in capsys.readouterr().err
    assert (
        cli.main(
            [
                "hotspots",
                "--org",
                "havenstad",
                "--from",
                "yesterday",
                "--out",
                str(tmp_path / "m.png"),
            ]
        )
        == 2
    )
    assert "yesterday" in capsys.readouterr().err
