"""Pages of the crime overview: map and patterns, near repeats, accuracy, and imports."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from secu4all.audit.services import audit_read
from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.common.files import ImportFileError
from secu4all.common.numbers import format_number
from secu4all.common.safe_yaml import MAX_BYTES as MAPPING_MAX_BYTES
from secu4all.incidents import charts, maps
from secu4all.incidents.forms import METHOD_CHOICES, ImportForm, IncidentFilterForm
from secu4all.incidents.models import AreaCount, ImportRun, ImportStatus, Incident
from secu4all.incidents.selectors import (
    Totals,
    area_rows,
    hotspot_accuracy,
    hotspot_layer,
    hour_weekday,
    import_run_list,
    incident_list,
    monthly,
    near_repeats,
    time_profile,
    top_areas,
)
from secu4all.incidents.services import (
    ImportRunInProgressError,
    import_run_create,
    import_run_delete,
    parse_mapping,
)
from secu4all.incidents.tasks import run_import
from secu4all.organisations.access import permission_required
from secu4all.organisations.permissions import Permission


def too_few_for_near_repeats() -> str:
    """Why the near-repeat table is missing, in the language of the request."""
    return _(
        "Too few located incidents with a known day match these filters (at least 10 are needed)."
    )


# Lazy: translated for each reader, not once in the language the process started in.
WEEKDAYS = (
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
)


def _filtered(request: HttpRequest):
    form = IncidentFilterForm(request.GET or None)
    return form, incident_list(organisation=request.organisation, filters=form.filters())


def _layer_or_error(request: HttpRequest, form: IncidentFilterForm, incidents):
    try:
        layer = hotspot_layer(
            organisation=request.organisation,
            incidents=incidents,
            method=form.hotspot_method(),
            cell=form.cell_size(),
        )
    except ValueError as error:
        return None, str(error)
    return layer, ""


@require_GET
@permission_required(Permission.VIEW_CRIME)
def overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    form, incidents = _filtered(request)
    layer, layer_error = _layer_or_error(request, form, incidents)
    profile = time_profile(incidents)
    series, table = profile.monthly, profile.hour_weekday
    located = layer.n_points if layer else incidents.filter(x__isnull=False).count()
    areas = area_rows(organisation=request.organisation, incidents=incidents)
    geojson = maps.to_geojson(layer) if layer else None
    audit_read(
        request,
        object_type="incidents.overview",
        object_repr=_("Crime overview"),
        detail={"query": request.GET.urlencode()},
    )
    context = {
        "organisation": request.organisation,
        "form": form,
        "totals": Totals(profile.total, located, profile.total - located),
        "layer": layer,
        "layer_error": layer_error,
        "geojson": geojson,
        "bounds": json.dumps(maps.bounds_lonlat(layer)) if layer else "",
        "backdrop": maps.counts_png_data_uri(layer) if layer else "",
        "method_label": dict(METHOD_CHOICES).get(layer.method, "") if layer else "",
        "hot_cells": int((layer.classes > 0).sum()) if layer else 0,
        "monthly": series,
        "chart": charts.monthly_line(series.months, series.counts)
        if series and series.counts.size
        else None,
        "heat": charts.heat_classes(table) if table is not None else None,
        "weekdays": WEEKDAYS,
        "hours": range(24),
        "areas_by_count": top_areas(areas),
        "areas_by_rate": top_areas(areas, by="rate"),
        "query": request.GET.urlencode(),
        "tile_url": settings.TILE_URL,
    }
    return render(request, "incidents/overview.html", context)


@require_GET
@permission_required(Permission.VIEW_CRIME)
def hotspots_export(request: HttpRequest, org_slug: str, fmt: str) -> HttpResponse:
    form, incidents = _filtered(request)
    layer, layer_error = _layer_or_error(request, form, incidents)
    if layer is None:
        return JsonResponse({"error": layer_error or _("No located incidents match.")}, status=400)
    audit_read(
        request,
        export=True,
        object_type="incidents.hotspots",
        object_repr=f"{layer.method} {fmt}",
        detail={"query": request.GET.urlencode()},
    )
    name = f"hotspots-{request.organisation.slug}-{layer.method}"
    if fmt == "geojson":
        response = JsonResponse(maps.to_geojson(layer), content_type="application/geo+json")
    else:
        response = HttpResponse(maps.to_png(layer, scale=4), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
@permission_required(Permission.VIEW_CRIME)
def table_export(request: HttpRequest, org_slug: str, table: str) -> HttpResponse:
    _form, incidents = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{table}-{request.organisation.slug}.csv"'
    )
    writer = SpreadsheetSafeWriter(response)
    # What could not be computed is said after the table, one "note" row per reason.
    notes: list[str] = []
    if table == "hour-weekday":
        counts = hour_weekday(incidents)
        writer.writerow(["weekday", *range(24)])
        if counts is None:
            notes.append(_("No incident with a known time of day matches."))
        for day, row in zip(
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            counts if counts is not None else [],
            strict=False,
        ):
            writer.writerow([day, *row.tolist()])
    elif table == "monthly":
        series = monthly(incidents)
        writer.writerow(["month", "incidents"])
        if series is None:
            notes.append(_("No incidents match these filters."))
        else:
            for month, count in zip(series.months, series.counts, strict=True):
                writer.writerow([str(month), int(count)])
            notes += [note for note in (series.note, series.left_out_note) if note]
            if series.trend is not None:
                writer.writerow([])
                writer.writerow(["mann_kendall_tau", f"{float(series.trend.tau):.4f}"])
                writer.writerow(["mann_kendall_p", f"{float(series.trend.p):.4f}"])
                writer.writerow(["theil_sen_slope_per_month", f"{float(series.trend.slope):.4f}"])
    elif table == "areas":
        writer.writerow(["area_code", "area_name", "incidents", "inhabitants", "per_1000"])
        rows = area_rows(organisation=request.organisation, incidents=incidents)
        if not rows:
            notes.append(_("No area codes in these incidents."))
        elif all(row.rate is None for row in rows):
            notes.append(_("No population figures for these areas yet."))
        for row in rows:
            rate = f"{row.rate:.2f}" if row.rate is not None else ""
            writer.writerow([row.code, row.name, row.count, row.population or "", rate])
    elif table == "near-repeats":
        writer.writerow(["distance_m", "days", "observed", "expected", "knox_ratio", "p"])
        try:
            result = near_repeats(incidents)
        except ValueError as error:
            result = None
            notes.append(str(error))
        else:
            if result is None:
                notes.append(too_few_for_near_repeats())
        if result is not None:
            for i, space in enumerate(result.spatial_labels):
                for j, time in enumerate(result.temporal_labels):
                    writer.writerow(
                        [
                            space,
                            time,
                            int(result.observed[i, j]),
                            f"{result.expected[i, j]:.2f}",
                            _finite(result.ratio[i, j], "{:.3f}"),
                            f"{result.p[i, j]:.3f}",
                        ]
                    )
    else:
        raise Http404(_("There is no table called %(table)s.") % {"table": table})
    if notes:
        writer.writerow([])
        for note in notes:
            writer.writerow(["note", note])
    audit_read(
        request,
        export=True,
        object_type="incidents.table",
        object_repr=table,
        detail={"query": request.GET.urlencode()},
    )
    return response


def _finite(value: float, style: str) -> str:
    """A figure for a CSV cell, empty where it is undefined (a ratio to nothing expected)."""
    return style.format(value) if np.isfinite(value) else ""


def _reading(result) -> list[str]:
    """A plain-language reading of the Knox table, row by row for the first time band."""
    lines = []
    for row, label in enumerate(result.spatial_labels[:-1]):
        ratio, p = result.ratio[row, 0], result.p[row, 0]
        if p <= 0.05 and ratio > 1:
            lines.append(
                _(
                    "Within %(space)s m and %(time)s days of an incident, %(pct)d%% more incidents "
                    "happen than chance would give (Knox ratio %(ratio)s, p = %(p)s): a "
                    "near-repeat pattern. Warn neighbours and patrol there in the days after."
                )
                % {
                    "space": label,
                    "time": result.temporal_labels[0],
                    "pct": round(100 * (ratio - 1)),
                    "ratio": format_number(ratio, 2),
                    "p": format_number(p, 3),
                }
            )
    if not lines:
        lines.append(_("No near-repeat pattern stands out from chance (p ≤ 0.05)."))
    return lines


@require_GET
@permission_required(Permission.VIEW_CRIME)
def near_repeat_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    form, incidents = _filtered(request)
    try:
        result, error = near_repeats(incidents), ""
    except ValueError as problem:
        result, error = None, str(problem)
    rows = []
    if result is not None:
        for i, label in enumerate(result.spatial_labels):
            rows.append(
                (
                    label,
                    [
                        (
                            int(result.observed[i, j]),
                            float(result.ratio[i, j]) if np.isfinite(result.ratio[i, j]) else None,
                            float(result.p[i, j]),
                        )
                        for j in range(len(result.temporal_labels))
                    ],
                )
            )
    audit_read(
        request,
        object_type="incidents.near_repeats",
        object_repr=_("Near repeats"),
        detail={"query": request.GET.urlencode()},
    )
    return render(
        request,
        "incidents/near_repeats.html",
        {
            "organisation": request.organisation,
            "form": form,
            "result": result,
            "rows": rows,
            "reading": _reading(result) if result is not None else [],
            "error": error or (too_few_for_near_repeats() if result is None else ""),
        },
    )


@require_GET
@permission_required(Permission.VIEW_CRIME)
def accuracy_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    form, incidents = _filtered(request)
    split_text = request.GET.get("split", "")
    accuracy, error = None, ""
    if split_text:
        try:
            split = date.fromisoformat(split_text)
        except ValueError:
            error = _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": split_text}
        else:
            try:
                accuracy = hotspot_accuracy(
                    organisation=request.organisation,
                    before=incidents.filter(occurred_on__lt=split),
                    after=incidents.filter(occurred_on__gte=split),
                    cell=form.cell_size(),
                )
            except ValueError as problem:
                error = str(problem)
            else:
                if accuracy is None:
                    error = _("There are no located incidents on one side of that date.")
    return render(
        request,
        "incidents/accuracy.html",
        {
            "organisation": request.organisation,
            "form": form,
            "split": split_text,
            "accuracy": accuracy,
            "error": error,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.IMPORT_CRIME)
def imports(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = None
        try:
            if form.cleaned_data.get("mapping"):
                # One byte over the limit is enough for parse_mapping to refuse the file.
                upload_text = form.cleaned_data["mapping"].read(MAPPING_MAX_BYTES + 1)
                text = upload_text.decode("utf-8", errors="replace")
                mapping = parse_mapping(text, name=form.cleaned_data["mapping"].name)
        except ImportFileError as error:
            form.add_error("mapping", str(error))
        else:
            run = import_run_create(
                organisation=request.organisation,
                actor=request.user,
                file_name=upload.name,
                data=upload.read(),
                format=form.cleaned_data["format"],
                mapping=mapping,
            )
            run_import.enqueue(run.pk)
            messages.success(request, _("The import has started."))
            return redirect("incidents:import_detail", org_slug=org_slug, pk=run.pk)
    runs = Paginator(import_run_list(organisation=request.organisation), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "incidents/imports.html",
        {"organisation": request.organisation, "form": form, "runs": runs},
    )


@require_GET
@permission_required(Permission.IMPORT_CRIME)
def import_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": run.status,
                "rows": run.rows,
                "processed": run.processed,
                "percent": run.percent,
                "imported": run.imported,
                "rejected": run.rejected,
                "duplicates": run.duplicates,
                "no_location": run.no_location,
                "message": run.message,
                "stalled": run.is_stalled,
            }
        )
    rejections = Paginator(run.rejections.all(), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/import_detail.html",
        {
            "organisation": request.organisation,
            "run": run,
            "rejections": rejections,
            "in_progress": run.status in {ImportStatus.QUEUED, ImportStatus.RUNNING},
        },
    )


@require_GET
@permission_required(Permission.IMPORT_CRIME)
def import_rejections_export(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    run = get_object_or_404(ImportRun, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-{run.pk}.csv"'
    writer = SpreadsheetSafeWriter(response)
    writer.writerow(["row", "field", "reason", "raw"])
    for rejection in run.rejections.iterator():
        writer.writerow([rejection.row, rejection.field, rejection.reason, rejection.raw])
    return response


@require_http_methods(["GET", "POST"])
@permission_required(Permission.IMPORT_CRIME)
def import_delete(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Asks to confirm, then deletes an import run and everything it brought."""
    run = get_object_or_404(ImportRun, pk=pk)
    if request.method == "POST":
        try:
            deleted = import_run_delete(actor=request.user, run=run)
        except ImportRunInProgressError as error:
            messages.error(request, str(error))
            return redirect("incidents:import_detail", org_slug=org_slug, pk=pk)
        messages.success(
            request,
            _("The import of %(file)s is deleted, with its %(incidents)s incidents.")
            % {"file": run.file_name, "incidents": deleted["incidents"]},
        )
        return redirect("incidents:imports", org_slug=org_slug)
    return render(
        request,
        "incidents/import_delete.html",
        {
            "organisation": request.organisation,
            "run": run,
            "incidents": Incident.objects.filter(import_run=run).count(),
            "area_counts": AreaCount.objects.filter(import_run=run).count(),
            "in_progress": run.status in {ImportStatus.QUEUED, ImportStatus.RUNNING},
        },
    )
