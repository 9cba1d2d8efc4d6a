"""The analyses of incidents too costly for a request, computed once per change of the data.

The near-repeat test (a Knox Monte Carlo) and local Moran (a permutation test) run in a
background task and are cached under the organisation's incidents version
(``organisations.DataVersion``), which every import, undo, deletion and placement in
neighbourhoods raises (``incidents_changed``). Gi* and kernel density cost milliseconds
beyond the cell counts and are computed in the request, then cached the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from secu4all.common import computed
from secu4all.common.computed import Computed
from secu4all.engines.spatial import KnoxResult
from secu4all.incidents.selectors import (
    NEAR_REPEAT_SETTINGS,
    HotspotLayer,
    IncidentFilter,
    Selection,
    hotspot_layer,
    incident_list,
    near_repeats,
)
from secu4all.organisations.models import Organisation
from secu4all.organisations.selectors import data_version
from secu4all.organisations.services import data_changed

INCIDENTS = "incidents"
NEAR_REPEATS = "incidents.near-repeats"
HOTSPOTS = "incidents.hotspots"
# The methods whose significance is a Monte Carlo: never computed in a request.
BACKGROUND_METHODS = frozenset({"local-moran"})


def being_computed() -> str:
    """Why a result of a permutation test is not there yet."""
    return _(
        "This result is being computed in the background for the incidents as they are now. "
        "Try again in a minute."
    )


def filter_params(filters: IncidentFilter) -> dict[str, Any]:
    """The filters as JSON, for a task and a cache key."""
    return {
        "date_from": filters.date_from.isoformat() if filters.date_from else None,
        "date_to": filters.date_to.isoformat() if filters.date_to else None,
        "category": filters.category,
        "area": filters.area,
    }


def _filters(params: dict[str, Any]) -> IncidentFilter:
    return IncidentFilter(
        date_from=date.fromisoformat(params["date_from"]) if params["date_from"] else None,
        date_to=date.fromisoformat(params["date_to"]) if params["date_to"] else None,
        category=params["category"],
        area=params["area"],
    )


def _version(scope: int, params: dict[str, Any]) -> int:
    return data_version(organisation=scope, topic=INCIDENTS)


def _compute_near_repeats(scope: int, params: dict[str, Any]) -> KnoxResult | None:
    organisation = Organisation.objects.get(pk=scope)
    incidents = incident_list(organisation=organisation, filters=_filters(params))
    return near_repeats(incidents, **NEAR_REPEAT_SETTINGS)


def _compute_hotspots(scope: int, params: dict[str, Any]) -> HotspotLayer | None:
    organisation = Organisation.objects.get(pk=scope)
    return hotspot_layer(
        organisation=organisation,
        # Counted cells where the filters allow (incidents.counts), rows otherwise.
        incidents=Selection(organisation, _filters(params)),
        method=params["method"],
        cell=params["cell"],
    )


def register() -> None:
    computed.register(NEAR_REPEATS, version=_version, compute=_compute_near_repeats)
    computed.register(HOTSPOTS, version=_version, compute=_compute_hotspots)


def near_repeat_result(
    *, organisation: Organisation, filters: IncidentFilter
) -> Computed[KnoxResult]:
    """The Knox test of the filtered incidents: computed in the background, never here."""
    return computed.result(NEAR_REPEATS, scope=organisation.pk, params=filter_params(filters))


def hotspot_result(
    *, organisation: Organisation, filters: IncidentFilter, method: str, cell: float
) -> Computed[HotspotLayer]:
    """The hotspot layer of the filtered incidents; a permutation test in the background."""
    params = {**filter_params(filters), "method": method, "cell": cell}
    return computed.result(
        HOTSPOTS,
        scope=organisation.pk,
        params=params,
        inline=method not in BACKGROUND_METHODS,
    )


def incidents_changed(*, organisation: Organisation) -> None:
    """Mark every cached analysis of the organisation's incidents stale, and queue the
    near-repeat test of all its incidents (the page most readers open) once committed."""
    data_changed(organisation=organisation, topic=INCIDENTS)
    transaction.on_commit(
        lambda: computed.precompute(
            NEAR_REPEATS, scope=organisation.pk, params=filter_params(IncidentFilter())
        )
    )
