"""Plain risk levels: scenario levels with scores, the headline, the portfolio, the matrix."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.assessments.forms import field_key
from secu4all.assessments.matrix import organisation_matrix
from secu4all.assessments.models import Site
from secu4all.assessments.selectors import matrix_points, portfolio, recommended_measures
from secu4all.assessments.services import assessment_create, default_data
from secu4all.engines import risk
from tests.assessments.test_assessments import form_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser(havenstad, make_member):
    return make_member(havenstad, "security-adviser")


def make_site(org, name: str, kind: str = "square", capacity: int | None = 5000) -> Site:
    return Site.objects.with_scope(organisation=org).create(
        organisation=org, name=name, kind=kind, capacity=capacity
    )


def assess(site: Site, answer: int, actor=None):
    """A version whose every answer is ``answer`` steps from the worst (0), at most the best."""
    data = default_data(site)
    data["answers"] = {q.id: min(answer, len(q.scale) - 1) for q in risk.QUESTIONS}
    return assessment_create(site=site, actor=actor, data=data)


def url(name: str, org, *args) -> str:
    return reverse(f"assessments:{name}", args=[org.slug, *args])


def test_assessment_page_gives_levels_with_scores_and_the_headline(
    client, adviser, havenstad
) -> None:
    site = make_site(havenstad, "Grote Plein")
    assessment = assess(site, 0)  # every answer the worst
    client.force_login(adviser)
    html = client.get(url("assessment", havenstad, site.pk, 1)).content.decode()
    scenarios = assessment.result["scenarios"]
    # Every scenario's level with its score on the 1–1000 scale.
    assert html.count("of 1,000)") + html.count("of 1000)") >= len(scenarios)
    assert "Risk level of the site" in html
    assert "What drives it most" in html
    top = max(scenarios, key=lambda s: s["risk"])
    assert risk.scenario_by_id(top["id"]).name in html
    scale = f"{1000 * len(scenarios):,}"
    assert f"of {scale}" in html
    assert "Residual risk (points, of" in html
    assert "Cost of the measures (euro per year)" in html
    assert "Risk removed on its own (points)" in html


def test_recommended_measures_have_cost_and_effect(havenstad) -> None:
    site = make_site(havenstad, "Grote Plein")
    assessment = assess(site, 0)
    lines = recommended_measures(assessment.result, assessment.data)
    assert len(lines) == len(assessment.result["selection"]["measures"]) > 0
    assert all(line.cost > 0 and line.risk_removed > 0 for line in lines)
    assert lines == sorted(lines, key=lambda line: -line.risk_removed)


def test_portfolio_trend_open_measures_and_tier(havenstad) -> None:
    worse = make_site(havenstad, "Markt", kind="market", capacity=900)
    better = make_site(havenstad, "Kerk", kind="square", capacity=300)
    make_site(havenstad, "Park", kind="park", capacity=None)
    assess(worse, 3)
    assess(worse, 0)
    assess(better, 0)
    assess(better, 3)
    with scope(organisation=havenstad):
        rows = {
            r.site.name: r
            for r in portfolio(organisation=havenstad, matrix=organisation_matrix(havenstad))
        }
    assert rows["Markt"].trend == "up"
    assert rows["Markt"].previous_cell.level < rows["Markt"].reading.site.cell.level
    assert rows["Kerk"].trend == "down"
    assert rows["Markt"].tier == "enhanced"
    assert rows["Kerk"].tier == "standard"
    assert rows["Park"].tier is None
    assert rows["Park"].trend is None
    assert rows["Park"].open_measures is None
    assert rows["Markt"].open_measures == len(rows["Markt"].latest.result["selection"]["measures"])


def test_portfolio_page_sorts_and_is_linked(client, adviser, havenstad) -> None:
    low = make_site(havenstad, "Aaa laag")
    high = make_site(havenstad, "Zzz hoog")
    assess(low, 3)
    assess(high, 0)
    client.force_login(adviser)
    sites = client.get(url("sites", havenstad)).content.decode()
    assert url("portfolio", havenstad) in sites
    by_level = client.get(url("portfolio", havenstad)).content.decode()
    assert by_level.index("Zzz hoog") < by_level.index("Aaa laag")
    by_name = client.get(url("portfolio", havenstad) + "?sort=name").content.decode()
    assert by_name.index("Aaa laag") < by_name.index("Zzz hoog")
    assert 'aria-sort="ascending"' in by_name
    assert client.get(url("portfolio", havenstad) + "?sort=bogus").status_code == 200


def test_portfolio_shows_only_the_organisations_sites(client, adviser, havenstad, riverton):
    make_site(riverton, "Riverside Market")
    client.force_login(adviser)
    assert "Riverside Market" not in client.get(url("portfolio", havenstad)).content.decode()


def test_matrix_page_plots_each_assessment_it_lists(client, adviser, havenstad) -> None:
    sites = [make_site(havenstad, f"Plein {i}") for i in range(3)]
    for site, answer in zip(sites, (0, 2, 3), strict=True):
        assess(site, answer)
    make_site(havenstad, "Not assessed")
    client.force_login(adviser)
    html = client.get(url("matrix", havenstad)).content.decode()
    grid = html[html.index('<table class="matrix">') : html.index("</table>")]
    listed = html[html.index('<table class="matrix-point-list">') :]
    listed = listed[: listed.index("</table>")]
    listed_sites = re.findall(r'<tr data-site="(\d+)"', listed)
    assert sorted(listed_sites) == sorted(str(s.pk) for s in sites)
    for pk in listed_sites:
        assert f'<li data-site="{pk}">' in grid
    # Each point sits in the row and column of its cell.
    with scope(organisation=havenstad):
        matrix = organisation_matrix(havenstad)
        points = matrix_points(portfolio(organisation=havenstad, matrix=matrix))
    rows = grid.split("<tr>")[2:]  # header row first, then likelihood from the top band down
    for point in points:
        row = rows[matrix.shape[0] - point.cell.likelihood]
        cell = row.split("<td>")[point.cell.impact]
        assert f'<li data-site="{point.site.pk}">' in cell


def _assess_post(client, org, site) -> dict:
    """The prefilled form as a browser submits it, every answer the worst."""
    post = form_post(client.get(url("assess", org, site.pk)).context["form"].data_in)
    post.update({field_key(q.id): 0 for q in risk.QUESTIONS})
    return post


def test_what_if_shows_levels_without_saving_a_version(client, adviser, havenstad) -> None:
    from secu4all.assessments.models import Assessment
    from secu4all.audit.models import AuditEvent

    site = make_site(havenstad, "Grote Plein")
    client.force_login(adviser)
    post = _assess_post(client, havenstad, site)
    with scope(organisation=havenstad):
        events = AuditEvent.objects.count()
    response = client.post(url("assess", havenstad, site.pk), {**post, "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: not saved" in html
    assert "Risk level of the site" in html
    assert "of 1,000)" in html
    assert not Assessment.objects.with_scope(organisation=havenstad).exists()
    with scope(organisation=havenstad):
        assert AuditEvent.objects.count() == events  # nothing written, not even a log row
    # The same answers saved make version 1 with the levels the preview showed.
    response = client.post(url("assess", havenstad, site.pk), post)
    assert response.status_code == 302
    saved = Assessment.objects.with_scope(organisation=havenstad).get()
    assert saved.version == 1
    headline = re.search(r'risk-headline-level">.*?<strong>(.*?)</strong>', html, re.S).group(1)
    saved_html = client.get(url("assessment", havenstad, site.pk, 1)).content.decode()
    assert f"<strong>{headline}</strong> ·" in saved_html


def test_measures_are_offered_by_relevance_with_all_on_request(client, adviser, havenstad):
    stadium = make_site(havenstad, "Stadion", kind="stadium")
    park = make_site(havenstad, "Vakantiepark", kind="holiday-park")
    client.force_login(adviser)
    page = client.get(url("assess", havenstad, stadium.pk))
    form = page.context["form"]
    relevant = {f.name for f in form.relevant_measure_fields()}
    other = {f.name for f in form.other_measure_fields()}
    assert "measure__occupancy_checks" in other
    assert "measure__drone_detection" in relevant
    assert "measure__cctv_live" in relevant
    assert relevant.isdisjoint(other)
    # A first assessment starts with only the relevant measures ticked.
    assert "occupancy_checks" not in {m["id"] for m in form.data_in["measures"]}
    html = page.content.decode()
    assert "Relevant to this site type (Stadium)" in html
    assert "Show all measures" in html
    park_form = client.get(url("assess", havenstad, park.pk)).context["form"]
    assert "measure__occupancy_checks" in {f.name for f in park_form.relevant_measure_fields()}
