"""Writing sites and assessments; the engine computes, this layer validates, stores and logs."""

from __future__ import annotations

import copy

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from secu4all.assessments import geometry
from secu4all.assessments.library import (
    measure_from_setting,
    organisation_catalogue,
    starting_scenarios,
)
from secu4all.assessments.matrix import matrix_from_setting
from secu4all.assessments.models import (
    Assessment,
    MatrixSetting,
    MeasureSetting,
    ScenarioSetting,
    Site,
    SiteZone,
)
from secu4all.assessments.selectors import organisation_region
from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.common.tlp import Tlp
from secu4all.engines import risk
from secu4all.incidents.selectors import crime_near
from secu4all.neighbourhoods.services import area_locator, points_by_area
from secu4all.organisations.models import Organisation

NEARBY_RADIUS_M = 300.0
NEARBY_MONTHS = 12


def _neighbourhood_of(site: Site) -> str:
    return area_locator(organisation=site.organisation).code_at(site.lon, site.lat)


def sites_place_in_areas(*, organisation: Organisation) -> None:
    """Place every located site in its neighbourhood again, after boundaries changed."""
    located = Site.objects.with_scope(organisation=organisation).filter(
        lon__isnull=False, lat__isnull=False
    )
    points = located.values_list("pk", "lon", "lat")
    for code, pks in points_by_area(organisation=organisation, points=points).items():
        located.filter(pk__in=pks).update(neighbourhood_code=code)


def on_boundaries_changed(sender: object, *, organisation: Organisation, **kwargs: object) -> None:
    """Receiver of ``neighbourhoods.signals.boundaries_changed``."""
    sites_place_in_areas(organisation=organisation)


def _check_area(site: Site) -> None:
    """Refuse an outline that cannot be the site, whatever the way in (form, API, import)."""
    if not site.area:
        return
    problem = geometry.area_problem(
        site.area,
        kind=site.kind,
        kind_label=site.get_kind_display(),
        region=organisation_region(site.organisation),
    )
    if problem:
        raise ValidationError({"area": problem})


@transaction.atomic
def site_update(*, site: Site, actor: AbstractBaseUser, **fields) -> Site:
    changed = {k: v for k, v in fields.items() if getattr(site, k) != v}
    for name, value in changed.items():
        setattr(site, name, value)
    site.full_clean()
    _check_area(site)
    site.neighbourhood_code = _neighbourhood_of(site)
    site.save()
    audit_record(
        actor=actor,
        organisation=site.organisation,
        action=AuditAction.CHANGE,
        target=site,
        detail={"fields": sorted(changed)},
    )
    return site


@transaction.atomic
def site_create(*, organisation: Organisation, actor: AbstractBaseUser | None, **fields) -> Site:
    """A new site; its country starts as the organisation's unless given."""
    if not fields.get("country") and organisation.country:
        fields["country"] = organisation.country
    site = Site(organisation=organisation, **fields)
    site.full_clean()
    _check_area(site)
    site.neighbourhood_code = _neighbourhood_of(site)
    site.save()
    audit_record(actor=actor, organisation=organisation, action=AuditAction.CREATE, target=site)
    return site


def site_block(site: Site) -> dict:
    return {
        "name": site.name,
        "kind": site.kind,
        "country": site.country,
        "capacity": site.capacity,
        "premises_type": site.premises_type,
        "event": site.is_event,
        "entry_checks": site.entry_checks,
    }


def incidents_near(site: Site) -> dict | None:
    """Recorded incidents within 300 m of the site over the last 12 months, and how many a
    circle of that size would hold at the organisation's average density."""
    if site.lon is None or site.lat is None:
        return None
    return crime_near(
        organisation=site.organisation,
        lon=site.lon,
        lat=site.lat,
        radius_m=NEARBY_RADIUS_M,
        months=NEARBY_MONTHS,
    )


def default_data(site: Site, previous: Assessment | None = None) -> dict:
    """The input of a new version: the previous version's, or defaults for the kind of site."""
    if previous is not None:
        data = copy.deepcopy(previous.data)
    else:
        data = {
            "matrix": "iso_31000_5x5",
            "threat_context": {"national_level": 3},
            "scenarios": starting_scenarios(site.organisation, site.kind),
            "answers": {},
            # A first assessment weighs the measures that fit this kind of site; the
            # adviser may add any other from the full list.
            "measures": [
                entry.engine_input()
                for entry in organisation_catalogue(site.organisation)
                if entry.offered and risk.relevant_to(entry.measure.id, site.kind)
            ],
            "budget": 50000,
            "cost_basis": "annualised",
        }
    data["site"] = site_block(site)
    context = {**data.get("threat_context", {})}
    for key in ("incidents_nearby", "expected_incidents", "radius_m", "period_months"):
        context.pop(key, None)
    nearby = incidents_near(site)
    if nearby:
        context.update(nearby)
    data["threat_context"] = context
    return data


