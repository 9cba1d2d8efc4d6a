"""Pages of the crime overview: map and patterns, near repeats, accuracy, and imports."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Min, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from secu4all.audit.services import audit_read
from secu4all.common.evidence import ALPHA
from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.common.files import ImportFileError
from secu4all.common.map_titles import period_text
from secu4all.common.safe_yaml import MAX_BYTES as MAPPING_MAX_BYTES
from secu4all.common.tasks import enqueue_or_explain
from secu4all.common.tlp import TLP_COLOURS, Tlp
from secu4all.incidents import charts, maps, print_map
from secu4all.incidents.analyses import being_computed, hotspot_result, near_repeat_result
from secu4all.incidents.forms import METHOD_CHOICES, ImportForm, IncidentFilterForm
from secu4all.incidents.models import AreaCount, ImportRun, ImportStatus, Incident
from secu4all.incidents.selectors import (
    NearRepeatTable,
    Selection,
    Totals,
    area_rows,
    hot_cell_count,
    hotspot_accuracy,
    hour_weekday,
    import_run_list,
    incident_span,
    kde_hot_threshold,
    monthly,
    near_repeat_table,
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
from secu4all.incidents.taxonomy import Category
from secu4all.neighbourhoods.selectors import area_boundaries, area_names, map_frame
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


def hot_rule(layer) -> str:
    """What "hot" means for this layer's method, said beside the count of hot cells."""
    if layer.method == "kde":
        return _(
            "Hot: the densest 5%% of the cells within reach of an incident (a density of at "
            "least %(share)s%% of the highest cell). Kernel density has no significance test: "
            "this is a ranking, not a finding that these cells differ from chance."
        ) % {"share": number_format(100 * kde_hot_threshold(layer.values), 0)}
    if layer.method == "local-moran":
        return _(
            "Hot: a high-among-high cluster, p below 0.05 over 99 permutations. Low-among-low "
            "clusters and outliers are drawn but not counted as hot; the empty frame around "
            "the incidents is left out of the test."
        )
    return _(
        "Hot: a Gi* hot spot at %(levels)s confidence (the shade says which); cold spots are "
        "drawn but not counted as hot."
    ) % {"levels": "90 %, 95 %, 99 %"}


def _selected(request: HttpRequest) -> tuple[IncidentFilterForm, Selection]:
    """The filtered incidents as the counts can serve them (see incidents.counts)."""
    form = IncidentFilterForm(request.GET or None)
    return form, Selection(request.organisation, form.filters())


def _filtered(request: HttpRequest) -> tuple[IncidentFilterForm, QuerySet[Incident]]:
    """The filtered incidents as rows, for the pages that read points."""
    form, selection = _selected(request)
    return form, selection.rows


def _layer_or_error(request: HttpRequest, form: IncidentFilterForm):
    """The hotspot layer of the filters, why there is none, and how it was computed (a
    permutation test is computed in the background: meanwhile the layer may be the previous
    one, or None)."""
    computed = hotspot_result(
        organisation=request.organisation,
        filters=form.filters(),
        method=form.hotspot_method(),
        cell=form.cell_size(),
    )
    return computed.value, computed.error, computed


# The words of each hotspot class, in legend order; their colours are incidents.maps' own, so
# the web map, its legend and the printed map all draw a class alike.
GISTAR_LABELS = (
    (3, gettext_lazy("Hot spot, 99%% confidence")),
    (2, gettext_lazy("Hot spot, 95%% confidence")),
    (1, gettext_lazy("Hot spot, 90%% confidence")),
    (-1, gettext_lazy("Cold spot, 90%% confidence")),
    (-2, gettext_lazy("Cold spot, 95%% confidence")),
    (-3, gettext_lazy("Cold spot, 99%% confidence")),
)
MORAN_LABELS = (
    (1, gettext_lazy("High among high (cluster)")),
    (4, gettext_lazy("High among low (outlier)")),
    (2, gettext_lazy("Low among high (outlier)")),
    (3, gettext_lazy("Low among low (cluster)")),
)


def _classes(method: str) -> list[tuple[int, tuple[int, int, int], str]]:
    """Each class of a Gi* or local Moran layer: its value, colour and words."""
    palette, labels = (
        (maps.GI_COLOURS, GISTAR_LABELS)
        if method == "gistar"
        else (maps.LISA_COLOURS, MORAN_LABELS)
    )
    # "% {}" turns the catalogue's "99%% confidence" (as templates write it) into "99%".
    return [(key, palette[key], str(label) % {}) for key, label in labels]


