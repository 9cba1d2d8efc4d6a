"""Writing sites and assessments; the engine computes, this layer validates, stores and logs."""

from __future__ import annotations

import copy
from datetime import timedelta
from math import pi

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min

from secu4all.assessments.defaults import scenarios_for
from secu4all.assessments.matrix import matrix_from_setting
from secu4all.assessments.models import Assessment, MatrixSetting, Site, SiteZone, Tlp
from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.engines import risk
from secu4all.organisations.models import Organisation

NEARBY_RADIUS_M = 300.0
NEARBY_MONTHS = 12


@transaction.atomic
def site_create(*, organisation: Organisation, actor: AbstractBaseUser | None, **fields) -> Site:
    site = Site(organisation=organisation, **fields)
    site.full_clean()
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
    from secu4all.engines.spatial import project_lonlat
    from secu4all.incidents.models import Incident

    organisation = site.organisation
    if site.lon is None or organisation.projection_epsg is None:
        return None
    incidents = Incident.objects.with_scope(organisation=organisation).filter(x__isnull=False)
    latest = incidents.aggregate(last=Max("occurred_on"))["last"]
    if latest is None:
        return None
    recent = incidents.filter(occurred_on__gt=latest - timedelta(days=30 * NEARBY_MONTHS))
    point = project_lonlat([site.lon], [site.lat], epsg=organisation.projection_epsg)
    x, y = float(point.x[0]), float(point.y[0])
    r = NEARBY_RADIUS_M
    box = recent.filter(x__gte=x - r, x__lte=x + r, y__gte=y - r, y__lte=y + r)
    nearby = sum(1 for a, b in box.values_list("x", "y") if (a - x) ** 2 + (b - y) ** 2 <= r * r)
    bounds = recent.aggregate(xmin=Min("x"), xmax=Max("x"), ymin=Min("y"), ymax=Max("y"))
    area = max((bounds["xmax"] - bounds["xmin"]) * (bounds["ymax"] - bounds["ymin"]), 1.0)
    expected = recent.count() * (pi * r * r) / area
    return {
        "incidents_nearby": nearby,
        "expected_incidents": round(expected, 1),
        "radius_m": int(r),
        "period_months": NEARBY_MONTHS,
    }


def default_data(site: Site, previous: Assessment | None = None) -> dict:
    """The input of a new version: the previous version's, or defaults for the kind of site."""
    if previous is not None:
        data = copy.deepcopy(previous.data)
    else:
        data = {
            "matrix": "iso_31000_5x5",
            "threat_context": {"national_level": 3},
            "scenarios": scenarios_for(site.kind),
            "answers": {},
            "measures": [{"id": m.id} for m in risk.CATALOGUE],
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
    try:
        result = risk.assess(data).to_dict()
    except ValueError as error:
        raise ValidationError(str(error)) from None
    versions = Assessment.objects.with_scope(organisation=site.organisation).filter(site=site)
    last = versions.aggregate(v=Max("version"))["v"] or 0
    assessment = Assessment.objects.with_scope(organisation=site.organisation).create(
        organisation=site.organisation,
        site=site,
        version=last + 1,
        data=data,
        result=_json_safe(result),
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
