"""Pages of risk assessment: sites, the questionnaire, results, versions and exports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secu4all.assessments import charts, report
from secu4all.assessments.explain import threat_lines
from secu4all.assessments.forms import (
    AssessmentForm,
    MatrixSettingForm,
    MeasureForm,
    ScenarioLibraryForm,
    SiteForm,
    ZoneForm,
)
from secu4all.assessments.library import organisation_catalogue, scenario_settings
from secu4all.assessments.matrix import cells_now, organisation_matrix
from secu4all.assessments.models import Assessment, MatrixSetting, MeasureSetting, Site
from secu4all.assessments.selectors import (
    PORTFOLIO_SORTS,
    area_figures,
    assessment_list,
    changes,
    drivers,
    matrix_points,
    nearby_points,
    organisation_region,
    portfolio,
    recommended_measures,
    risk_reading,
)
from secu4all.assessments.services import (
    assessment_create,
    assessment_preview,
    default_data,
    matrix_setting_save,
    measure_setting_reset,
    measure_setting_save,
    scenario_settings_save,
    site_create,
    site_update,
    zone_add,
)
from secu4all.audit.services import audit_read
from secu4all.common.errors import form_add_errors
from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.engines import risk
from secu4all.neighbourhoods.selectors import map_frame
from secu4all.organisations.access import permission_required
from secu4all.organisations.permissions import Permission

TIER_LABELS = {
    "standard": gettext_lazy("standard"),
    "enhanced": gettext_lazy("enhanced"),
    "out_of_scope": gettext_lazy("out of scope"),
}

# Assessments of soft targets tell an attacker where the gaps are: advisers and admins only.


@require_http_methods(["GET", "POST"])
@permission_required(Permission.ASSESS_SITES)
def sites(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    form = SiteForm(
        request.POST or None,
        region=organisation_region(organisation),
        initial={"country": organisation.country} if organisation.country else None,
    )
    if request.method == "POST" and form.is_valid():
        site = site_create(organisation=organisation, actor=request.user, **form.site_fields())
        messages.success(request, _("Site %(name)s added.") % {"name": site.name})
        _warn(request, form)
        return redirect("assessments:site", org_slug=org_slug, pk=site.pk)
    return render(
        request,
        "assessments/sites.html",
        {
            "organisation": request.organisation,
            "rows": portfolio(
                organisation=request.organisation,
                matrix=organisation_matrix(request.organisation),
                sort="name",
            ),
            "form": form,
        },
    )


def _site_map(request: HttpRequest, site: Site, *, drawing: bool) -> dict:
    """A site's map: its area and point, nearby incidents; on the edit page the corners."""
    legend = [
        {"key": "area", "colour": "#b2182b", "shape": "fill", "label": _("Area of the site")},
        {"key": "point", "colour": "#2166ac", "shape": "ring", "label": _("Location of the site")},
    ]
    if drawing:
        legend.append(
            {
                "key": "incidents",
                "colour": "#6b7785",
                "shape": "dot",
                "label": _("Recorded incident nearby"),
            }
        )
    frame = map_frame(
        organisation=request.organisation,
        legend=legend,
        options={"lat": site.lat, "lon": site.lon, "draw": "id_corners" if drawing else ""},
        focus=True,
    )
    title = _("%(site)s: area and surroundings") % {"site": site.name}
    return {"frame": frame, "title": title}