@transaction.atomic
def assessment_create(
    *, site: Site, actor: AbstractBaseUser | None, data: dict, tlp: str = Tlp.AMBER
) -> Assessment:
    """Compute and store a new version; the engine's message names any bad field."""
    data = {**data, "site": site_block(site)}
    result = assessment_preview(site=site, data=data)
    # Two advisers saving the same site at once would both read the same last version and
    # the second insert would break the unique version: the site's row is locked first, so
    # the second save waits and takes the next number. (SQLite's IMMEDIATE transactions
    # already serialise writers; there select_for_update is a no-op.)
    Site.objects.with_scope(organisation=site.organisation).select_for_update().filter(
        pk=site.pk
    ).first()
    versions = Assessment.objects.with_scope(organisation=site.organisation).filter(site=site)
    last = versions.aggregate(v=Max("version"))["v"] or 0
    assessment = Assessment.objects.with_scope(organisation=site.organisation).create(
        organisation=site.organisation,
        site=site,
        version=last + 1,
        data=data,
        result=result,
        total_risk=float(result["total_risk"]),
        incomplete=bool(result["incomplete"]),
        tlp=tlp,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        organisation=site.organisation,
        action=AuditAction.CREATE,
        target=assessment,
        detail={"total_risk": assessment.total_risk},
    )
    return assessment


def assessment_preview(*, site: Site, data: dict) -> dict:
    """What a version with this input would give, computed and stored nowhere: the what-if
    an adviser tries before saving. ValidationError names any field the engine refuses."""
    try:
        result = risk.assess({**data, "site": site_block(site)}).to_dict()
    except ValueError as error:
        raise ValidationError(str(error)) from None
    return _json_safe(result)


def _json_safe(value: object) -> object:
    """Tuples to lists and numpy scalars to floats, so the result stores as JSON."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


@transaction.atomic
def matrix_setting_save(
    *, organisation: Organisation, actor: AbstractBaseUser, values: dict
) -> MatrixSetting:
    """Store the organisation's matrix after the engine has accepted it."""
    setting = MatrixSetting.objects.with_scope(organisation=organisation).first() or MatrixSetting(
        organisation=organisation
    )
    for name, value in values.items():
        setattr(setting, name, value)
    try:
        matrix_from_setting(setting)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    setting.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CHANGE,
        target=setting,
        object_repr="risk matrix",
        detail=values,
    )
    return setting


@transaction.atomic
def zone_add(
    *, site: Site, actor: AbstractBaseUser, name: str, kind: str, note: str = ""
) -> SiteZone:
    zone = SiteZone(organisation=site.organisation, site=site, name=name, kind=kind, note=note)
    zone.full_clean()
    zone.save()
    audit_record(
        actor=actor,
        organisation=site.organisation,
        action=AuditAction.CHANGE,
        target=site,
        detail={"zone": name, "kind": kind},
    )
    return zone


@transaction.atomic
def scenario_settings_save(
    *, organisation: Organisation, actor: AbstractBaseUser, rows: dict[str, dict]
) -> int:
    """Store the organisation's settings per library scenario; returns how many changed."""
    existing = {
        s.scenario_id: s
        for s in ScenarioSetting.objects.with_scope(organisation=organisation).all()
    }
    changed = {}
    for scenario_id, values in rows.items():
        if scenario_id not in risk.SCENARIO_IDS:
            raise ValidationError(f"{scenario_id}: unknown scenario id")
        setting = existing.get(scenario_id) or ScenarioSetting(
            organisation=organisation, scenario_id=scenario_id
        )
        before = {k: getattr(setting, k) for k in values}
        if before == values and setting.pk:
            continue
        if setting.pk is None and values == _SCENARIO_DEFAULTS:
            continue
        for name, value in values.items():
            setattr(setting, name, value)
        setting.full_clean()
        setting.save()
        changed[scenario_id] = values
    if changed:
        audit_record(
            actor=actor,
            organisation=organisation,
            action=AuditAction.CHANGE,
            object_type="assessments.scenariosetting",
            object_repr="scenario library",
            detail=changed,
        )
    return len(changed)


_SCENARIO_DEFAULTS = {"inclusion": "by-kind", "asset_value": None, "threat": None, "note": ""}


def _own_measure_id(organisation: Organisation, name: str) -> str:
    base = "own-" + (slugify(name)[:50] or "measure")
    taken = set(
        MeasureSetting.objects.with_scope(organisation=organisation).values_list(
            "measure_id", flat=True
        )
    )
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@transaction.atomic
def measure_setting_save(
    *,
    organisation: Organisation,
    actor: AbstractBaseUser,
    measure_id: str | None,
    values: dict,
) -> MeasureSetting:
    """Store the organisation's figures for a library measure, or its own measure when
    ``measure_id`` is None; the engine must accept the measure, and its message names the
    field it refuses."""
    if measure_id is None:
        measure_id = _own_measure_id(organisation, values.get("name", ""))
    manager = MeasureSetting.objects.with_scope(organisation=organisation)
    setting = manager.filter(measure_id=measure_id).first() or MeasureSetting(
        organisation=organisation, measure_id=measure_id
    )
    before = None if setting.pk is None else _measure_values(setting)
    for name, value in values.items():
        setattr(setting, name, value)
    try:
        measure_from_setting(setting)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    setting.full_clean()
    setting.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CHANGE if before else AuditAction.CREATE,
        target=setting,
        detail={"before": before, "after": _measure_values(setting)},
    )
    return setting


@transaction.atomic
def measure_setting_reset(
    *, organisation: Organisation, actor: AbstractBaseUser, setting: MeasureSetting
) -> None:
    """Back to the library's figures (a library measure) or gone (an own measure)."""
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.DELETE,
        target=setting,
        detail={"before": _measure_values(setting)},
    )
    setting.delete()


def _measure_values(setting: MeasureSetting) -> dict:
    return {
        name: getattr(setting, name)
        for name in (
            "name",
            "category",
            "investment_eur",
            "yearly_cost_eur",
            "lifetime_years",
            "effects",
            "perceived_safety",
            "accessibility",
            "offered",
        )
    }
