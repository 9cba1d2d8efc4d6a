"""Pages of perceived safety: questionnaires, waves, results, fear gap, audit walks, files."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from secu4all.audit.services import audit_read
from secu4all.common.exports import SpreadsheetSafeWriter
from secu4all.common.i18n import current_language
from secu4all.common.map_titles import long_date, period_text
from secu4all.neighbourhoods.fear_gap import (
    HIGHER,
    LOWER,
    NO_DATA,
    TOO_FEW,
    UNCLEAR,
    fear_class_label,
    fear_geojson,
)
from secu4all.neighbourhoods.selectors import area_get, area_names, map_frame
from secu4all.organisations.access import permission_required
from secu4all.organisations.permissions import Permission, has_permission
from secu4all.perception import exports, forms, imports, reading, selectors, services
from secu4all.perception.analyses import cached_wave_results
from secu4all.perception.estimates import (
    wave_change,
    wave_change_by_area,
)
from secu4all.perception.models import AuditWalk, Questionnaire, SurveyWave
from secu4all.perception.selectors import fear_gap_for_wave
from secu4all.perception.snapshots import version_label

# Results are aggregate figures for analysts and advisers; running fieldwork is for advisers.
MANAGE_ONLY = gettext_lazy("Only security advisers and organisation admins can change this.")


@require_http_methods(["GET", "POST"])
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def overview(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = request.organisation
    can_manage = has_permission(request, Permission.RUN_SURVEYS)
    setting = services.setting_for(organisation)
    setting_form = forms.SettingForm(
        request.POST if request.method == "POST" else None, initial={"min_n": setting.min_n}
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(MANAGE_ONLY)
        if setting_form.is_valid():
            services.setting_save(
                organisation=organisation, actor=request.user, **setting_form.cleaned_data
            )
            messages.success(request, _("Settings saved."))
            return redirect("perception:overview", org_slug=org_slug)
    return render(
        request,
        "perception/overview.html",
        {
            "organisation": organisation,
            "waves": selectors.wave_list(organisation=organisation),
            "questionnaires": selectors.questionnaire_list(organisation=organisation),
            "can_manage": can_manage,
            "setting_form": setting_form,
            "margins": selectors.margin_list(organisation=organisation, wave=None).count(),
            "upload_form": forms.UploadForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.RUN_SURVEYS)
def questionnaire_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = forms.QuestionnaireForm(request.POST or None, language=current_language())
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_create(
                organisation=request.organisation,
                actor=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                item_codes=form.cleaned_data["items"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("perception:questionnaire", org_slug=org_slug, pk=questionnaire.pk)
    return render(
        request,
        "perception/questionnaire_new.html",
        {"organisation": request.organisation, "form": form},
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def questionnaire_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    can_manage = has_permission(request, Permission.RUN_SURVEYS)
    form = forms.OwnItemForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(MANAGE_ONLY)
        if form.is_valid():
            try:
                services.questionnaire_item_add_own(
                    questionnaire=questionnaire,
                    actor=request.user,
                    code=form.cleaned_data["code"],
                    texts=form.texts(),
                    scale=form.cleaned_data["scale"],
                    reverse=form.cleaned_data["reverse"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Item added."))
                return redirect("perception:questionnaire", org_slug=org_slug, pk=pk)
    language = current_language()
    items = [(item, item.definition) for item in questionnaire.items.all().order_by("position")]
    return render(
        request,
        "perception/questionnaire.html",
        {
            "organisation": request.organisation,
            "questionnaire": questionnaire,
            "items": [
                {
                    "code": item.code,
                    "text": d.wording(language),
                    "labels": " / ".join(label for _c, label in d.scale.choices(language))
                    if d.scale.kind != "numeric"
                    else f"{d.scale.low}–{d.scale.high}",
                    "reverse": d.reverse,
                    "source": d.source if item.from_library else _("own item"),
                    "version": d.version,
                }
                for item, d in items
            ],
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.RUN_SURVEYS)
def wave_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = forms.WaveForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        wave = services.wave_create(
            organisation=request.organisation, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("Wave %(name)s created.") % {"name": wave.name})
        return redirect("perception:wave", org_slug=org_slug, pk=wave.pk)
    return render(
        request, "perception/wave_new.html", {"organisation": request.organisation, "form": form}
    )


def _compare(request: HttpRequest, wave: SurveyWave) -> SurveyWave | None:
    """The wave asked for; without asking, the previous wave of the same questionnaire and
    population; an empty choice ("—") compares with none."""
    if "compare" not in request.GET:
        return selectors.wave_previous(wave=wave)
    raw = request.GET["compare"]
    if not raw.isdigit():
        return None
    other = get_object_or_404(SurveyWave, pk=int(raw))
    return None if other.pk == wave.pk else other


@require_GET
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def wave_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    wave = get_object_or_404(SurveyWave, pk=pk)
    compare = _compare(request, wave)
    results = cached_wave_results(wave, language=current_language())
    earlier = cached_wave_results(compare, language=current_language()) if compare else None
    changes = wave_change(earlier, results) if earlier else []
    area_changes = wave_change_by_area(earlier, results) if earlier else None
    public_url = request.build_absolute_uri(reverse("survey:language", args=[wave.token]))
    series = [
        results if other.pk == wave.pk else cached_wave_results(other, language=current_language())
        for other in selectors.wave_series(wave=wave)
    ]
    return render(
        request,
        "perception/wave.html",
        {
            "organisation": request.organisation,
            "wave": wave,
            "results": results,
            "readings": reading.indicator_readings(results),
            "weighting_plain": reading.plain_weighting(results),
            "trends": reading.trends(series),
            "compare": compare,
            "changes": changes,
            "area_changes": area_changes,
            "others": SurveyWave.objects.exclude(pk=wave.pk),
            "public_url": public_url,
            "can_manage": has_permission(request, Permission.RUN_SURVEYS),
            "codes_form": forms.CodesForm(),
            "upload_form": forms.UploadForm(),
            "rejected": selectors.rejected_rows(wave=wave)[:200],
            "wave_margins": selectors.margin_list(
                organisation=wave.organisation, wave=wave
            ).count(),
        },
    )


@require_POST
@permission_required(Permission.RUN_SURVEYS)
def wave_open(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    wave = get_object_or_404(SurveyWave, pk=pk)
    services.wave_set_open(wave=wave, actor=request.user, is_open=request.POST.get("open") == "1")
    return redirect("perception:wave", org_slug=org_slug, pk=pk)


@require_http_methods(["GET", "POST"])
@permission_required(Permission.RUN_SURVEYS)
def wave_fieldwork(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Running the fieldwork: the window, closing, invitation codes, the review queue of
    suspicious responses and the frozen versions of the estimates."""
    wave = get_object_or_404(SurveyWave, pk=pk)
    services.wave_close_if_due(wave=wave)
    window_form = forms.WindowForm(
        request.POST if request.POST.get("action") == "window" else None,
        initial={"opens_at": wave.opens_at, "closes_at": wave.closes_at},
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "window":
                if not window_form.is_valid():
                    raise ValidationError(_("The window was not changed; see the form."))
                services.wave_window_set(wave=wave, actor=request.user, **window_form.cleaned_data)
                messages.success(request, _("Fieldwork window saved."))
            elif action in ("close", "reopen"):
                services.wave_set_open(wave=wave, actor=request.user, is_open=action == "reopen")
                messages.success(
                    request,
                    _("The survey is open again.")
                    if action == "reopen"
                    else _("The survey is closed and its estimates are frozen."),
                )
            elif action == "review":
                counts = services.responses_review(
                    wave=wave, actor=request.user, decisions=_decisions(request)
                )
                messages.success(
                    request,
                    _("%(kept)d responses kept, %(excluded)d excluded.") % counts,
                )
            elif action == "reweigh":
                if selectors.wave_snapshot(wave=wave) is None:
                    raise ValidationError(_("The estimates are not frozen yet: close the wave."))
                services.snapshot_publish(wave=wave, actor=request.user, reweighted=True)
                messages.success(request, _("A new version of the estimates is published."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            if action == "window":
                return _fieldwork_page(request, wave, window_form, status=400)
        return redirect("perception:wave_fieldwork", org_slug=org_slug, pk=pk)
    return _fieldwork_page(request, wave, window_form)


def _decisions(request: HttpRequest) -> dict[int, str]:
    """The review form's choices: ``decision_<response id>`` → kept or excluded."""
    found = {}
    for name, decision in request.POST.items():
        number = name.removeprefix("decision_")
        if name.startswith("decision_") and number.isdigit() and decision:
            found[int(number)] = decision
    return found


def _moment(moment: datetime | None) -> str:
    """“14 March 2027, 18:00” in the reader's language and the organisation's time zone."""
    if moment is None:
        return ""
    return f"{long_date(moment)}, {timezone.localtime(moment):%H:%M}"


def _fieldwork_page(
    request: HttpRequest, wave: SurveyWave, window_form: forms.WindowForm, status: int = 200
) -> HttpResponse:
    snapshots = list(selectors.wave_snapshots(wave=wave))
    raw = request.GET.get("version", "")
    shown = selectors.wave_snapshot(wave=wave, version=int(raw) if raw.isdigit() else None)
    language = current_language()
    return render(
        request,
        "perception/fieldwork.html",
        {
            "organisation": request.organisation,
            "wave": wave,
            "taking_answers": services.wave_accepts_answers(wave=wave),
            "closed_since": _moment(services.wave_closed_since(wave=wave)),
            "opens_on": _moment(wave.opens_at),
            "window_form": window_form,
            "codes": selectors.invitation_code_counts(wave=wave),
            "codes_form": forms.CodesForm(),
            "queue": selectors.review_queue(wave=wave),
            "pending": selectors.review_pending(wave=wave),
            "versions": [(s, version_label(s)) for s in reversed(snapshots)],
            "shown": shown,
            "shown_label": version_label(shown) if shown else "",
            "results": selectors.wave_estimates(wave=wave, version=shown.version, language=language)
            if shown
            else None,
        },
        status=status,
    )


@require_POST
@permission_required(Permission.RUN_SURVEYS)
def wave_codes(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """New codes come back once as a CSV download; only their hashes are kept."""
    wave = get_object_or_404(SurveyWave, pk=pk)
    form = forms.CodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a number of codes between 0 and 100,000."))
        return redirect("perception:wave", org_slug=org_slug, pk=pk)
    own = [line.strip() for line in form.cleaned_data["codes"].splitlines() if line.strip()]
    try:
        if own:
            added = services.invitation_codes_add(wave=wave, actor=request.user, codes=own)
            messages.success(request, _("%(n)d invitation codes added.") % {"n": added})
            return redirect("perception:wave", org_slug=org_slug, pk=pk)
        codes = services.invitation_codes_generate(
            wave=wave, actor=request.user, count=form.cleaned_data["count"] or 0
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("perception:wave", org_slug=org_slug, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wave-{wave.pk}-codes.csv"'
    writer = SpreadsheetSafeWriter(response)
    writer.writerow(["code"])
    for code in codes:
        writer.writerow([code])
    return response


def _upload(request: HttpRequest) -> tuple[str, bytes] | None:
    form = forms.UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to upload."))
        return None
    upload = form.cleaned_data["file"]
    return upload.name, upload.read()


@require_POST
@permission_required(Permission.RUN_SURVEYS)
def responses_import(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    wave = get_object_or_404(SurveyWave, pk=pk)
    upload = _upload(request)
    if upload:
        try:
            result = imports.responses_import(
                wave=wave, actor=request.user, data=upload[1], file_name=upload[0]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            rejected = len({r.row for r in result.rejected})
            messages.success(
                request,
                _("%(rows)d rows: %(imported)d imported, %(rejected)d rejected (listed below).")
                % {"rows": result.rows, "imported": result.imported, "rejected": rejected},
            )
    return redirect("perception:wave", org_slug=org_slug, pk=pk)


@require_POST
@permission_required(Permission.RUN_SURVEYS)
def margins_import(request: HttpRequest, org_slug: str, pk: int | None = None) -> HttpResponse:
    wave = get_object_or_404(SurveyWave, pk=pk) if pk else None
    upload = _upload(request)
    if upload:
        try:
            cells = imports.margins_import(
                organisation=request.organisation, actor=request.user, data=upload[1], wave=wave
            )
        except ValidationError as error:
            messages.error(request, _("The margins were not loaded; fix these and send again:"))
            for message in error.messages[:50]:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)d population cells loaded.") % {"n": cells})
    if wave:
        return redirect("perception:wave", org_slug=org_slug, pk=wave.pk)
    return redirect("perception:overview", org_slug=org_slug)


@require_GET
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def wave_export(request: HttpRequest, org_slug: str, pk: int, what: str) -> HttpResponse:
    wave = get_object_or_404(SurveyWave, pk=pk)
    if what == "responses.csv":
        body, kind = exports.responses_csv(wave), "text/csv; charset=utf-8"
    elif what == "margins.csv":
        body, kind = exports.margins_csv(wave), "text/csv; charset=utf-8"
    elif what == "estimates.csv":
        body = exports.estimates_csv(cached_wave_results(wave, language=current_language()))
        kind = "text/csv; charset=utf-8"
    elif what == "summary.pdf":
        body = exports.summary_pdf(
            wave, compare=_compare(request, wave), language=current_language()
        )
        kind = "application/pdf"
    else:
        raise Http404(_("There is no export called %(name)s.") % {"name": what})
    audit_read(
        request,
        export=True,
        target=wave,
        detail={"file": what},
    )
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="wave-{wave.pk}-{what}"'
    return response


@require_GET
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def wave_fear_gap(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    wave = get_object_or_404(SurveyWave, pk=pk)
    results = cached_wave_results(wave, language=current_language())
    gap = fear_gap_for_wave(results)
    geojson = fear_geojson(gap) if gap else None
    return render(
        request,
        "perception/fear_gap.html",
        {
            "organisation": request.organisation,
            "wave": wave,
            "results": results,
            "gap": gap,
            "geojson": geojson if geojson and geojson["features"] else None,
            "fear_map": _fear_map(request, wave, gap, geojson) if geojson else None,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def walks(request: HttpRequest, org_slug: str) -> HttpResponse:
    can_manage = has_permission(request, Permission.RUN_SURVEYS)
    form = forms.AuditWalkForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(MANAGE_ONLY)
        if form.is_valid():
            walk = services.audit_walk_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
            return redirect("perception:walk", org_slug=org_slug, pk=walk.pk)
    walk_rows = selectors.walk_list(organisation=request.organisation)
    names = area_names(organisation=request.organisation)
    return render(
        request,
        "perception/walks.html",
        {
            "organisation": request.organisation,
            "walks": walk_rows,
            "areas": sorted(
                (names.get(code, code), code) for code in {w.area_code for w in walk_rows}
            ),
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def walk_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    walk = get_object_or_404(AuditWalk, pk=pk)
    can_manage = has_permission(request, Permission.RUN_SURVEYS)
    form = forms.AuditPinForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(MANAGE_ONLY)
        if form.is_valid():
            try:
                services.audit_pin_add(
                    walk=walk,
                    actor=request.user,
                    photo=form.cleaned_data["photo"],
                    lon=form.cleaned_data["lon"],
                    lat=form.cleaned_data["lat"],
                    comment=form.cleaned_data["comment"],
                    **form.ratings(),
                )
            except ValidationError as error:
                form.add_error("photo", error)
            else:
                messages.success(request, _("Pin added."))
                return redirect("perception:walk", org_slug=org_slug, pk=pk)
    pins = list(walk.pins.all())
    return render(
        request,
        "perception/walk.html",
        {
            "organisation": request.organisation,
            "walk": walk,
            "pins": pins,
            "pin_geojson": _pins_geojson(pins),
            "form": form,
            "can_manage": can_manage,
            "pin_map": _pin_map(
                request,
                pins,
                " · ".join(
                    [walk.route, long_date(walk.walked_on), str(walk.get_time_of_day_display())]
                ),
            ),
        },
    )


@require_GET
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def walk_area(request: HttpRequest, org_slug: str, code: str) -> HttpResponse:
    summary, pins = selectors.area_walk_summary(organisation=request.organisation, area_code=code)
    pins = list(pins)
    area = area_get(organisation=request.organisation, code=code)
    return render(
        request,
        "perception/walk_area.html",
        {
            "organisation": request.organisation,
            "code": code,
            "area_name": area.name if area else code,
            "summary": summary,
            "pins": pins,
            "pin_geojson": _pins_geojson(pins),
            "pin_map": _pin_map(
                request,
                pins,
                " · ".join(
                    [
                        _("Audit walks in %(area)s") % {"area": area.name if area else code},
                        period_text(
                            min((p.walk.walked_on for p in pins), default=None),
                            max((p.walk.walked_on for p in pins), default=None),
                        ),
                    ]
                ),
            ),
        },
    )


@require_GET
@permission_required(Permission.VIEW_PERCEIVED_SAFETY)
def pin_photo(request: HttpRequest, org_slug: str, pk: int, pin: int) -> HttpResponse:
    """Photos are served through the organisation's scope, never as public media files."""
    walk = get_object_or_404(AuditWalk, pk=pk)
    found = get_object_or_404(walk.pins.all(), pk=pin)
    if not found.photo:
        raise Http404(_("This pin has no photo."))
    name = found.photo.name.lower()
    kind = (
        "image/png"
        if name.endswith(".png")
        else ("image/webp" if name.endswith(".webp") else "image/jpeg")
    )
    with found.photo.open("rb") as handle:
        return HttpResponse(handle.read(), content_type=kind)


# Feeling of safety 0 (poor) to 3 (good): the pins' colours, shown in the legend too.
FEELING_COLOURS = ("#b2182b", "#ef8a62", "#67a9cf", "#2166ac")
FEELING_LABELS = (
    gettext_lazy("Feeling of safety 0 of 3 (poor)"),
    gettext_lazy("Feeling of safety 1 of 3"),
    gettext_lazy("Feeling of safety 2 of 3"),
    gettext_lazy("Feeling of safety 3 of 3 (good)"),
)


def _pin_map(request: HttpRequest, pins: list, title: str) -> dict:
    """The audit-walk map's frame: pins by feeling of safety, a thick outline after dark."""
    legend = [
        {"key": k, "colour": c, "label": str(t), "shape": "dot"}
        for k, (c, t) in enumerate(zip(FEELING_COLOURS, FEELING_LABELS, strict=True))
    ]
    legend.append(
        {
            "key": "night",
            "colour": "#222222",
            "shape": "ring",
            "label": _("Thick outline: rated after dark"),
        }
    )
    frame = map_frame(
        organisation=request.organisation,
        legend=legend,
        legend_title=_("rated places of the audit walks"),
        focus=True,
    )
    return {"frame": frame, "title": title}


# The colour of each tested fear class: darker only where fear is clearly higher, grey where
# there is nothing to compare (the classes come from neighbourhoods.fear_gap, not raw shares).
FEAR_CLASS_COLOURS = (
    (HIGHER, "#8c1c13"),
    (UNCLEAR, "#f4c7bc"),
    (LOWER, "#6baed6"),
    (TOO_FEW, "#9aa3ab"),
    (NO_DATA, "#d9dde1"),
)


def _fear_map(request: HttpRequest, wave: SurveyWave, gap, geojson: dict) -> dict:
    """The fear-gap map's frame and title, and each area's figures as localised text."""
    for feature in geojson["features"]:
        p = feature["properties"]
        p["fear_text"] = "—" if p["fear"] is None else f"{formats.number_format(p['fear'], 1)} %"
        p["rate_text"] = (
            "—"
            if p["rate"] is None
            else _("%(rate)s per 1,000 inhabitants") % {"rate": formats.number_format(p["rate"], 1)}
        )
    legend = [
        {"key": f"fear-{kind}", "colour": colour, "shape": "fill", "label": fear_class_label(kind)}
        for kind, colour in FEAR_CLASS_COLOURS
    ]
    legend.append(
        {
            "key": "ring",
            "colour": "#222222",
            "shape": "ring",
            "label": _("Ring size: recorded crime per 1,000 inhabitants"),
        }
    )
    frame = map_frame(
        organisation=request.organisation,
        legend=legend,
        legend_title=_("share feeling unsafe (weighted) and recorded crime"),
    )
    title = " · ".join(
        str(part)
        for part in (
            _("Fear beside recorded crime"),
            wave.name,
            _("crime: %(period)s") % {"period": gap.period},
        )
    )
    return {"frame": frame, "title": title}


def _pins_geojson(pins: list) -> dict:
    """The pins as GeoJSON for the page's json_script (which does the JSON encoding)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "feeling": p.feeling,
                    "lighting": p.lighting,
                    "time": p.walk.time_of_day,
                    "time_label": str(p.walk.get_time_of_day_display()),
                    "comment": p.comment,
                },
            }
            for p in pins
        ],
    }
