"""The anonymous public survey, outside any organisation: /s/<token>/ for a wave.

Privacy by construction: no account, no session, no cookie (the views are CSRF-exempt so no
CSRF cookie is set either; there is no session to ride on, and the random response key in the
URL is the only thing that lets someone continue a response). The client address is used only
for flood control, as a keyed hash in the cache for minutes (see ratelimit.py); the database
never sees it.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_scopes import scope, scopes_disabled

from secu4all.common.map_titles import long_date
from secu4all.neighbourhoods.selectors import area_list
from secu4all.perception import ratelimit
from secu4all.perception.forms import LANGUAGE_NAMES
from secu4all.perception.library import LANGUAGES
from secu4all.perception.models import (
    AgeBand,
    Answer,
    QuestionnaireItem,
    Response,
    Sex,
    SurveyWave,
    Suspicion,
)
from secu4all.perception.services import (
    answers_save,
    invitation_code_redeem,
    response_complete,
    response_profile_errors,
    response_start,
    responses_flag,
    wave_accepts_answers,
    wave_close_if_due,
    wave_closed_since,
)

ITEMS_PER_PAGE = 6


def _wave(token: str) -> SurveyWave:
    with scopes_disabled():
        return get_object_or_404(SurveyWave.objects.select_related("organisation"), token=token)


def _response(key: str) -> Response:
    with scopes_disabled():
        return get_object_or_404(
            Response.objects.select_related("wave", "wave__organisation"), key=key
        )


def survey_pages(items: list[QuestionnaireItem]) -> list[list[QuestionnaireItem]]:
    """Consecutive items of one instrument block on a page, at most six per page."""
    pages: list[list[QuestionnaireItem]] = []
    block = None
    for item in items:
        definition = item.definition
        key = (definition.instrument, definition.group)
        if pages and key == block and len(pages[-1]) < ITEMS_PER_PAGE:
            pages[-1].append(item)
        else:
            pages.append([item])
        block = key
    return pages


def _too_many(request: HttpRequest, language: str) -> HttpResponse:
    with translation.override(language):
        return render(request, "perception/public/too_many.html", {"lang": language}, status=429)


def _closed(request: HttpRequest, wave: SurveyWave, language: str) -> HttpResponse:
    """The page for a wave that takes no answers: closed since a date, or not open yet."""
    closed = wave_closed_since(wave=wave)
    opens = None if closed else wave.opens_at
    with translation.override(language):
        return render(
            request,
            "perception/public/closed.html",
            {
                "wave": wave,
                "lang": language,
                "closed_on": long_date(closed) if closed else "",
                "opens_on": long_date(opens) if opens else "",
                "opens_time": timezone.localtime(opens).strftime("%H:%M") if opens else "",
            },
            status=410 if closed else 403,
        )


def _taking_answers(wave: SurveyWave) -> bool:
    # Looking at a wave past its close is what closes it and freezes its estimates.
    with scope(organisation=wave.organisation):
        wave_close_if_due(wave=wave)
    return wave_accepts_answers(wave=wave)


@require_GET
def choose_language(request: HttpRequest, token: str) -> HttpResponse:
    wave = _wave(token)
    languages = [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
    return render(
        request,
        "perception/public/language.html",
        {"wave": wave, "languages": languages, "lang": "en"},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, token: str, lang: str) -> HttpResponse:
    if lang not in LANGUAGES:
        raise Http404(_("Unknown language."))
    wave = _wave(token)
    if not _taking_answers(wave):
        return _closed(request, wave, lang)
    with scope(organisation=wave.organisation), translation.override(lang):
        areas = list(
            area_list(organisation=wave.organisation).order_by("name").values_list("code", "name")
        )
        restricted = dict(areas).get(wave.area_code, wave.area_code) if wave.area_code else ""
        errors: dict[str, str] = {}
        values = {
            k: request.POST.get(k, "") for k in ("code", "age_band", "sex", "area_code", "device")
        }
        # A restricted wave puts everyone in its own neighbourhood; the page asks for none.
        area_code = "" if wave.area_code else values["area_code"]
        if request.method == "POST":
            if not ratelimit.allow(request, "start"):
                return _too_many(request, lang)
            errors = response_profile_errors(
                wave=wave,
                age_band=values["age_band"],
                sex=values["sex"],
                area_code=area_code,
            )
            if wave.codes_required and not errors:
                if not values["code"].strip():
                    errors["code"] = _("Enter the code from your invitation letter.")
                elif not invitation_code_redeem(wave=wave, code=values["code"]):
                    errors["code"] = _(
                        "This invitation code is not valid or has already been used."
                    )
            if not errors:
                response = response_start(
                    wave=wave,
                    language=lang,
                    age_band=values["age_band"],
                    sex=values["sex"],
                    area_code=area_code,
                    device_token=values["device"],
                )
                burst = ratelimit.recent_starts(request, wave_id=wave.pk, response_id=response.pk)
                if burst:
                    responses_flag(wave=wave, ids=burst, suspicion=Suspicion.NETWORK)
                return redirect("survey:page", key=response.key, number=1)
        return render(
            request,
            "perception/public/start.html",
            {
                "wave": wave,
                "lang": lang,
                "areas": areas,
                "restricted": restricted,
                "age_bands": AgeBand.choices,
                "sexes": Sex.choices,
                "values": values,
                "errors": errors,
            },
            status=400 if errors else 200,
        )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, key: str, number: int) -> HttpResponse:
    response = _response(key)
    wave = response.wave
    lang = response.language
    # Checked before anything is read from the form: a page loaded before the close and sent
    # after it stores nothing.
    if not _taking_answers(wave):
        return _closed(request, wave, lang)
    with scope(organisation=wave.organisation), translation.override(lang):
        items = list(
            QuestionnaireItem.objects.filter(questionnaire_id=wave.questionnaire_id).order_by(
                "position"
            )
        )
        pages = survey_pages(items)
        if not 1 <= number <= len(pages):
            raise Http404(_("This survey has no page %(n)d.") % {"n": number})
        on_page = pages[number - 1]
        errors: dict[str, str] = {}
        raw: dict[str, str] = {}
        if request.method == "POST":
            if not ratelimit.allow(request, "answer"):
                return _too_many(request, lang)
            raw = {item.code: request.POST.get(f"q_{item.code}", "") for item in on_page}
            _saved, problems = answers_save(response=response, raw=raw)
            errors = {code: " ".join(error.messages) for code, error in problems.items()}
            if not errors:
                if "back" in request.POST and number > 1:
                    return redirect("survey:page", key=key, number=number - 1)
                if number < len(pages):
                    return redirect("survey:page", key=key, number=number + 1)
                try:
                    response_complete(response=response)
                except ValidationError as error:
                    errors[NON_FIELD_ERRORS] = " ".join(error.messages)
                else:
                    return redirect("survey:done", key=key)
        stored = dict(
            Answer.objects.filter(response=response, item__in=on_page).values_list(
                "item__code", "value"
            )
        )
        questions = []
        for item in on_page:
            definition = item.definition
            current = raw.get(item.code) or stored.get(item.code)
            questions.append(
                {
                    "code": item.code,
                    "text": definition.wording(lang),
                    "stem": definition.stem_in(lang),
                    "numeric": definition.scale.kind == "numeric",
                    "ends": definition.scale.end_labels(lang),
                    "choices": [
                        (code, label, str(code) == str(current))
                        for code, label in definition.scale.choices(lang)
                    ],
                    "error": errors.get(item.code, ""),
                }
            )
        return render(
            request,
            "perception/public/page.html",
            {
                "wave": wave,
                "lang": lang,
                "response": response,
                "number": number,
                "pages": len(pages),
                "questions": questions,
                "errors": errors,
                "stem": questions[0]["stem"] if questions else "",
                "same_device": number == 1 and response.suspicion == Suspicion.DEVICE,
            },
            status=400 if errors else 200,
        )


@require_GET
def done(request: HttpRequest, key: str) -> HttpResponse:
    response = _response(key)
    with translation.override(response.language):
        return render(
            request,
            "perception/public/done.html",
            {"wave": response.wave, "lang": response.language, "response": response},
        )
