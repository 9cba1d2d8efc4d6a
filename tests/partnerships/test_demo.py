"""The demo: three partnerships with members, plans, an exercise, a certification and an item
at every TLP level; the stadium's partner sees only the stadium partnership."""

from __future__ import annotations

from django.test import Client
from django_scopes import scopes_disabled

from secu4all.partnerships import tlp
from secu4all.partnerships.models import Partnership, SharedItem
from secu4all.shell.demo_loader import demo_credentials, load_demo


def test_demo_partnerships(db) -> None:
    assert load_demo() is True
    assert load_demo() is False
    with scopes_disabled():
        names = set(Partnership.objects.values_list("name", flat=True))
        assert names == {
            "Veilig Stadion Havenstad",
            "Havenstadse Vierdaagse",
            "Veilig Ondernemen Diamantwijk",
        }
        assert set(SharedItem.objects.values_list("tlp", flat=True)) == {
            "TLP:RED",
            "TLP:AMBER+STRICT",
            "TLP:AMBER",
            "TLP:GREEN",
            "TLP:CLEAR",
        }
        stadium = Partnership.objects.get(name="Veilig Stadion Havenstad")
        assert stadium.exercises.get().observations.filter(action_item__isnull=False).count() == 2
        assert stadium.members.count() == 6
        assert Partnership.objects.get(name__contains="Diamantwijk").certifications.get().stage == (
            "baseline"
        )
    assert {"agent", "organiser", "diamonds", "guard"} <= {c[0] for c in demo_credentials()}

    from django.contrib.auth import get_user_model

    partner = get_user_model().objects.get(username="partner")
    client = Client()
    client.force_login(partner)
    listing = client.get("/o/havenstad-stadion/partnerships/").content.decode()
    assert "Veilig Stadion Havenstad" in listing
    assert "Vierdaagse" not in listing
    assert "Diamantwijk" not in listing
    with scopes_disabled():
        readable = set(tlp.readable_items(partner, stadium).values_list("tlp", flat=True))
    assert readable == {"TLP:RED", "TLP:AMBER+STRICT", "TLP:AMBER", "TLP:GREEN", "TLP:CLEAR"}
    page = client.get(f"/o/havenstad-stadion/partnerships/{stadium.pk}/").content.decode()
    assert "Returned to the lead" not in page
    assert "Table-top: vehicle ramming at the fan zone" in page