@require_GET
@permission_required(Permission.ASSESS_SITES)
def portfolio_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Every site's level, its trend since the previous version, open measures and tier."""
    sort = request.GET.get("sort", "level")
    if sort not in PORTFOLIO_SORTS:
        sort = "level"
    matrix = organisation_matrix(request.organisation)
    return render(
        request,
        "assessments/portfolio.html",
        {
            "organisation": request.organisation,
            "rows": portfolio(organisation=request.organisation, matrix=matrix, sort=sort),
            "sort": sort,
            "sorts": [
                ("name", _("Site")),
                ("level", _("Risk level")),
                ("trend", _("Trend since the previous version")),
                ("measures", _("Open measures")),
                ("tier", _("Martyn's Law tier")),
            ],
            "matrix_name": matrix.name,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.ASSESS_SITES)
def site_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    zone_form = ZoneForm(request.POST or None)
    if request.method == "POST" and zone_form.is_valid():
        zone_add(site=site, actor=request.user, **zone_form.cleaned_data)
        messages.success(request, _("Zone added."))
        return redirect("assessments:site", org_slug=org_slug, pk=site.pk)
    matrix = organisation_matrix(request.organisation)
    versions = [
        (a, risk_reading(a.result, matrix, a.data.get("answers")))
        for a in assessment_list(site=site)
    ]
    return render(
        request,
        "assessments/site.html",
        {
            "organisation": request.organisation,
            "site": site,
            "versions": versions,
            "reading": versions[0][1] if versions else None,
            "matrix_name": matrix.name,
            "zones": site.zones.all(),
            "zone_form": zone_form,
            "area": area_figures(site),
            "area_geojson": json.dumps(site.area) if site.area else "",
            "site_map": _site_map(request, site, drawing=False),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.ASSESS_SITES)
def assess(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    previous = assessment_list(site=site).first()
    form = AssessmentForm(
        request.POST or None,
        data_in=default_data(site, previous),
        catalogue=organisation_catalogue(request.organisation),
        kind=site.kind,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST:
                preview = _preview(request, site, form)
            else:
                assessment = assessment_create(
                    site=site,
                    actor=request.user,
                    data=form.to_input(),
                    tlp=form.cleaned_data["tlp"],
                )
                return redirect(
                    "assessments:assessment",
                    org_slug=org_slug,
                    pk=site.pk,
                    version=assessment.version,
                )
        except ValidationError as error:
            form_add_errors(form, error)
    return render(
        request,
        "assessments/assess.html",
        {
            "organisation": request.organisation,
            "site": site,
            "form": form,
            "threat_context": form.data_in.get("threat_context", {}),
            "preview": preview,
            "previous": previous,
        },
    )


def _preview(request: HttpRequest, site: Site, form: AssessmentForm) -> dict:
    """The what-if: levels and measures from the form's answers, with nothing stored."""
    data = form.to_input()
    result = assessment_preview(site=site, data=data)
    matrix = organisation_matrix(request.organisation)
    reading = risk_reading(result, matrix, data.get("answers"))
    return {
        "result": result,
        "reading": reading,
        "matrix_name": matrix.name,
        "rows": [
            (s, reading.levels[s["id"]])
            for s in sorted(result["scenarios"], key=lambda s: -s["risk"])
        ],
        "recommended": recommended_measures(result, data),
        "cost_unit": charts.cost_unit(result.get("cost_basis", "annualised")),
    }


def _assessment(site_pk: int, version: int) -> Assessment:
    site = get_object_or_404(Site, pk=site_pk)
    return get_object_or_404(Assessment, site=site, version=version)


@require_GET
@permission_required(Permission.ASSESS_SITES)
def assessment_detail(request: HttpRequest, org_slug: str, pk: int, version: int) -> HttpResponse:
    assessment = _assessment(pk, version)
    previous = assessment.site.assessments.filter(version__lt=version).order_by("-version").first()
    audit_read(
        request,
        target=assessment,
    )
    scenarios = sorted(assessment.result["scenarios"], key=lambda s: -s["risk"])
    matrix = organisation_matrix(request.organisation)
    now = cells_now(assessment.result, matrix)
    context = assessment.data.get("threat_context", {})
    return render(
        request,
        "assessments/assessment.html",
        {
            "organisation": request.organisation,
            "assessment": assessment,
            "site": assessment.site,
            "result": assessment.result,
            "rows": [
                (
                    s,
                    drivers(assessment.data.get("answers", {}), s),
                    now[s["id"]],
                    threat_lines(s, context),
                )
                for s in scenarios
            ],
            "matrix_now": matrix.name,
            "reading": risk_reading(assessment.result, matrix, assessment.data.get("answers")),
            "scale": risk.SCENARIO_SCALE,
            "recommended": recommended_measures(assessment.result, assessment.data),
            "cost_unit": charts.cost_unit(assessment.result.get("cost_basis", "annualised")),
            "chart": charts.frontier_chart(assessment.result),
            "tier_label": TIER_LABELS.get(assessment.result["martyns_law"]["tier"], ""),
            "changes": changes(previous, assessment) if previous else None,
            "previous": previous,
        },
    )


@require_GET
@permission_required(Permission.ASSESS_SITES)
def assessment_export(
    request: HttpRequest, org_slug: str, pk: int, version: int, fmt: str
) -> HttpResponse:
    assessment = _assessment(pk, version)
    audit_read(
        request,
        export=True,
        target=assessment,
        detail={"format": fmt, "tlp": assessment.tlp},
    )
    name = f"assessment-{assessment.site.pk}-v{assessment.version}"
    if fmt == "json":
        body = json.dumps(
            {"tlp": assessment.tlp, "input": assessment.data, "result": assessment.result},
            indent=2,
            ensure_ascii=False,
        )
        response = HttpResponse(body, content_type="application/json")
    elif fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = SpreadsheetSafeWriter(response)
        writer.writerow([assessment.tlp])
        writer.writerow(
            [
                "scenario",
                "asset_value",
                "threat",
                "vulnerability",
                "risk",
                "residual_risk",
                "matrix_level",
            ]
        )
        for s in assessment.result["scenarios"]:
            writer.writerow(
                [
                    s["id"],
                    s["asset_value"],
                    s["threat"],
                    s["vulnerability"],
                    s["risk"],
                    s["residual_risk"],
                    s["cell"]["label"],
                ]
            )
    else:
        pdf = report.report_pdf(
            result=assessment.result,
            data=assessment.data,
            tlp=assessment.tlp,
            title=f"{assessment.site.name} · v{assessment.version}",
        )
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required(Permission.ASSESS_SITES)
def matrix_setting(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's risk matrix; stored assessments are shown in it from their scores."""
    organisation = request.organisation
    setting = MatrixSetting.objects.first()
    initial = {"preset": setting.preset} if setting else {}
    if setting:
        for name in (
            "likelihood_labels",
            "impact_labels",
            "level_names",
            "level_colours",
            "thresholds",
        ):
            initial[name] = ", ".join(str(v) for v in getattr(setting, name))
    form = MatrixSettingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            matrix_setting_save(
                organisation=organisation, actor=request.user, values=form.cleaned_data
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Risk matrix saved; assessments are shown in it."))
            return redirect("assessments:matrix", org_slug=org_slug)
    matrix = organisation_matrix(organisation)
    points = matrix_points(portfolio(organisation=organisation, matrix=matrix, sort="name"))
    rows = matrix.shape[0]
    grid = [
        (
            label,
            [
                (level, [p for p in points if (p.cell.likelihood, p.cell.impact) == (row, column)])
                for column, level in enumerate(levels, start=1)
            ],
        )
        for row, (label, levels) in zip(range(rows, 0, -1), report.matrix_rows(matrix), strict=True)
    ]
    return render(
        request,
        "assessments/matrix.html",
        {
            "organisation": organisation,
            "form": form,
            "matrix": matrix,
            "grid": grid,
            "points": points,
        },
    )


@require_GET
@permission_required(Permission.ASSESS_SITES)
def catalogue(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's measures with their cost, lifetime, effects and side effects."""
    names = {s.id: s.name for s in risk.SCENARIOS}
    measures = [
        (
            entry,
            risk.annualised_cost(entry.measure),
            sorted(
                ((names[k], v) for k, v in entry.measure.effects.items()),
                key=lambda item: -item[1],
            ),
        )
        for entry in organisation_catalogue(request.organisation)
    ]
    return render(
        request,
        "assessments/catalogue.html",
        {"organisation": request.organisation, "measures": measures},
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.ASSESS_SITES)
def measure_edit(request: HttpRequest, org_slug: str, measure_id: str = "") -> HttpResponse:
    """A library measure with the organisation's own figures, or a measure of its own."""
    organisation = request.organisation
    entry = None
    if measure_id:
        entry = next(
            (e for e in organisation_catalogue(organisation) if e.measure.id == measure_id), None
        )
        if entry is None:
            raise Http404(_("No such measure."))
    form = MeasureForm(
        request.POST or None,
        measure=entry.measure if entry else None,
        offered=entry.offered if entry else True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure_setting_save(
                organisation=organisation,
                actor=request.user,
                measure_id=measure_id or None,
                values=form.values(),
            )
        except ValidationError as error:
            # The model's field names are not all the form's: show every message at the top.
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Measure saved; new assessments use these figures."))
            return redirect("assessments:catalogue", org_slug=org_slug)
    return render(
        request,
        "assessments/measure_edit.html",
        {"organisation": organisation, "form": form, "entry": entry},
    )


@require_POST
@permission_required(Permission.ASSESS_SITES)
def measure_reset(request: HttpRequest, org_slug: str, measure_id: str) -> HttpResponse:
    setting = get_object_or_404(MeasureSetting, measure_id=measure_id)
    measure_setting_reset(organisation=request.organisation, actor=request.user, setting=setting)
    if measure_id in {m.id for m in risk.CATALOGUE}:
        messages.success(request, _("The library's figures apply again."))
    else:
        messages.success(request, _("Measure removed from the catalogue."))
    return redirect("assessments:catalogue", org_slug=org_slug)


@require_http_methods(["GET", "POST"])
@permission_required(Permission.ASSESS_SITES)
def scenario_library(request: HttpRequest, org_slug: str) -> HttpResponse:
    """When new assessments include each threat scenario, and with which scores."""
    organisation = request.organisation
    form = ScenarioLibraryForm(request.POST or None, settings=scenario_settings(organisation))
    if request.method == "POST" and form.is_valid():
        count = scenario_settings_save(
            organisation=organisation, actor=request.user, rows=form.settings()
        )
        messages.success(
            request,
            ngettext("%(count)d scenario changed.", "%(count)d scenarios changed.", count)
            % {"count": count},
        )
        return redirect("assessments:scenarios", org_slug=org_slug)
    return render(
        request,
        "assessments/scenarios.html",
        {"organisation": organisation, "form": form},
    )


def _warn(request: HttpRequest, form: SiteForm) -> None:
    for warning in form.warnings:
        messages.warning(
            request,
            _("Saved, but the area's outline needs a look: %(warning)s.") % {"warning": warning},
        )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.ASSESS_SITES)
def site_edit(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    site = get_object_or_404(Site, pk=pk)
    form = SiteForm(
        request.POST or None, instance=site, region=organisation_region(request.organisation)
    )
    if request.method == "POST" and form.is_valid():
        site_update(site=site, actor=request.user, **form.site_fields())
        messages.success(request, _("Site saved."))
        _warn(request, form)
        return redirect("assessments:site", org_slug=org_slug, pk=site.pk)
    return render(
        request,
        "assessments/site_edit.html",
        {
            "organisation": request.organisation,
            "site": site,
            "form": form,
            "context_points": json.dumps(nearby_points(site)),
            "site_map": _site_map(request, site, drawing=True),
        },
    )