def _legend(method: str) -> list[dict]:
    return [
        {"key": key, "colour": "#{:02x}{:02x}{:02x}".format(*rgb), "label": label, "shape": "fill"}
        for key, rgb, label in _classes(method)
    ]


def _kde_colour(value: float) -> str:
    return f"#ff{round(255 * (1 - value)):02x}{round(255 * max(0.0, 1 - 2 * value)):02x}"


def _hotspot_map(request: HttpRequest, form: IncidentFilterForm, layer, incidents) -> dict:
    """The crime map's frame (legend with units and classes, region, base map) and title."""
    cell = formats.number_format(layer.grid.cell_size, 0)
    ramp: list[dict] = []
    if layer.method == "gistar":
        legend = _legend("gistar")
        legend_title = _("Getis-Ord Gi* z-score classes on cells of %(cell)s m") % {"cell": cell}
    elif layer.method == "local-moran":
        legend = _legend("local-moran")
        legend_title = _("Local Moran's I classes on cells of %(cell)s m") % {"cell": cell}
    else:
        # The surface is relative to its densest cell; the legend gives that cell's own
        # count per km² so the classes have a unit.
        side_km = layer.grid.cell_size / 1000
        densest = float(layer.counts.max()) / side_km**2 if layer.counts.size else 0.0
        legend, ramp = [], []
        for low in (0.0, 0.2, 0.4, 0.6, 0.8):
            colour = _kde_colour(low + 0.1)
            ramp.append({"at": low, "colour": colour})
            legend.append(
                {
                    "key": f"kde-{low}",
                    "colour": colour,
                    "shape": "fill",
                    "label": _("%(low)s–%(high)s %% of the highest density")
                    % {
                        "low": formats.number_format(low * 100, 0),
                        "high": formats.number_format((low + 0.2) * 100, 0),
                    },
                }
            )
        legend_title = _(
            "kernel density on cells of %(cell)s m; the densest cell holds "
            "%(density)s incidents per km²"
        ) % {"cell": cell, "density": formats.number_format(densest, 0, use_l10n=True)}
    backdrop = maps.counts_png_data_uri(layer)
    legend.append(
        {
            "key": "backdrop",
            "colour": "#8a8f96",
            "shape": "fill",
            "label": _("Grey: where incidents are"),
        }
    )
    frame = map_frame(
        organisation=request.organisation,
        legend=legend,
        legend_title=legend_title,
        options={
            "method": layer.method,
            "bounds": maps.bounds_lonlat(layer),
            "backdrop": backdrop,
        },
    )
    frame["ramp"] = ramp
    frame["count_label"] = _("incidents in the cell: ")
    filters = form.filters()
    first, last = filters.date_from, filters.date_to
    if not (first and last):
        span = incident_span(incidents)
        first, last = first or span[0], last or span[1]
    parts = [dict(METHOD_CHOICES).get(layer.method, ""), period_text(first, last)]
    categories = dict(form.fields["category"].choices)
    parts.append(
        str(categories.get(filters.category, filters.category))
        if filters.category
        else _("all categories")
    )
    if filters.area:
        names = area_names(organisation=request.organisation)
        parts.append(names.get(filters.area, filters.area))
    return {"frame": frame, "title": " · ".join(str(p) for p in parts if p)}


@require_GET
@permission_required(Permission.VIEW_CRIME)
def overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    form, incidents = _selected(request)
    layer, layer_error, layer_computed = _layer_or_error(request, form)
    profile = time_profile(incidents)
    series, table = profile.monthly, profile.hour_weekday
    located = layer.n_points if layer else incidents.rows.filter(x__isnull=False).count()
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
        "layer_computed": layer_computed,
        "geojson": geojson,
        "method_label": dict(METHOD_CHOICES).get(layer.method, "") if layer else "",
        "hot_cells": hot_cell_count(layer) if layer else 0,
        "hot_rule": hot_rule(layer) if layer else "",
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
        "hotspot_map": _hotspot_map(request, form, layer, incidents) if layer else None,
    }
    return render(request, "incidents/overview.html", context)


