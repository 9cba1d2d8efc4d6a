"""Writing questionnaires, waves, anonymous responses and audit walks; validation and audit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.neighbourhoods.services import area_locator, points_by_area
from secu4all.organisations.models import Organisation
from secu4all.perception.estimates import setting_for
from secu4all.perception.library import LANGUAGES, LibraryItem, library_item, scales
from secu4all.perception.models import (
    AgeBand,
    Answer,
    AuditPin,
    AuditWalk,
    InvitationCode,
    Questionnaire,
    QuestionnaireItem,
    Response,
    Sex,
    SurveyWave,
)
from secu4all.perception.photos import clean_photo
from secu4all.perception.selectors import wave_area_codes

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on paper


@transaction.atomic
def setting_save(*, organisation: Organisation, actor: AbstractBaseUser, min_n: int) -> None:
    setting = setting_for(organisation)
    setting.min_n = min_n
    setting.full_clean()
    setting.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CHANGE,
        target=setting,
        object_repr="perceived-safety settings",
        detail={"min_n": min_n},
    )


@transaction.atomic
def questionnaire_create(
    *,
    organisation: Organisation,
    actor: AbstractBaseUser | None,
    name: str,
    item_codes: list[str],
    description: str = "",
) -> Questionnaire:
    """A questionnaire of library items in the order given; an unknown code is refused."""
    unknown = [code for code in item_codes if library_item(code) is None]
    if unknown:
        raise ValidationError(
            _("Not in the instrument library: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    if not item_codes:
        raise ValidationError(_("Choose at least one item."))
    questionnaire = Questionnaire(organisation=organisation, name=name, description=description)
    questionnaire.full_clean()
    questionnaire.save()
    for position, code in enumerate(dict.fromkeys(item_codes), start=1):
        QuestionnaireItem.objects.with_scope(organisation=organisation).create(
            organisation=organisation, questionnaire=questionnaire, position=position, code=code
        )
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CREATE,
        target=questionnaire,
        detail={"items": list(item_codes)},
    )
    return questionnaire


@transaction.atomic
def questionnaire_item_add_own(
    *,
    questionnaire: Questionnaire,
    actor: AbstractBaseUser,
    code: str,
    texts: dict[str, str],
    scale: str,
    reverse: bool = False,
) -> QuestionnaireItem:
    """The organisation's own question, worded in every language, on a library scale."""
    organisation = questionnaire.organisation
    missing = [lang for lang in LANGUAGES if not (texts.get(lang) or "").strip()]
    if missing:
        raise ValidationError(
            _("Give the wording in every language; missing: %(languages)s.")
            % {"languages": ", ".join(missing)}
        )
    if scale not in scales():
        raise ValidationError(_("Unknown answer scale %(scale)s.") % {"scale": scale})
    if library_item(code) is not None:
        raise ValidationError(
            _("The code %(code)s belongs to a library item; choose another.") % {"code": code}
        )
    items = QuestionnaireItem.objects.with_scope(organisation=organisation).filter(
        questionnaire=questionnaire
    )
    if items.filter(code=code).exists():
        raise ValidationError(_("The questionnaire already has an item %(code)s.") % {"code": code})
    last = items.aggregate(p=Max("position"))["p"] or 0
    item = QuestionnaireItem(
        organisation=organisation,
        questionnaire=questionnaire,
        position=last + 1,
        code=code,
        from_library=False,
        own_texts={lang: texts[lang].strip() for lang in LANGUAGES},
        own_scale=scale,
        own_reverse=reverse,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CHANGE,
        target=questionnaire,
        detail={"own_item": code, "scale": scale},
    )
    return item


@transaction.atomic
def wave_create(
    *,
    organisation: Organisation,
    actor: AbstractBaseUser | None,
    questionnaire: Questionnaire,
    name: str,
    period_start: date,
    period_end: date,
    area_code: str = "",
    codes_required: bool = False,
) -> SurveyWave:
    if period_end < period_start:
        raise ValidationError(_("The fieldwork cannot end before it starts."))
    wave = SurveyWave(
        organisation=organisation,
        questionnaire=questionnaire,
        name=name,
        period_start=period_start,
        period_end=period_end,
        area_code=area_code,
        codes_required=codes_required,
        token=secrets.token_urlsafe(16),
    )
    wave.full_clean()
    wave.save()
    audit_record(actor=actor, organisation=organisation, action=AuditAction.CREATE, target=wave)
    return wave


