"""Issue 8, point 8: HTTP requests as every role and organisation read only what each label
allows — through pages, the API, search, exports, attachments and guessed ids — and every
refusal is a 403 or 404 written to the audit log."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from secu4all.audit.models import AuditEvent, AuditOutcome
from secu4all.partnerships.services.members import partnership_create
from secu4all.partnerships.services.plans import action_item_create
from secu4all.partnerships.services.sharing import shared_item_create
from tests.support.partnerships import EXPECTED, NO_PAGES, ORG_OF

ITEM_URLS = {
    "page": "/o/{org}/partnerships/{p}/items/{i}/",
    "attachment": "/o/{org}/partnerships/{p}/items/{i}/attachment/",
    "pdf": "/o/{org}/partnerships/{p}/items/{i}/export.pdf",
    "api": "/api/v1/organisations/{org}/partnerships/{p}/items/{i}/",
}


def client_for(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def refusals(**filters) -> list[AuditEvent]:
    with scopes_disabled():
        return [
            e for e in AuditEvent.objects.filter(**filters) if e.outcome == AuditOutcome.REFUSED
        ]


def reads(item, via: str) -> int:
    with scopes_disabled():
        return sum(
            1
            for e in AuditEvent.objects.filter(
                object_type="partnerships.shareditem", object_id=str(item.pk)
            )
            if e.detail.get("via") == via and e.outcome != AuditOutcome.REFUSED
        )


@pytest.mark.parametrize("channel", sorted(ITEM_URLS))
@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_item_urls_answer_by_label_and_log_refusals(world, username, channel) -> None:
    client = client_for(world, username)
    org = ORG_OF[username]
    for key, item in world.items.items():
        url = ITEM_URLS[channel].format(org=org, p=world.partnership.pk, i=item.pk)
        before = len(refusals(actor=world.users[username]))
        response = client.get(url)
        if username in NO_PAGES:
            assert response.status_code == NO_PAGES[username], (url, response.status_code)
        elif key in EXPECTED[username]:
            assert response.status_code == 200, (url, response.status_code)
            via = {"page": "page", "attachment": "download", "pdf": "export-pdf", "api": "api"}
            assert reads(item, via[channel]) >= 1
            continue
        else:
            assert response.status_code == 404, (url, response.status_code)
        assert len(refusals(actor=world.users[username])) == before + 1, url
        # The refused body never carries the item's title or text.
        assert item.title.encode() not in response.content


@pytest.mark.parametrize("username", sorted(set(EXPECTED) - set(NO_PAGES)))
def test_lists_exports_api_and_search_hold_only_readable_items(world, username) -> None:
    client = client_for(world, username)
    org, p = ORG_OF[username], world.partnership.pk
    readable = {world.items[k].title for k in EXPECTED[username]}
    unreadable = {i.title for i in world.items.values()} - readable

    page = client.get(f"/o/{org}/partnerships/{p}/items/").content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/o/{org}/partnerships/{p}/items/export.csv").content.decode())
        )
    )
    api = client.get(f"/api/v1/organisations/{org}/partnerships/{p}/items/").json()
    found = client.get(f"/o/{org}/partnerships/search/", {"q": "e"}).content.decode()

    assert {r[3] for r in rows[2:]} == readable
    assert {i["title"] for i in api} == readable
    for title in readable:
        assert title in page
        assert title in found
    for title in unreadable:
        assert title not in page
        assert title not in found
    # The CSV's first line is the strictest label it holds.
    order = ["TLP:RED", "TLP:AMBER+STRICT", "TLP:AMBER", "TLP:GREEN", "TLP:CLEAR"]
    labels = {world.items[k].tlp for k in EXPECTED[username]}
    assert rows[0][0] == min(labels, key=order.index)
    assert all(r[0] in labels for r in rows[2:])
    for key in EXPECTED[username]:
        assert reads(world.items[key], "export-csv") >= 1


@pytest.mark.parametrize("username", sorted(NO_PAGES))
def test_lists_exports_api_and_search_are_refused_and_logged(world, username) -> None:
    client = client_for(world, username)
    org, p = ORG_OF[username], world.partnership.pk
    urls = [
        f"/o/{org}/partnerships/{p}/",
        f"/o/{org}/partnerships/{p}/items/",
        f"/o/{org}/partnerships/{p}/items/export.csv",
        f"/api/v1/organisations/{org}/partnerships/{p}/items/",
    ]
    for url in urls:
        before = len(refusals(actor=world.users[username]))
        response = client.get(url)
        assert response.status_code == NO_PAGES[username], url
        assert len(refusals(actor=world.users[username])) == before + 1, url
        assert b"Amber stewarding plan" not in response.content


def test_outsider_and_leaver_do_not_see_the_partnership_listed(world) -> None:
    for username in ("riverton-admin", "fire-adviser"):
        client = client_for(world, username)
        org = ORG_OF[username]
        assert b"Stadium safety" not in client.get(f"/o/{org}/partnerships/").content
        assert client.get(f"/api/v1/organisations/{org}/partnerships/").json() == []
        found = client.get(f"/o/{org}/partnerships/search/", {"q": "Clear"}).content
        assert b"Clear public advice" not in found


def test_partner_sees_only_their_partnerships_under_their_own_url(world, make_member) -> None:

    with scopes_disabled():
        partnership_create(actor=None, organisation=world.orgs["havenstad"], name="Four-day walk")
    client = client_for(world, "stadium-partner")
    listing = client.get("/o/stadium/partnerships/").content
    assert b"Stadium safety" in listing
    assert b"Four-day walk" not in listing
    # Not through the lead's URL either: the partner is no member of Havenstad.
    assert client.get(f"/o/havenstad/partnerships/{world.partnership.pk}/").status_code == 404


def test_guessed_ids_are_404_and_logged(world) -> None:
    client = client_for(world, "stadium-partner")
    p = world.partnership.pk
    biggest = max(i.pk for i in world.items.values())
    for url in [
        f"/o/stadium/partnerships/{p + 999}/",
        f"/o/stadium/partnerships/{p}/items/{biggest + 1}/",
        f"/o/stadium/partnerships/{p}/items/{biggest + 1}/attachment/",
        f"/api/v1/organisations/stadium/partnerships/{p + 999}/items/",
    ]:
        before = len(refusals(actor=world.users["stadium-partner"]))
        assert client.get(url).status_code == 404, url
        assert len(refusals(actor=world.users["stadium-partner"])) == before + 1, url


def test_an_item_of_another_partnership_is_404_under_this_one(world) -> None:

    with scopes_disabled():
        other = partnership_create(
            actor=None, organisation=world.orgs["riverton"], name="Riverton market"
        )
        foreign = shared_item_create(
            actor=world.users["riverton-admin"],
            acting_for=world.orgs["riverton"],
            partnership=other,
            kind="message",
            title="Riverton only",
            tlp_label="TLP:GREEN",
        )
    client = client_for(world, "lead-admin")
    url = f"/o/havenstad/partnerships/{world.partnership.pk}/items/{foreign.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(f"/o/havenstad/partnerships/{other.pk}/").status_code == 404


def test_attachment_is_a_download_the_browser_will_not_sniff(world) -> None:
    client = client_for(world, "stadium-partner")
    item = world.items["green"]
    response = client.get(
        f"/o/stadium/partnerships/{world.partnership.pk}/items/{item.pk}/attachment/"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "TLP-GREEN" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_label_is_on_the_page_and_in_pdf_header_and_footer(world) -> None:
    from pypdf import PdfReader

    client = client_for(world, "police-adviser")
    item = world.items["amber"]
    base = f"/o/police/partnerships/{world.partnership.pk}/items/{item.pk}/"
    page = client.get(base).content.decode()
    assert '<span class="tlp tlp-tlpamber">TLP:AMBER</span>' in page
    pdf = PdfReader(io.BytesIO(client.get(base + "export.pdf").content))
    text = pdf.pages[0].extract_text()
    assert text.count("TLP:AMBER") >= 2  # header and footer


def test_guessed_ids_of_plans_and_exercises_are_404_and_logged(world) -> None:
    from secu4all.partnerships.models import Exercise

    with scopes_disabled():
        other = services_create_other(world)
        foreign = Exercise.objects.create(
            organisation=world.orgs["riverton"],
            partnership=other,
            title="Riverton drill",
            kind="live",
            scenario="x",
        )
    client = client_for(world, "lead-adviser")
    p = world.partnership.pk
    for method, url in [
        ("get", f"/o/havenstad/partnerships/{p}/exercises/{foreign.pk}/"),
        ("post", f"/o/havenstad/partnerships/{p}/exercises/{foreign.pk}/close-review/"),
        ("post", f"/o/havenstad/partnerships/{p}/actions/{foreign.pk + 50}/status/"),
        ("post", f"/o/havenstad/partnerships/{p}/partners/{foreign.pk + 50}/remove/"),
    ]:
        before = len(refusals(actor=world.users["lead-adviser"]))
        assert getattr(client, method)(url, {"status": "done"}).status_code == 404, url
        assert len(refusals(actor=world.users["lead-adviser"])) == before + 1, url


def services_create_other(world):

    return partnership_create(
        actor=None, organisation=world.orgs["riverton"], name="Riverton market"
    )


def test_the_community_sees_shared_items_not_plans_contacts_or_exercises(world) -> None:
    from secu4all.partnerships.models import Exercise

    with scopes_disabled():
        action_item_create(
            actor=None,
            partnership=world.partnership,
            title="Barriers at the fan zone",
            owner_organisation=world.orgs["havenstad"],
        )
        exercise = Exercise.objects.create(
            organisation=world.orgs["havenstad"],
            partnership=world.partnership,
            title="Ramming drill",
            kind="table-top",
            scenario="The fan zone has no barrier",
        )
    client = client_for(world, "shops-partner")
    base = f"/o/shops/partnerships/{world.partnership.pk}/"
    page = client.get(base).content.decode()
    assert "Green match calendar" not in page  # not listed here, but counted:
    assert "2 shared items you may read" in page
    assert "Barriers at the fan zone" not in page
    assert "Ramming drill" not in page
    before = len(refusals(actor=world.users["shops-partner"]))
    assert client.get(f"{base}exercises/{exercise.pk}/").status_code == 403
    assert client.get(f"{base}alerts/new/").status_code == 403
    assert len(refusals(actor=world.users["shops-partner"])) == before + 2
    # A partner sees both.
    member_page = client_for(world, "stadium-partner").get(
        f"/o/stadium/partnerships/{world.partnership.pk}/"
    )
    assert "Barriers at the fan zone" in member_page.content.decode()


def test_api_with_a_token_reads_by_label_too(world) -> None:
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=world.users["guards-partner"])
    client = Client(headers={"authorization": f"Token {token.key}"})
    p = world.partnership.pk
    listed = client.get(f"/api/v1/organisations/guards/partnerships/{p}/items/")
    assert listed.status_code == 200
    assert {i["title"] for i in listed.json()} == {
        "Amber stewarding plan",
        "Green match calendar",
        "Clear public advice",
    }
    strict = world.items["strict"].pk
    assert (
        client.get(f"/api/v1/organisations/guards/partnerships/{p}/items/{strict}/").status_code
        == 404
    )
    assert client.get("/api/v1/organisations/guards/partnerships/").json()[0]["name"] == (
        "Stadium safety"
    )
