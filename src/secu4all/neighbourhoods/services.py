"""Changing neighbourhoods, and placing points in them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.engines.spatial.pip import geojson_area, locate
from secu4all.neighbourhoods.importers import parse_areas
from secu4all.neighbourhoods.models import Area
from secu4all.neighbourhoods.selectors import area_list
from secu4all.neighbourhoods.signals import boundaries_changed
from secu4all.organisations.models import Organisation


@transaction.atomic
def areas_import(
    *, organisation: Organisation, actor: AbstractBaseUser | None, data: bytes, file_name: str
) -> dict:
    """Create or update the organisation's neighbourhoods from a file; an area already known
    keeps what the file leaves empty. Rejections are kept in the audit record and returned.
    When boundaries came with the file, what the capabilities placed in neighbourhoods is
    placed again (``boundaries_changed``)."""
    parsed = parse_areas(data, name=file_name)
    manager = Area.objects.with_scope(organisation=organisation)
    known = {a.code: a for a in manager.filter(code__in=[r.code for r in parsed.areas])}
    created = updated = 0
    for row in parsed.areas:
        area = known.get(row.code) or Area(organisation=organisation, code=row.code)
        is_new = area.pk is None
        area.name = row.name
        if row.population is not None:
            area.population = row.population
        if row.boundary is not None:
            area.boundary = row.boundary
        area.save()
        created += is_new
        updated += not is_new
    summary = {
        "file": file_name,
        "rows": parsed.rows,
        "created": created,
        "updated": updated,
        "with_boundary": sum(1 for r in parsed.areas if r.boundary is not None),
        "rejected": [
            {"row": r.row, "field": r.field, "reason": r.reason, "raw": r.raw}
            for r in parsed.rejections
        ],
    }
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CREATE,
        # The name audit records have always carried, so the log reads as one history.
        object_type="incidents.area",
        object_repr=f"areas from {file_name}"[:200],
        detail=summary,
    )
    if summary["with_boundary"]:
        boundaries_changed.send(sender=Area, organisation=organisation)
    return summary


@dataclass(frozen=True)
class AreaLocator:
    """The organisation's neighbourhood boundaries, read once, to place many points."""

    codes: tuple[str, ...]
    names: dict[str, str]
    shapes: tuple[list, ...]

    def __bool__(self) -> bool:
        return bool(self.codes)

    def codes_at(self, lon: Sequence[float | None], lat: Sequence[float | None]) -> list[str]:
        """The code of the neighbourhood holding each point; "" outside every boundary or
        where the point has no coordinates."""
        if not self.codes or not len(lon):
            return [""] * len(lon)
        x = np.array([np.nan if v is None else v for v in lon], dtype=float)
        y = np.array([np.nan if v is None else v for v in lat], dtype=float)
        return ["" if i < 0 else self.codes[i] for i in locate(x, y, self.shapes)]

    def code_at(self, lon: float | None, lat: float | None) -> str:
        return self.codes_at([lon], [lat])[0]


def area_locator(*, organisation: Organisation) -> AreaLocator:
    """The boundaries to place points in; empty (false) when no area has one."""
    areas = list(
        area_list(organisation=organisation)
        .filter(boundary__isnull=False)
        .values_list("code", "name", "boundary")
    )
    return AreaLocator(
        codes=tuple(code for code, _, _ in areas),
        names={code: name for code, name, _ in areas},
        shapes=tuple(geojson_area(boundary) for _, _, boundary in areas),
    )


def area_save(
    *,
    organisation: Organisation,
    code: str,
    name: str,
    population: int | None = None,
    boundary: dict | None = None,
    overwrite: bool = True,
) -> Area:
    """The neighbourhood ``code``, created with these values, or updated with them when it
    exists and ``overwrite`` is set (an existing one is left as it is otherwise)."""
    fields = {"name": name, "population": population}
    if boundary is not None:
        fields["boundary"] = boundary
    manager = Area.objects.with_scope(organisation=organisation)
    if overwrite:
        area, _ = manager.update_or_create(organisation=organisation, code=code, defaults=fields)
    else:
        area, _ = manager.get_or_create(organisation=organisation, code=code, defaults=fields)
    return area


def points_by_area(
    *, organisation: Organisation, points: Iterable[tuple[int, float | None, float | None]]
) -> dict[str, list[int]]:
    """Ids of ``(id, longitude, latitude)`` points grouped by the code of the neighbourhood
    holding them; "" gathers those no boundary holds."""
    points = list(points)
    codes = area_locator(organisation=organisation).codes_at(
        [lon for _, lon, _ in points], [lat for *_, lat in points]
    )
    grouped: dict[str, list[int]] = {}
    for (pk, _, _), code in zip(points, codes, strict=True):
        grouped.setdefault(code, []).append(pk)
    return grouped