@require_GET
@permission_required(Permission.VIEW_CRIME)
def hotspots_export(request: HttpRequest, org_slug: str, fmt: str) -> HttpResponse:
    form, incidents = _filtered(request)
    layer, layer_error, computed = _layer_or_error(request, form)
    if not computed.current:
        response = JsonResponse({"error": being_computed()}, status=503)
        response["Retry-After"] = "30"
        return response
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
    elif fmt == "pdf":
        texts = _print_texts(request, form, layer, incidents)
        pdf = print_map.to_pdf(layer, texts, language=get_language() or "en")
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        texts = _print_texts(request, form, layer, incidents)
        response = HttpResponse(print_map.to_print_png(layer, texts), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _print_legend(layer) -> list[tuple[tuple[int, int, int], str]]:
    if layer.method in ("gistar", "local-moran"):
        return [(rgb, label) for _key, rgb, label in _classes(layer.method)]
    threshold = kde_hot_threshold(layer.values)
    return [
        (print_map.kde_colour(1.0), _("Highest density (100%%)") % {}),
        (
            print_map.kde_colour(threshold),
            _("Hot from %(share)s%% of the highest density")
            % {"share": number_format(100 * threshold, 0)},
        ),
    ]


def _print_texts(request: HttpRequest, form: IncidentFilterForm, layer, incidents):
    """Every word of a printed hotspot map in the reader's language: title with method,
    category, period and filters; legend with classes and units; source and TLP label."""
    filters = form.filters()
    span = incidents.aggregate(first=Min("occurred_on"), last=Max("occurred_on"))
    first = filters.date_from or span["first"]
    last = filters.date_to or span["last"]
    category = dict(Category.choices).get(filters.category, _("All categories"))
    title = _("%(method)s · %(category)s · %(organisation)s") % {
        "method": dict(METHOD_CHOICES).get(layer.method, layer.method),
        "category": category,
        "organisation": request.organisation.name,
    }
    subtitle = _(
        "%(first)s to %(last)s · area: %(area)s · cells of %(cell)s m · %(n)s located incidents"
    ) % {
        "first": date_format(first, "j F Y") if first else "?",
        "last": date_format(last, "j F Y") if last else "?",
        "area": filters.area or _("all areas"),
        "cell": number_format(layer.grid.cell_size, 0),
        "n": number_format(layer.n_points, 0, force_grouping=True),
    }
    imports = sorted(
        {name for name in incidents.values_list("import_run__file_name", flat=True) if name}
    )
    source = _(
        "Source: recorded incidents imported from %(imports)s, %(organisation)s. Exported on "
        "%(today)s. No base map: the grey lines are the neighbourhood boundaries."
    ) % {
        "imports": ", ".join(imports) or _("no named file"),
        "organisation": request.organisation.name,
        "today": date_format(timezone.localdate(), "j F Y"),
    }
    tlp = request.GET.get("tlp", Tlp.AMBER)
    tlp = tlp if tlp in Tlp.values else Tlp.AMBER
    names = area_names(organisation=request.organisation)
    boundaries = {
        names.get(code) or code: geometry
        for code, geometry in area_boundaries(organisation=request.organisation).items()
    }
    return print_map.PrintTexts(
        title=title,
        subtitle=subtitle,
        legend_title=_("Legend"),
        legend=_print_legend(layer),
        legend_note=hot_rule(layer)
        + " "
        + _("Each square is a cell of %(cell)s m by %(cell)s m; incidents per cell.")
        % {"cell": number_format(layer.grid.cell_size, 0)},
        scale_unit=_("Scale in metres, grid north up"),
        north=_("N"),
        source=source,
        tlp=str(tlp),
        tlp_colour=TLP_COLOURS[Tlp(tlp)],
        boundary_label=_("Neighbourhood boundary"),
        boundaries=boundaries,
    )


@require_GET
@permission_required(Permission.VIEW_CRIME)
def table_export(request: HttpRequest, org_slug: str, table: str) -> HttpResponse:
    form, selection = _selected(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{table}-{request.organisation.slug}.csv"'
    )
    writer = SpreadsheetSafeWriter(response)
    # What could not be computed is said after the table, one "note" row per reason.
    notes: list[str] = []
    if table == "hour-weekday":
        counts = hour_weekday(selection)
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
        series = monthly(selection)
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
        rows = area_rows(organisation=request.organisation, incidents=selection)
        if not rows:
            notes.append(_("No area codes in these incidents."))
        elif all(row.rate is None for row in rows):
            notes.append(_("No population figures for these areas yet."))
        for row in rows:
            rate = f"{row.rate:.2f}" if row.rate is not None else ""
            writer.writerow([row.code, row.name, row.count, row.population or "", rate])
    elif table == "near-repeats":
        writer.writerow(
            ["distance_m", "days", "observed", "expected", "knox_ratio", "p", "p_adjusted_bh"]
        )
        knox = near_repeat_result(organisation=request.organisation, filters=form.filters())
        near = near_repeat_table(knox.value) if knox.current and knox.value else None
        if not knox.current:
            notes.append(being_computed())
        elif knox.error:
            notes.append(knox.error)
        elif near is None:
            notes.append(too_few_for_near_repeats())
        if near is not None:
            result = near.result
            for i, space in enumerate(result.spatial_labels):
                for j, time in enumerate(result.temporal_labels):
                    cell = near.rows[i][j]
                    writer.writerow(
                        [
                            space,
                            time,
                            cell.observed,
                            f"{cell.expected:.2f}",
                            _finite(result.ratio[i, j], "{:.3f}"),
                            f"{cell.p:.3f}",
                            f"{cell.evidence.p:.3f}" if cell.tested else "",
                        ]
                    )
            notes.append(
                _(
                    "p_adjusted_bh: Benjamini–Hochberg across the near-repeat cells; the "
                    "same-location row and the last row and column are not tested."
                )
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


def _reading(table: NearRepeatTable) -> list[str]:
    """Plain-language readings of the Knox table: one per near-repeat cell whose ratio is
    significantly above 1 after the correction, with its p-value."""
    lines = []
    for row, space in zip(table.rows, table.spatial_labels, strict=True):
        for cell, time in zip(row, table.temporal_labels, strict=True):
            if not (cell.tested and cell.evidence.above):
                continue
            lines.append(
                _(
                    "At %(space)s and %(time)s from an incident, %(pct)s%% more pairs of "
                    "incidents occur than chance would give (Knox ratio %(ratio)s, adjusted "
                    "p = %(p)s): a near-repeat pattern."
                )
                % {
                    "space": space.lower() if space[:1].isupper() else space,
                    "time": time,
                    "pct": number_format(round(100 * (cell.evidence.value - 1))),
                    "ratio": number_format(cell.evidence.value, 2),
                    "p": number_format(cell.evidence.p, 3),
                }
            )
    if lines:
        lines.append(_("Warn neighbours and patrol there in the days after an incident."))
    else:
        lines.append(
            _("No near-repeat pattern stands out from chance (adjusted p below 0.05 in no cell).")
        )
    return lines


@require_GET
@permission_required(Permission.VIEW_CRIME)
def near_repeat_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    form, _incidents = _filtered(request)
    knox = near_repeat_result(organisation=request.organisation, filters=form.filters())
    table = near_repeat_table(knox.value) if knox.value is not None else None
    error = knox.error or (too_few_for_near_repeats() if knox.ready and table is None else "")
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
            "computed": knox,
            "table": table,
            "rows": list(zip(table.spatial_labels, table.rows, strict=True)) if table else [],
            "reading": _reading(table) if table is not None else [],
            "alpha": ALPHA,
            "error": error,
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
        mapping = run = None
        try:
            if form.cleaned_data.get("mapping"):
                # One byte over the limit is enough for parse_mapping to refuse the file.
                upload_text = form.cleaned_data["mapping"].read(MAPPING_MAX_BYTES + 1)
                text = upload_text.decode("utf-8", errors="replace")
                mapping = parse_mapping(text, name=form.cleaned_data["mapping"].name)
        except ImportFileError as error:
            form.add_error("mapping", str(error))
        else:
            try:
                run = import_run_create(
                    organisation=request.organisation,
                    actor=request.user,
                    file_name=upload.name,
                    data=upload.read(),
                    format=form.cleaned_data["format"],
                    mapping=mapping,
                )
            except ValidationError as error:
                # The file could not be stored (a full disk): said on the form, nothing kept.
                form.add_error("file", error)
        if run is not None:
            queued = enqueue_or_explain(run_import, run.pk)
            if queued.note:
                messages.warning(request, queued.note)
            else:
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
