"""Issue #15, point 2: the crime pages claim "hot", "more" or "significant" only where the
statistic supports it, count exactly what the map colours, and say why a figure is missing."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.engines.spatial import grid_weights
from secu4all.incidents import maps
from secu4all.incidents.selectors import (
    KDE_HOT_PERCENTILE,
    NEAR_REPEAT_SETTINGS,
    hot_cell_count,
    hotspot_layer,
    near_repeat_table,
    near_repeats,
)
from secu4all.organisations.models import Organisation
from tests.support.incidents import incidents_filtered

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_town: Organisation, db) -> Organisation:
    demo_town.refresh_from_db()
    return demo_town


@pytest.fixture
def analyst(demo, make_member):
    return make_member(demo, "analyst")


def layer_of(demo: Organisation, method: str):
    with scope(organisation=demo):
        return hotspot_layer(
            organisation=demo, incidents=incidents_filtered(demo), method=method, cell=100
        )


def hot_count_on_page(client, demo, method: str) -> int:
    html = client.get(
        reverse("incidents:overview", args=[demo.slug]), {"method": method, "cell": "100"}
    ).content.decode()
    return int(re.search(r"(\d+) cells marked as hot", html).group(1))


@pytest.mark.parametrize("method", ["kde", "gistar"])
def test_the_hot_count_is_what_the_map_colours_hot(client, analyst, demo, method) -> None:
    client.force_login(analyst)
    layer = layer_of(demo, method)
    geojson = maps.to_geojson(layer)
    hot = [f for f in geojson["features"] if f["properties"]["class"] > 0]
    assert hot, "the demo town has hotspots"
    assert hot_count_on_page(client, demo, method) == len(hot) == hot_cell_count(layer)


def test_kde_hot_is_the_stated_percentile_of_the_density(client, analyst, demo) -> None:
    layer = layer_of(demo, "kde")
    positive = layer.values[layer.values > 0]
    threshold = np.percentile(positive, KDE_HOT_PERCENTILE)
    assert hot_cell_count(layer) == int((layer.values >= threshold).sum())
    # Everything the map draws for KDE is hot: no unexplained coloured cell.
    assert maps.shown_cells(layer).sum() == hot_cell_count(layer)
    client.force_login(analyst)
    html = client.get(
        reverse("incidents:overview", args=[demo.slug]), {"method": "kde", "cell": "100"}
    ).content.decode()
    assert "densest 5%" in html


def test_local_moran_counts_only_high_high_and_not_the_empty_frame(demo) -> None:
    layer = layer_of(demo, "local-moran")
    ring = np.zeros(layer.classes.shape, dtype=bool)
    ring[0, :] = ring[-1, :] = ring[:, 0] = ring[:, -1] = True
    assert not layer.classes[ring].any(), "the empty frame is not a low-low cluster"
    assert hot_cell_count(layer) == int((layer.classes == 1).sum())
    assert hot_cell_count(layer) < int((layer.classes > 0).sum())


def test_local_moran_matches_esda_on_the_same_cells(demo) -> None:
    esda = pytest.importorskip("esda")
    libpysal = pytest.importorskip("libpysal")
    layer = layer_of(demo, "local-moran")
    inner = layer.counts[1:-1, 1:-1].astype(float)
    w = libpysal.weights.WSP(grid_weights(inner.shape, "queen")).to_W(silence_warnings=True)
    reference = esda.Moran_Local(inner.ravel(), w, transformation="r", permutations=0)
    np.testing.assert_allclose(layer.values[1:-1, 1:-1].ravel(), reference.Is, rtol=1e-9)
    np.testing.assert_array_equal(np.unique(layer.classes[1:-1, 1:-1])[1:], np.unique(reference.q))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_near_repeat_page_has_no_doubled_units_nor_nan(client, analyst, demo, language) -> None:
    client.force_login(analyst)
    html = client.get(
        reverse("incidents:near_repeats", args=[demo.slug]),
        HTTP_ACCEPT_LANGUAGE=language,
        headers={"cookie": f"django_language={language}"},
    ).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\bm\s+m\b", text)
    assert not re.search(r"\b(days|dagen)\s+(days|dagen)\b", text)
    assert not re.search(r"\bnan\b", text, re.IGNORECASE)


def test_a_cell_is_highlighted_only_when_significant_after_correction(
    client, analyst, demo
) -> None:
    client.force_login(analyst)
    response = client.get(reverse("incidents:near_repeats", args=[demo.slug]))
    table = response.context["table"]
    html = response.content.decode()
    highlighted = html.count('class="significant"')
    supported = [
        cell
        for row in table.rows
        for cell in row
        if cell.tested and cell.evidence.p < 0.05 and cell.evidence.value > 1
    ]
    assert highlighted == len(supported)
    # The reference row and column are never highlighted, whatever their raw p-value.
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row):
            reference = i in (0, len(table.rows) - 1) or j == len(row) - 1
            assert cell.tested is not reference
    # A raw p of 0.01 in the "more than" corner (ratio 1.00) is not a finding.
    corner = table.rows[-1][-1]
    assert not corner.tested
    assert not corner.evidence.supported
    # The same-location row says why it has no ratio.
    assert "No two incidents share a location" in html


def test_burglary_near_repeats_survive_the_correction(demo) -> None:
    with scope(organisation=demo):
        knox = near_repeats(incidents_filtered(demo, category="burglary"), **NEAR_REPEAT_SETTINGS)
        table = near_repeat_table(knox)
    first = table.rows[1][0]
    assert first.tested
    assert first.evidence.above
    assert first.evidence.p >= first.p  # adjusted is never smaller than raw


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ("Legend", "Source", "Hot spot")), ("nl", ("Legenda", "Bron", "Hotspot"))],
)
def test_hotspot_pdf_and_png_carry_title_legend_dates_source_and_tlp(
    client, analyst, demo, language, words
) -> None:
    import io

    from PIL import Image
    from pypdf import PdfReader

    client.force_login(analyst)
    client.cookies["django_language"] = language
    query = {"method": "gistar", "cell": "100", "date_from": "2025-01-01", "tlp": "TLP:GREEN"}
    pdf = client.get(reverse("incidents:hotspots_export", args=[demo.slug, "pdf"]), query)
    assert pdf["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    width_mm = float(page.mediabox.width) / 72 * 25.4
    height_mm = float(page.mediabox.height) / 72 * 25.4
    assert round(width_mm) == 297
    assert round(height_mm) == 210
    text = page.extract_text()
    assert "TLP:GREEN" in text
    assert "2025" in text
    assert demo.name in text
    for word in words:
        assert word in text, (language, word)
    png = client.get(reverse("incidents:hotspots_export", args=[demo.slug, "png"]), query)
    image = Image.open(io.BytesIO(png.content))
    assert image.width >= 3000
    assert image.width > image.height
    assert round(image.info["dpi"][0]) == 300


def test_pai_says_better_than_random_only_with_its_interval_above_one(
    client, analyst, demo
) -> None:
    client.force_login(analyst)
    response = client.get(reverse("incidents:accuracy", args=[demo.slug]), {"split": "2025-01-01"})
    evidence = response.context["accuracy"].pai_evidence
    assert evidence.low < evidence.value < evidence.high
    html = response.content.decode()
    assert "95% interval" in html
    expected = "better than a random choice" if evidence.low > 1 else "not distinguishable"
    assert expected in html


def test_area_rates_show_their_interval(client, analyst, demo) -> None:
    client.force_login(analyst)
    response = client.get(reverse("incidents:overview", args=[demo.slug]))
    rated = response.context["areas_by_rate"]
    assert rated
    for area in rated:
        low, high = area.rate_interval
        assert low < area.rate < high
    assert "areas whose intervals overlap may not differ" in response.content.decode()


def test_the_offline_html_map_colours_each_method_with_its_own_classes(demo) -> None:
    moran = maps.to_html(layer_of(demo, "local-moran"), title="t")
    assert '"1": "#d7191c"' in moran  # high-high is the dark red of the legend
    kde = maps.to_html(layer_of(demo, "kde"), title="t")
    assert "ramp(p.value)" in kde
