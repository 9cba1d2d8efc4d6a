"""Finding 12.13: input limits — a measure with no effects, ids beyond the database range."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from secu4all.partnerships.forms import SharedItemForm

pytestmark = pytest.mark.django_db

TOO_BIG = "9223372036854775808"  # one past a signed 64-bit integer


def test_a_measure_with_no_effects_is_refused_with_a_message(client, havenstad, make_member):
    client.force_login(make_member(havenstad, "security-adviser"))
    response = client.post(
        f"/o/{havenstad.slug}/sites/measures/new/",
        {
            "name": "Extra stewards",
            "category": "lighting",
            "investment_eur": "0",
            "yearly_cost_eur": "1000",
            "lifetime_years": "1",
            "perceived_safety": "0",
            "accessibility": "0",
        },
    )
    assert response.status_code == 200
    assert "at least one threat scenario" in response.content.decode()


def test_an_id_beyond_the_database_range_is_an_invalid_choice(havenstad):
    from secu4all.organisations.models import Organisation

    field = SharedItemForm.base_fields["recipient_organisations"]
    field.queryset = Organisation.objects.all()
    with pytest.raises(ValidationError) as refused:
        field.clean([str(havenstad.pk), TOO_BIG])
    assert refused.value.code == "invalid_choice"