@transaction.atomic
def wave_set_open(*, wave: SurveyWave, actor: AbstractBaseUser, is_open: bool) -> None:
    wave.is_open = is_open
    wave.save(update_fields=["is_open"])
    audit_record(
        actor=actor,
        organisation=wave.organisation,
        action=AuditAction.CHANGE,
        target=wave,
        detail={"is_open": is_open},
    )


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


@transaction.atomic
def invitation_codes_add(
    *, wave: SurveyWave, actor: AbstractBaseUser | None, codes: list[str]
) -> int:
    """Store the hashes of ``codes``; a code given twice or already there refuses them all."""
    seen: dict[str, int] = {}
    problems = []
    for number, code in enumerate(codes, start=1):
        normal = normalise_code(code)
        if len(normal) < 6:
            problems.append(
                _("Line %(line)d: the code %(code)s is shorter than 6 characters.")
                % {"line": number, "code": code}
            )
        elif normal in seen:
            problems.append(
                _("Line %(line)d: the code %(code)s is a duplicate of line %(first)d.")
                % {"line": number, "code": code, "first": seen[normal]}
            )
        else:
            seen[normal] = number
    existing = set(
        InvitationCode.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave, code_hash__in=[code_hash(c) for c in seen])
        .values_list("code_hash", flat=True)
    )
    for normal, number in seen.items():
        if code_hash(normal) in existing:
            problems.append(
                _("Line %(line)d: the code %(code)s already exists for this wave.")
                % {"line": number, "code": codes[number - 1]}
            )
    if problems:
        raise ValidationError(problems)
    InvitationCode.objects.with_scope(organisation=wave.organisation).bulk_create(
        InvitationCode(organisation=wave.organisation, wave=wave, code_hash=code_hash(c))
        for c in seen
    )
    audit_record(
        actor=actor,
        organisation=wave.organisation,
        action=AuditAction.CHANGE,
        target=wave,
        detail={"invitation_codes_added": len(seen)},
    )
    return len(seen)


def invitation_codes_generate(
    *, wave: SurveyWave, actor: AbstractBaseUser | None, count: int
) -> list[str]:
    """``count`` new random codes (8 characters, about 40 bits each); shown once, stored hashed."""
    if not 1 <= count <= 100_000:
        raise ValidationError(_("Generate between 1 and 100,000 codes."))
    codes: set[str] = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _i in range(8)))
    plain = sorted(codes)
    invitation_codes_add(wave=wave, actor=actor, codes=plain)
    return [f"{c[:4]}-{c[4:]}" for c in plain]


def invitation_code_redeem(*, wave: SurveyWave, code: str) -> bool:
    """Use the code once; False if it is unknown or was used before."""
    # One UPDATE guarded by used_on IS NULL: two simultaneous uses cannot both succeed.
    updated = (
        InvitationCode.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave, code_hash=code_hash(code), used_on__isnull=True)
        .update(used_on=timezone.localdate())
    )
    return updated == 1


def answer_value(item: LibraryItem, raw: object, *, language: str = "en") -> int:
    """The answer as its code, or a ValidationError that names the question."""
    allowed = item.scale.codes
    try:
        value = int(str(raw).strip())
        if str(raw).strip() != str(value):
            raise ValueError
    except ValueError:
        value = None
    if value is None or value not in allowed:
        raise ValidationError(
            _("“%(question)s”: %(value)s is not one of the answers; choose %(low)d to %(high)d.")
            % {
                "question": item.wording(language),
                "value": raw,
                "low": min(allowed),
                "high": max(allowed),
            }
        )
    return value


@transaction.atomic
def response_profile_errors(
    *, wave: SurveyWave, age_band: str = "", sex: str = "", area_code: str = ""
) -> dict[str, str]:
    """Why a response to ``wave`` cannot start with this profile, by field (empty: it can).

    The one rule for the public survey page, the API and anything else that starts one:
    the wave is open, the age band and sex are known answers, and the neighbourhood is one
    of the wave's areas (``selectors.wave_area_codes``).
    """
    errors: dict[str, str] = {}
    if not wave.is_open:
        errors[NON_FIELD_ERRORS] = _("This survey is closed: it takes no more answers.")
    if age_band and age_band not in AgeBand.values:
        errors["age_band"] = _("Choose one of the age bands.")
    if sex and sex not in Sex.values:
        errors["sex"] = _("Choose one of the answers.")
    if area_code and area_code not in wave_area_codes(wave=wave):
        errors["area_code"] = _("%(code)s is not a neighbourhood of this survey.") % {
            "code": area_code
        }
    return errors


