"""Issue #16, point 2: a wave's estimates are computed once and shared by every reader, and
any change to what they are computed from — a new response, an answer changed in place, a
review decision, a closed wave — is seen by the next reader at once."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scope

from secu4all.perception import analyses
from secu4all.perception.models import Answer
from secu4all.perception.services import responses_review
from tests.support.perception import fill, make_response, surveyed_town_make

pytestmark = pytest.mark.django_db


def estimate(wave, code: str = "feels_unsafe"):
    with scope(organisation=wave.organisation):
        results = analyses.cached_wave_results(wave, language="en")
    found = results.indicator(code)
    return results.responses, (found.overall.value if found else None)


def test_the_second_reader_computes_nothing(town, monkeypatch) -> None:
    wave = town["wave"]
    fill(wave, per_cell=2)
    first = estimate(wave)

    def computed_again(*args, **kwargs):
        raise AssertionError("the estimates were computed again for unchanged data")

    monkeypatch.setattr(analyses, "wave_results", computed_again)
    assert estimate(wave) == first


def test_a_new_response_and_a_changed_answer_are_seen_at_once(town) -> None:
    wave = town["wave"]
    fill(wave, per_cell=2)
    n, share = estimate(wave)
    response = make_response(
        wave, area="BU01", age="25-44", sex="female", answers={"vm_feels_unsafe": 1}
    )
    n_after, share_after = estimate(wave)
    assert n_after == n + 1
    assert share_after != share
    with scope(organisation=wave.organisation):
        Answer.objects.filter(response=response, item__code="vm_feels_unsafe").update(value=4)
    _n, share_changed = estimate(wave)
    assert share_changed != share_after


def test_an_excluded_response_leaves_the_next_readers_estimates(town, make_member) -> None:
    wave = town["wave"]
    fill(wave, per_cell=2)
    flagged = make_response(
        wave, area="BU01", age="25-44", sex="female", answers={"vm_feels_unsafe": 1}
    )
    with scope(organisation=wave.organisation):
        flagged.review = "pending"
        flagged.save(update_fields=["review"])
    n, _share = estimate(wave)
    with scope(organisation=wave.organisation):
        responses_review(
            wave=wave,
            actor=make_member(town["organisation"], "org-admin"),
            decisions={flagged.pk: "excluded"},
        )
    assert estimate(wave)[0] == n - 1


def test_the_results_page_reads_the_shared_estimates(client, town, make_member) -> None:
    wave = town["wave"]
    fill(wave, per_cell=2)
    client.force_login(make_member(town["organisation"], "org-admin"))
    url = reverse("perception:wave", args=["havenstad", wave.pk])
    before = client.get(url).content.decode()
    make_response(wave, area="BU01", age="25-44", sex="female", answers={"vm_feels_unsafe": 1})
    after = client.get(url).content.decode()
    n = estimate(wave)[0]
    assert f"{n} respondents answered" in after
    assert f"{n} respondents answered" not in before


def test_another_organisations_wave_cannot_be_compared_with(
    client, town, riverton, make_member
) -> None:
    theirs = surveyed_town_make(riverton)["wave"]
    fill(theirs, per_cell=1)
    client.force_login(make_member(town["organisation"], "org-admin"))
    url = reverse("perception:wave", args=["havenstad", town["wave"].pk])
    assert client.get(url, {"compare": theirs.pk}).status_code == 404
