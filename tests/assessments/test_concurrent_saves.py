"""Two advisers saving the same site's assessment at the same moment: both are kept, as
consecutive versions, and neither gets an error (the load bench found 500s here)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from secu4all.assessments import services
from secu4all.assessments.models import Assessment, Site
from secu4all.assessments.services import assessment_create, default_data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_get_consecutive_versions(havenstad, monkeypatch) -> None:
    # Marked postgres: SQLite serialises writers by itself (IMMEDIATE transactions); the
    # race is PostgreSQL's, where both transactions run side by side.
    assert connection.vendor == "postgresql"
    site = Site.objects.with_scope(organisation=havenstad).create(
        organisation=havenstad, name="Grote Plein", kind="square", capacity=5000
    )
    data = default_data(site)
    # Both saves are held inside their transactions until both have computed their preview,
    # so each reaches the version number while the other is still open: the race itself.
    both_computed = threading.Barrier(2, timeout=30)
    preview = services.assessment_preview

    def preview_then_wait(**kwargs):
        result = preview(**kwargs)
        both_computed.wait()
        return result

    monkeypatch.setattr(services, "assessment_preview", preview_then_wait)
    errors: list[BaseException] = []

    def save() -> None:
        try:
            assessment_create(site=site, actor=None, data=data)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    savers = [threading.Thread(target=save) for _ in range(2)]
    for saver in savers:
        saver.start()
    for saver in savers:
        saver.join(60)

    assert errors == []
    versions = Assessment.objects.with_scope(organisation=havenstad).filter(site=site)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]