def response_start(
    *,
    wave: SurveyWave,
    language: str,
    age_band: str = "",
    sex: str = "",
    area_code: str = "",
    imported: bool = False,
    after_closing: bool = False,
) -> Response:
    """Start a response under ``response_profile_errors``; ``after_closing`` only for a file
    import of answers collected while the wave was open (paper forms keyed in later)."""
    errors = response_profile_errors(wave=wave, age_band=age_band, sex=sex, area_code=area_code)
    if after_closing:
        errors.pop(NON_FIELD_ERRORS, None)
    if errors:
        raise ValidationError(errors)
    if wave.area_code:
        area_code = wave.area_code
    response = Response(
        organisation=wave.organisation,
        wave=wave,
        key=secrets.token_urlsafe(16),
        language=language,
        age_band=age_band,
        sex=sex,
        area_code=area_code,
        imported=imported,
        created_on=timezone.localdate(),
    )
    response.full_clean()
    response.save()
    return response


def answers_save(
    *, response: Response, raw: dict[str, object]
) -> tuple[int, dict[str, ValidationError]]:
    """Store every valid answer of ``raw`` (item code → answer); return the errors by code.

    Valid answers are kept even when others on the same page are refused, so nothing the
    respondent gave is lost.
    """
    organisation = response.organisation
    items = {
        i.code: i
        for i in QuestionnaireItem.objects.with_scope(organisation=organisation).filter(
            questionnaire_id=response.wave.questionnaire_id
        )
    }
    errors: dict[str, ValidationError] = {}
    saved = 0
    with transaction.atomic():
        for code, value in raw.items():
            item = items.get(code)
            if item is None:
                errors[code] = ValidationError(
                    _("%(code)s is not a question of this survey.") % {"code": code}
                )
                continue
            if value in (None, ""):
                continue
            try:
                number = answer_value(item.definition, value, language=response.language)
            except ValidationError as error:
                errors[code] = error
                continue
            Answer.objects.with_scope(organisation=organisation).update_or_create(
                organisation=organisation, response=response, item=item, defaults={"value": number}
            )
            saved += 1
    return saved, errors


def response_complete(*, response: Response) -> None:
    """Mark a response complete: only while its wave is open, and with at least one answer."""
    if not response.wave.is_open:
        raise ValidationError(_("This survey is closed: it takes no more answers."))
    if (
        not Answer.objects.with_scope(organisation=response.organisation)
        .filter(response=response)
        .exists()
    ):
        raise ValidationError(_("Answer at least one question before sending the survey."))
    response.complete = True
    response.save(update_fields=["complete"])


@transaction.atomic
def audit_walk_create(
    *, organisation: Organisation, actor: AbstractBaseUser, **fields
) -> AuditWalk:
    walk = AuditWalk(organisation=organisation, created_by=actor, **fields)
    walk.full_clean()
    walk.save()
    audit_record(actor=actor, organisation=organisation, action=AuditAction.CREATE, target=walk)
    return walk


def pins_place_in_areas(*, organisation: Organisation) -> None:
    """Place every audit-walk pin in its neighbourhood again, after boundaries changed."""
    all_pins = AuditPin.objects.with_scope(organisation=organisation)
    points = all_pins.values_list("pk", "lon", "lat")
    for code, pks in points_by_area(organisation=organisation, points=points).items():
        all_pins.filter(pk__in=pks).update(neighbourhood_code=code)


def on_boundaries_changed(sender: object, *, organisation: Organisation, **kwargs: object) -> None:
    """Receiver of ``neighbourhoods.signals.boundaries_changed``."""
    pins_place_in_areas(organisation=organisation)


@transaction.atomic
def audit_pin_add(
    *, walk: AuditWalk, actor: AbstractBaseUser | None, photo: UploadedFile | None = None, **fields
) -> AuditPin:
    """A rated place on the walk; a photo is checked and stripped of metadata first."""
    pin = AuditPin(organisation=walk.organisation, walk=walk, **fields)
    pin.full_clean(exclude=["photo"])
    if not (-180 <= pin.lon <= 180 and -90 <= pin.lat <= 90):
        raise ValidationError(_("The position is not a longitude and latitude in degrees."))
    if photo is not None:
        name, data = clean_photo(photo)
        pin.photo.save(name, ContentFile(data), save=False)
    pin.neighbourhood_code = area_locator(organisation=walk.organisation).code_at(pin.lon, pin.lat)
    pin.save()
    audit_record(
        actor=actor,
        organisation=walk.organisation,
        action=AuditAction.CHANGE,
        target=walk,
        detail={"pin": pin.pk, "photo": bool(photo)},
    )
    return pin
