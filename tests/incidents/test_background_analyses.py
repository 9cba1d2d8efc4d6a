"""Issue #16, point 2: a page never runs a Monte Carlo test in the request. The near-repeat
test and local Moran are computed once per change of the incidents, in a background task,
and cached by organisation, filters and data version; meanwhile the page says so and shows
the previous result."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_scopes import scope
from django_tasks import default_task_backend
from django_tasks.backends.dummy import DummyBackend

from secu4all.incidents import analyses
from secu4all.incidents.selectors import IncidentFilter
from secu4all.organisations.models import Organisation
from secu4all.organisations.selectors import data_version

pytestmark = pytest.mark.django_db

QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def demo(demo_town: Organisation, db) -> Organisation:
    demo_town.refresh_from_db()
    return demo_town


@pytest.fixture
def analyst_client(client, demo, make_member):
    client.force_login(make_member(demo, "analyst"))
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def queue():
    """A task queue that keeps what is enqueued and runs nothing, like a busy worker."""
    with override_settings(TASKS=QUEUE_ONLY):
        default_task_backend.clear()
        yield default_task_backend


def run_queued(queue) -> int:
    """Do what a worker would: run every queued computation."""
    results = list(queue.results)
    queue.clear()
    for result in results:
        result.task.call(*result.args, **result.kwargs)
    return len(results)


def near_repeats_page(client, demo, **query) -> str:
    url = reverse("incidents:near_repeats", args=[demo.slug])
    return client.get(url, query).content.decode()


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_page_queues_the_test_once_and_runs_none_of_it(
    analyst_client, demo, queue, monkeypatch
) -> None:
    def no_monte_carlo_here(*args, **kwargs):
        raise AssertionError("the Knox test ran in the request")

    monkeypatch.setattr(analyses, "near_repeats", no_monte_carlo_here)
    first = near_repeats_page(analyst_client, demo, category="burglary")
    second = near_repeats_page(analyst_client, demo, category="burglary")
    assert "being computed in the background" in visible(first)
    assert '<meta http-equiv="refresh" content="10">' in first
    assert 'class="knox"' not in first
    assert "Too few" not in second
    # Two readers, one computation queued.
    assert len(queue.results) == 1


def test_the_worker_result_is_shown_with_when_it_was_computed(analyst_client, demo, queue) -> None:
    near_repeats_page(analyst_client, demo, category="burglary")
    assert run_queued(queue) == 1
    html = near_repeats_page(analyst_client, demo, category="burglary")
    assert 'class="knox"' in html
    assert "Computed on" in visible(html)
    assert "http-equiv" not in html
    # Cached: the next reader queues nothing.
    assert not queue.results


def test_after_an_import_the_previous_result_is_shown_while_recomputed(
    analyst_client, demo, queue
) -> None:
    near_repeats_page(analyst_client, demo, category="burglary")
    run_queued(queue)
    before = data_version(organisation=demo, topic=analyses.INCIDENTS)
    with scope(organisation=demo):
        analyses.incidents_changed(organisation=demo)
    assert data_version(organisation=demo, topic=analyses.INCIDENTS) == before + 1
    html = near_repeats_page(analyst_client, demo, category="burglary")
    text = visible(html)
    assert "The data changed after this result was computed" in text
    assert 'class="knox"' in html
    assert "http-equiv" not in html
    assert len(queue.results) == 1
    run_queued(queue)
    assert "Computed on" in visible(near_repeats_page(analyst_client, demo, category="burglary"))


def test_a_change_queues_the_unfiltered_test_for_the_first_reader(demo, queue) -> None:
    with scope(organisation=demo):
        analyses.incidents_changed(organisation=demo)
    # incidents_changed waits for the commit; pytest-django's transaction never commits.
    from django.db import connection

    for _savepoint, callback, _robust in connection.run_on_commit:
        callback()
    connection.run_on_commit.clear()
    [queued] = queue.results
    assert queued.args[0] == analyses.NEAR_REPEATS
    assert queued.args[1] == demo.pk
    assert queued.args[2] == analyses.filter_params(IncidentFilter())


def test_one_organisations_change_leaves_anothers_results_current(demo, riverton, queue) -> None:
    demo_version = data_version(organisation=demo, topic=analyses.INCIDENTS)
    with scope(organisation=riverton):
        analyses.incidents_changed(organisation=riverton)
        analyses.incidents_changed(organisation=riverton)
    assert data_version(organisation=riverton, topic=analyses.INCIDENTS) == 2
    assert data_version(organisation=demo, topic=analyses.INCIDENTS) == demo_version


def test_results_are_kept_apart_by_organisation_and_filters(demo, riverton, queue) -> None:
    filters = IncidentFilter(category="burglary")
    analyses.near_repeat_result(organisation=demo, filters=filters)
    run_queued(queue)
    assert analyses.near_repeat_result(organisation=demo, filters=filters).current
    other = analyses.near_repeat_result(organisation=riverton, filters=filters)
    assert other.value is None
    assert not other.ready
    assert not analyses.near_repeat_result(organisation=demo, filters=IncidentFilter()).ready


def test_a_reason_is_cached_instead_of_a_result(demo, queue, monkeypatch) -> None:
    def too_close(*args, **kwargs):
        raise ValueError("the pairs would not fit in memory")

    monkeypatch.setattr(analyses, "near_repeats", too_close)
    analyses.near_repeat_result(organisation=demo, filters=IncidentFilter())
    run_queued(queue)
    result = analyses.near_repeat_result(organisation=demo, filters=IncidentFilter())
    assert result.current
    assert result.value is None
    assert result.error == "the pairs would not fit in memory"
    assert not queue.results


def test_a_queue_that_refuses_leaves_the_page_saying_so_and_the_next_reader_asks_again(
    analyst_client, demo, queue, monkeypatch
) -> None:
    def refused(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(DummyBackend, "enqueue", refused)
    response = analyst_client.get(reverse("incidents:near_repeats", args=[demo.slug]))
    assert response.status_code == 200
    assert "being computed in the background" in visible(response.content.decode())
    monkeypatch.undo()
    near_repeats_page(analyst_client, demo)
    assert len(queue.results) == 1


def test_local_moran_is_computed_in_the_background_and_gi_star_in_the_request(
    analyst_client, demo, queue
) -> None:
    overview = reverse("incidents:overview", args=[demo.slug])
    gi = analyst_client.get(overview, {"method": "gistar", "cell": 250}).content.decode()
    assert 'id="hotspot-data"' in gi
    assert not queue.results
    moran = analyst_client.get(overview, {"method": "local-moran", "cell": 250})
    html = moran.content.decode()
    assert "being computed in the background" in visible(html)
    assert 'id="hotspot-data"' not in html
    assert "No located incidents match" not in html
    export = analyst_client.get(
        reverse("incidents:hotspots_export", args=[demo.slug, "geojson"]),
        {"method": "local-moran", "cell": 250},
    )
    assert export.status_code == 503
    assert export["Retry-After"] == "30"
    assert len(queue.results) == 1
    run_queued(queue)
    html = analyst_client.get(overview, {"method": "local-moran", "cell": 250}).content.decode()
    assert 'id="hotspot-data"' in html


def test_the_api_answers_503_with_retry_after_while_local_moran_is_computed(
    client, demo, make_member, queue
) -> None:
    client.force_login(make_member(demo, "analyst"))
    url = f"/api/v1/organisations/{demo.slug}/hotspots/"
    query = {"method": "local-moran", "cell": 250}
    waiting = client.get(url, query)
    assert waiting.status_code == 503
    assert waiting["Retry-After"] == "30"
    assert "being computed in the background" in waiting.json()["detail"]
    run_queued(queue)
    layer = client.get(url, query).json()
    assert layer["type"] == "FeatureCollection"
    assert layer["features"]
