"""Reading an organisation's neighbourhoods: the only way other apps see areas."""

from __future__ import annotations

from django.db.models import QuerySet

from secu4all.neighbourhoods.models import Area
from secu4all.organisations.models import Organisation


def area_list(*, organisation: Organisation) -> QuerySet[Area]:
    """The organisation's neighbourhoods, by code."""
    return Area.objects.with_scope(organisation=organisation).order_by("code")


def boundaries_exist(*, organisation: Organisation) -> bool:
    """Whether at least one of the organisation's neighbourhoods has its boundary."""
    return Area.objects.with_scope(organisation=organisation).exclude(boundary=None).exists()


def area_get(*, organisation: Organisation, code: str) -> Area | None:
    """The neighbourhood with ``code``, or None when the organisation has none by that code."""
    return area_list(organisation=organisation).filter(code=code).first()


def area_names(*, organisation: Organisation) -> dict[str, str]:
    """Each neighbourhood's name by its code."""
    return dict(area_list(organisation=organisation).values_list("code", "name"))


def area_populations(*, organisation: Organisation) -> dict[str, int | None]:
    """Each neighbourhood's inhabitants by its code (None where not known)."""
    return dict(area_list(organisation=organisation).values_list("code", "population"))


def area_boundaries(*, organisation: Organisation) -> dict[str, dict]:
    """The GeoJSON boundary of each neighbourhood that has one, by its code."""
    return dict(
        area_list(organisation=organisation)
        .filter(boundary__isnull=False)
        .values_list("code", "boundary")
    )
