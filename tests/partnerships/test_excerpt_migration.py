"""Finding 12.8: excerpts shared before their source was recorded are linked to it, so the
rule holds for them at their next relabelling."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from secu4all.partnerships.services.sharing import shared_item_relabel

pytestmark = pytest.mark.django_db

link = importlib.import_module("secu4all.partnerships.migrations.0003_link_existing_excerpts").link


def test_an_old_excerpt_is_linked_to_the_assessment_it_was_cut_from(world) -> None:
    from secu4all.assessments.models import Assessment, Site

    lead = world.orgs["havenstad"]
    with scopes_disabled():
        site = Site.objects.create(organisation=lead, name="Stadion", kind="stadium")
        source = Assessment.objects.create(
            organisation=lead,
            site=site,
            version=1,
            data={},
            result={},
            total_risk=0,
            tlp="TLP:AMBER+STRICT",
        )
        world.partnership.site = site
        world.partnership.save()
        old = world.items["strict"]  # shared as an excerpt, no source recorded
        assert old.kind == "assessment-excerpt"
        assert old.source_assessment_id is None
        type(old).objects.filter(pk=old.pk).update(created_at=source.created_at)
        later = Assessment.objects.create(
            organisation=lead,
            site=site,
            version=2,
            data={},
            result={},
            total_risk=0,
            tlp="TLP:CLEAR",
        )
        type(later).objects.filter(pk=later.pk).update(
            created_at=source.created_at.replace(year=source.created_at.year + 1)
        )
        link(apps, None)
        old.refresh_from_db()
        assert old.source_assessment_id == source.pk
        with pytest.raises(ValidationError, match="cannot be shared as TLP:CLEAR"):
            shared_item_relabel(
                actor=world.users["lead-adviser"], item=old, new_label="TLP:CLEAR", acting_for=lead
            )
