"""Writing questionnaires, waves, anonymous responses and audit walks; validation and audit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, time

from django.conf import settings
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
from secu4all.common.uploads import field_file_save
from secu4all.neighbourhoods.services import area_locator, points_by_area
from secu4all.organisations.models import Organisation
from secu4all.perception.estimates import setting_for
from secu4all.perception.library import LANGUAGES, LibraryItem, library_item, scales
from secu4all.perception.models import (
    AgeBand,
    Answer,
    AuditPin,
    AuditWalk,
    EstimateSnapshot,
    InvitationCode,
    Questionnaire,
    QuestionnaireItem,
    Response,
    Review,
    Sex,
    SurveyWave,
    Suspicion,
)
from secu4all.perception.photos import clean_photo
from secu4all.perception.selectors import wave_area_codes
from secu4all.perception.snapshots import figures_from_wave

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


def wave_accepts_answers(*, wave: SurveyWave, at: datetime | None = None) -> bool:
    """Whether ``wave`` takes answers at ``at`` (now): open by hand, and inside its window
    (from ``opens_at`` inclusive to ``closes_at`` exclusive)."""
    at = at or timezone.now()
    if not wave.is_open:
        return False
    if wave.opens_at and at < wave.opens_at:
        return False
    return not (wave.closes_at and at >= wave.closes_at)


def wave_closed_since(*, wave: SurveyWave, at: datetime | None = None) -> datetime | None:
    """When ``wave`` stopped taking answers, or None if it takes them or has not opened yet."""
    at = at or timezone.now()
    if wave.closes_at and at >= wave.closes_at:
        return min(wave.closes_at, wave.closed_at) if wave.closed_at else wave.closes_at
    if not wave.is_open:
        # Waves closed before closing was timed: the last day of their fieldwork.
        zone = timezone.get_current_timezone()
        fallback = datetime.combine(wave.period_end, time(23, 59), tzinfo=zone)
        return wave.closed_at or fallback
    return None


@transaction.atomic
def wave_window_set(
    *,
    wave: SurveyWave,
    actor: AbstractBaseUser | None,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> None:
    """Set the fieldwork window; moving the close into the future opens a closed-by-window wave
    again (its frozen versions stay, and closing again freezes a new one)."""
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError(
            {"closes_at": _("The fieldwork must close after it opens.")}, code="window"
        )
    wave.opens_at = opens_at
    wave.closes_at = closes_at
    if wave.closed_at and wave.is_open and (not closes_at or closes_at > timezone.now()):
        wave.closed_at = None
    wave.save(update_fields=["opens_at", "closes_at", "closed_at"])
    audit_record(
        actor=actor,
        organisation=wave.organisation,
        action=AuditAction.CHANGE,
        target=wave,
        detail={
            "opens_at": opens_at.isoformat() if opens_at else None,
            "closes_at": closes_at.isoformat() if closes_at else None,
        },
    )
    wave_close_if_due(wave=wave)


@transaction.atomic
def wave_set_open(*, wave: SurveyWave, actor: AbstractBaseUser | None, is_open: bool) -> None:
    """Close a wave by hand (its estimates are frozen), or open it again."""
    if wave.is_open == is_open:
        return
    wave.is_open = is_open
    wave.closed_at = None if is_open else timezone.now()
    wave.save(update_fields=["is_open", "closed_at"])
    audit_record(
        actor=actor,
        organisation=wave.organisation,
        action=AuditAction.CHANGE,
        target=wave,
        detail={"is_open": is_open},
    )
    if not is_open:
        snapshot_publish(wave=wave, actor=actor, at=wave.closed_at)


@transaction.atomic
def wave_close_if_due(*, wave: SurveyWave, at: datetime | None = None) -> bool:
    """Close ``wave`` once its window has ended and freeze its estimates as of the close;
    True if it closed now. Called wherever the wave is looked at, so no scheduler is needed."""
    at = at or timezone.now()
    if wave.closed_at or not wave.closes_at or at < wave.closes_at:
        return False
    # Lock the row: two respondents arriving after the close must not freeze twice.
    locked = SurveyWave.objects.with_scope(organisation=wave.organisation).select_for_update()
    current = locked.get(pk=wave.pk)
    if current.closed_at:
        wave.closed_at = current.closed_at
        return False
    wave.closed_at = wave.closes_at
    wave.save(update_fields=["closed_at"])
    snapshot_publish(wave=wave, actor=None, at=wave.closes_at)
    return True


def _snapshots(wave: SurveyWave):
    return EstimateSnapshot.objects.with_scope(organisation=wave.organisation).filter(wave=wave)


def _excluded_count(wave: SurveyWave) -> int:
    return (
        Response.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave, review=Review.EXCLUDED)
        .count()
    )


@transaction.atomic
def snapshot_publish(
    *,
    wave: SurveyWave,
    actor: AbstractBaseUser | None,
    at: datetime | None = None,
    reweighted: bool = False,
) -> EstimateSnapshot:
    """Freeze the wave's estimates as they stand: version 1 at closing, then one new version
    per change, saying what changed since the one before. Earlier versions are never touched."""
    previous = _snapshots(wave).order_by("-version").first()
    figures = figures_from_wave(wave)
    excluded = _excluded_count(wave)
    changes: dict[str, object] = {}
    if previous:
        before = previous.excluded
        changes = {
            "excluded": max(excluded - before, 0),
            "restored": max(before - excluded, 0),
            "added": max(
                figures["responses"] - previous.figures["responses"] - (before - excluded), 0
            ),
            "reweighted": reweighted,
        }
    snapshot = EstimateSnapshot(
        organisation=wave.organisation,
        wave=wave,
        version=previous.version + 1 if previous else 1,
        frozen_at=at or timezone.now(),
        created_by=actor,
        changes=changes,
        excluded=excluded,
        figures=figures,
    )
    snapshot.full_clean()
    snapshot.save()
    audit_record(
        actor=actor,
        organisation=wave.organisation,
        action=AuditAction.CREATE,
        target=wave,
        detail={"estimates_version": snapshot.version, "changes": changes},
    )
    return snapshot


def responses_flag(*, wave: SurveyWave, ids: list[int], suspicion: str) -> int:
    """Put responses in the review queue; a decision already taken on one stands."""
    return (
        Response.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave, pk__in=ids, review="")
        .update(suspicion=suspicion, review=Review.PENDING)
    )


def device_hash(*, wave: SurveyWave, device_token: str) -> str:
    """The device's token keyed per wave, so the same device cannot be followed across waves."""
    token = device_token.strip()[:100]
    if len(token) < 16:
        return ""  # no script, or not a token the page made: nothing to compare
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"device:{wave.token}:{token}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def responses_review(
    *, wave: SurveyWave, actor: AbstractBaseUser, decisions: dict[int, str]
) -> dict[str, int]:
    """Keep or exclude flagged responses of ``wave`` (response id → "kept" or "excluded").

    Excluded responses leave the estimates; each decision is in the audit log, and a wave whose
    estimates are frozen gets a new version saying how many were excluded or restored."""
    wanted = {Review.KEPT.value, Review.EXCLUDED.value}
    bad = sorted(str(pk) for pk, decision in decisions.items() if decision not in wanted)
    if bad:
        raise ValidationError(
            _("Choose keep or exclude for response %(ids)s.") % {"ids": ", ".join(bad)}
        )
    flagged = (
        Response.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave, pk__in=list(decisions))
        .exclude(review="")
    )
    counts = {"kept": 0, "excluded": 0}
    for response in flagged:
        decision = decisions[response.pk]
        if response.review == decision:
            continue
        before = response.review
        response.review = decision
        response.save(update_fields=["review"])
        counts[decision] += 1
        audit_record(
            actor=actor,
            organisation=wave.organisation,
            action=AuditAction.CHANGE,
            target=wave,
            detail={
                "response": response.pk,
                "review": decision,
                "was": before,
                "suspicion": response.suspicion,
            },
        )
    if any(counts.values()) and _snapshots(wave).exists():
        snapshot_publish(wave=wave, actor=actor)
    return counts


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
    # One UPDATE guarded by used = false: two simultaneous uses cannot both succeed.
    updated = (
        InvitationCode.objects.with_scope(organisation=wave.organisation)
        .filter(wave=wave, code_hash=code_hash(code), used=False)
        .update(used=True)
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
    if not wave_accepts_answers(wave=wave):
        if wave.opens_at and timezone.now() < wave.opens_at and wave.is_open:
            errors[NON_FIELD_ERRORS] = _("This survey is not open yet.")
        else:
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
    device_token: str = "",
) -> Response:
    """Start a response under ``response_profile_errors``; ``after_closing`` only for a file
    import of answers collected while the wave was open (paper forms keyed in later).

    ``device_token`` is the random token the survey page keeps in the browser's storage: a
    device that already answered this wave puts all its responses in the review queue."""
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
        device_hash=device_hash(wave=wave, device_token=device_token),
    )
    response.full_clean()
    response.save()
    if response.device_hash:
        same = Response.objects.with_scope(organisation=wave.organisation).filter(
            wave=wave, device_hash=response.device_hash
        )
        if same.count() > 1:
            responses_flag(
                wave=wave, ids=list(same.values_list("pk", flat=True)), suspicion=Suspicion.DEVICE
            )
            response.refresh_from_db(fields=["suspicion", "review"])
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
    if not wave_accepts_answers(wave=response.wave):
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
        field_file_save(pin.photo, name, ContentFile(data, name=photo.name))
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
