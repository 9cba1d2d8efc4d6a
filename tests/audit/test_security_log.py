"""Finding 12.16: an outsider's probes of an organisation's addresses go to the platform's
security log, once per session and path, and never into that organisation's audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from secu4all.audit.models import AuditEvent, SecurityEvent

pytestmark = pytest.mark.django_db


def test_a_sweep_leaves_no_row_in_the_probed_audit_log(client, havenstad, riverton, make_member):
    """Finding 12.16: 60 requests over 3 addresses are 3 security-log rows, 0 audit rows."""
    outsider = make_member(havenstad, "org-admin")
    client.force_login(outsider)
    paths = [
        reverse(f"organisations:{name}", args=[riverton.slug])
        for name in ("overview", "members", "audit_log")
    ]
    for _ in range(20):
        for path in paths:
            assert client.get(path).status_code == 404
    with scopes_disabled():
        assert not AuditEvent.objects.filter(organisation=riverton).exists()
    rows = list(SecurityEvent.objects.order_by("path"))
    assert sorted(r.path for r in rows) == sorted(paths)
    assert {(r.kind, r.username, r.hits) for r in rows} == {("probe", outsider.username, 20)}
    assert all(r.detail["slug"] == "riverton" for r in rows)


def test_a_new_session_is_a_new_row(client, havenstad, riverton, make_member) -> None:
    """Finding 12.16: once per session and path, so a later session is seen again."""
    outsider = make_member(havenstad, "org-admin")
    path = reverse("organisations:overview", args=[riverton.slug])
    client.force_login(outsider)
    client.get(path)
    client.logout()
    client.force_login(outsider)
    client.get(path)
    assert SecurityEvent.objects.filter(path=path).count() == 2
    # The session key is a credential: only its digest is kept.
    assert all(client.session.session_key not in r.session for r in SecurityEvent.objects.all())


def test_api_token_probes_are_logged_too(client, havenstad, riverton, make_member) -> None:
    """Finding 12.16: the API answers the same 404 and logs in the same place."""
    from rest_framework.authtoken.models import Token

    outsider = make_member(havenstad, "org-admin")
    token = Token.objects.create(user=outsider)
    url = f"/api/v1/organisations/{riverton.slug}/audit-events/"
    for _ in range(3):
        answer = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
        assert answer.status_code == 404
    assert list(SecurityEvent.objects.values_list("path", "hits")) == [(url, 3)]
    with scopes_disabled():
        assert not AuditEvent.objects.filter(organisation=riverton).exists()


def test_unknown_slugs_are_not_logged_as_an_organisation(client, havenstad, make_member):
    """Finding 12.16: the log names the slug tried; no organisation is looked up for it."""
    client.force_login(make_member(havenstad, "org-admin"))
    assert client.get("/o/no-such-town/").status_code == 404
    row = SecurityEvent.objects.get()
    assert row.detail["slug"] == "no-such-town"
