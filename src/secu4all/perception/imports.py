"""CSV import of population margins and of responses; every problem names its row and field."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.neighbourhoods.selectors import area_populations
from secu4all.organisations.models import Organisation
from secu4all.perception.models import (
    WEIGHTED_SEXES,
    AgeBand,
    Answer,
    Language,
    PopulationMargin,
    QuestionnaireItem,
    RejectedResponseRow,
    Sex,
    SurveyWave,
)
from secu4all.perception.selectors import wave_area_codes, wave_snapshot
from secu4all.perception.services import answer_value, response_start, snapshot_publish

MARGIN_COLUMNS = ("area_code", "age_band", "sex", "population")
RESPONSE_COLUMNS = ("language", "age_band", "sex", "area_code")
# Statistics offices round cells; per-neighbourhood totals may differ this much from the
# inhabitants recorded for the area before the file is refused.
TOTAL_TOLERANCE = 0.01


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of a UTF-8 (optionally BOM) CSV with comma or semicolon, header names lower-cased."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValidationError(
            _("Line %(line)d holds a NUL byte: this is not a text file.") % {"line": line}
        )
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        if not reader.fieldnames:
            raise ValidationError(_("The file is empty."))
        names = [name.strip().lower() for name in reader.fieldnames]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            # A second column of the same name would silently replace the first.
            raise ValidationError(
                _("The header names a column twice: %(names)s.") % {"names": ", ".join(twice)}
            )
        reader.fieldnames = names
        return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]
    except csv.Error as error:
        raise ValidationError(
            _("Line %(line)d cannot be read as CSV: %(reason)s.")
            # The reader counts a line once it has parsed it; the error stops it on the next.
            % {"line": reader.line_num + 1, "reason": error}
        ) from None


@dataclass
class MarginCheck:
    cells: dict[tuple[str, str, str], int]
    problems: list[str] = field(default_factory=list)


def margins_check(
    rows: list[dict[str, str]], *, areas: dict[str, int | None], only_area: str = ""
) -> MarginCheck:
    """Validate a margin table: known values, no cell twice, every stratum present, totals.

    ``areas`` maps the organisation's area codes to their inhabitants (None if unknown). Every
    neighbourhood × age band × sex (female, male) must be there. The cells of a neighbourhood
    must add up to its ``total`` column (the population aged 15 and over) within 1 % when the
    file has one, and can never exceed the neighbourhood's inhabitants (all ages) by more.
    """
    problems: list[str] = []
    missing = [c for c in MARGIN_COLUMNS if rows and c not in rows[0]]
    if not rows:
        return MarginCheck({}, [_("The file has no rows.")])
    if missing:
        return MarginCheck({}, [_("Missing columns: %(c)s.") % {"c": ", ".join(missing)}])
    cells: dict[tuple[str, str, str], int] = {}
    first_row: dict[tuple[str, str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        area, age, sex = row["area_code"], row["age_band"], row["sex"].lower()
        if areas and area not in areas:
            problems.append(
                _("Row %(row)d, area_code: %(value)s is not an area of the organisation.")
                % {"row": number, "value": area}
            )
            continue
        if age not in AgeBand.values:
            problems.append(
                _("Row %(row)d, age_band: %(value)s is not one of %(allowed)s.")
                % {"row": number, "value": age, "allowed": ", ".join(AgeBand.values)}
            )
            continue
        if sex not in WEIGHTED_SEXES:
            problems.append(
                _("Row %(row)d, sex: %(value)s is not one of %(allowed)s.")
                % {"row": number, "value": sex, "allowed": ", ".join(WEIGHTED_SEXES)}
            )
            continue
        try:
            population = int(row["population"])
            if population < 0:
                raise ValueError
        except ValueError:
            problems.append(
                _("Row %(row)d, population: %(value)s is not a whole number of inhabitants.")
                % {"row": number, "value": row["population"]}
            )
            continue
        key = (area, age, sex)
        if key in cells:
            problems.append(
                _("Row %(row)d: %(cell)s is given twice (first in row %(first)d).")
                % {"row": number, "cell": " × ".join(key), "first": first_row[key]}
            )
            continue
        cells[key] = population
        first_row[key] = number
    stated = _stated_totals(rows, problems)
    expected_areas = [only_area] if only_area else sorted(areas) or sorted({k[0] for k in cells})
    for area in expected_areas:
        for age in AgeBand.values:
            for sex in WEIGHTED_SEXES:
                if (area, age, sex) not in cells:
                    problems.append(
                        _("Stratum missing: %(cell)s has no row.")
                        % {"cell": " × ".join((area, age, sex))}
                    )
        total = sum(v for k, v in cells.items() if k[0] == area)
        if area in stated and abs(total - stated[area]) > TOTAL_TOLERANCE * stated[area]:
            problems.append(
                _(
                    "Area %(area)s: the cells add up to %(total)d but the total column says "
                    "%(stated)d (more than 1 %% apart)."
                )
                % {"area": area, "total": total, "stated": stated[area]}
            )
        inhabitants = areas.get(area)
        if inhabitants and total > (1 + TOTAL_TOLERANCE) * inhabitants:
            problems.append(
                _(
                    "Area %(area)s: the cells add up to %(total)d, more than the "
                    "%(inhabitants)d inhabitants the area has."
                )
                % {"area": area, "total": total, "inhabitants": inhabitants}
            )
    return MarginCheck(cells, problems)


def _stated_totals(rows: list[dict[str, str]], problems: list[str]) -> dict[str, int]:
    """The optional ``total`` column: the population aged 15+ of each area, the same on every
    row of that area (or given on some rows only)."""
    stated: dict[str, int] = {}
    if "total" not in rows[0]:
        return stated
    for number, row in enumerate(rows, start=2):
        if not row.get("total"):
            continue
        try:
            value = int(row["total"])
        except ValueError:
            problems.append(
                _("Row %(row)d, total: %(value)s is not a whole number.")
                % {"row": number, "value": row["total"]}
            )
            continue
        area = row["area_code"]
        if area in stated and stated[area] != value:
            problems.append(
                _("Row %(row)d, total: %(value)d differs from %(first)d given before for %(area)s.")
                % {"row": number, "value": value, "first": stated[area], "area": area}
            )
            continue
        stated[area] = value
    return stated


def organisation_areas(organisation: Organisation) -> dict[str, int | None]:
    return area_populations(organisation=organisation)


@transaction.atomic
def margins_import(
    *,
    organisation: Organisation,
    actor: AbstractBaseUser | None,
    data: bytes,
    wave: SurveyWave | None = None,
) -> int:
    """Replace the margins (of the wave, or organisation-wide) with the file's, if it passes.

    A margin table is only usable whole, so any problem refuses the file and keeps the
    margins already stored; the ValidationError lists every problem.
    """
    rows = read_csv(data)
    check = margins_check(
        rows, areas=organisation_areas(organisation), only_area=wave.area_code if wave else ""
    )
    if check.problems:
        raise ValidationError(check.problems)
    margins = PopulationMargin.objects.with_scope(organisation=organisation)
    margins.filter(wave=wave).delete()
    margins.bulk_create(
        PopulationMargin(
            organisation=organisation,
            wave=wave,
            area_code=area,
            age_band=age,
            sex=sex,
            population=population,
        )
        for (area, age, sex), population in sorted(check.cells.items())
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CREATE,
        target=wave,
        object_type="" if wave else "perception.populationmargin",
        object_repr="" if wave else "population margins",
        detail={"import": "margins", "cells": len(check.cells)},
    )
    return len(check.cells)


@dataclass
class ResponseImport:
    rows: int = 0
    imported: int = 0
    rejected: list[RejectedResponseRow] = field(default_factory=list)


@transaction.atomic
def responses_import(
    *, wave: SurveyWave, actor: AbstractBaseUser | None, data: bytes, file_name: str
) -> ResponseImport:
    """One respondent per row; columns language, age_band, sex, area_code and item codes.

    A row with any bad field is rejected whole and kept with its reason, so the file can be
    corrected and the rejected rows sent again; the good rows are imported.
    """
    organisation = wave.organisation
    rows = read_csv(data)
    items = {
        i.code: i
        for i in QuestionnaireItem.objects.with_scope(organisation=organisation).filter(
            questionnaire=wave.questionnaire
        )
    }
    if rows:
        header = list(rows[0])
        unknown = [c for c in header if c not in RESPONSE_COLUMNS and c not in items]
        if unknown:
            raise ValidationError(
                _("Columns that are neither %(fixed)s nor items of the questionnaire: %(c)s.")
                % {"fixed": ", ".join(RESPONSE_COLUMNS), "c": ", ".join(unknown)}
            )
    areas = wave_area_codes(wave=wave)
    result = ResponseImport(rows=len(rows))
    for number, row in enumerate(rows, start=2):
        problems: list[tuple[str, str]] = []
        language = row.get("language", "").lower() or "nl"
        if language not in Language.values:
            problems.append(("language", _("%(v)s is not a survey language.") % {"v": language}))
        age = row.get("age_band", "")
        if age and age not in AgeBand.values:
            problems.append(("age_band", _("%(v)s is not an age band.") % {"v": age}))
        sex = row.get("sex", "").lower()
        if sex and sex not in Sex.values:
            problems.append(("sex", _("%(v)s is not one of female, male, other.") % {"v": sex}))
        area = row.get("area_code", "")
        if area and area not in areas:
            problems.append(("area_code", _("%(v)s is not an area.") % {"v": area}))
        values = {}
        for code, item in items.items():
            raw = row.get(code, "")
            if raw == "":
                continue
            try:
                values[item] = answer_value(item.definition, raw)
            except ValidationError as error:
                problems.append((code, error.messages[0]))
        if not values and not any(name in items for name, _reason in problems):
            # The same rule as the survey page and the API: no answer, no complete response.
            problems.append(("answers", _("The row answers no question of the survey.")))
        if problems:
            for name, reason in problems:
                result.rejected.append(
                    RejectedResponseRow(
                        organisation=organisation,
                        wave=wave,
                        file_name=file_name,
                        row=number,
                        field=name,
                        reason=reason,
                        raw=";".join(f"{k}={v}" for k, v in row.items()),
                    )
                )
            continue
        response = response_start(
            wave=wave,
            language=language,
            age_band=age,
            sex=sex,
            area_code=area,
            imported=True,
            after_closing=True,
        )
        response.complete = True
        response.save(update_fields=["complete"])
        Answer.objects.with_scope(organisation=organisation).bulk_create(
            Answer(organisation=organisation, response=response, item=item, value=value)
            for item, value in values.items()
        )
        result.imported += 1
    RejectedResponseRow.objects.with_scope(organisation=organisation).bulk_create(result.rejected)
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.CREATE,
        target=wave,
        detail={
            "import": "responses",
            "file": file_name,
            "rows": result.rows,
            "imported": result.imported,
            "rejected_rows": len({r.row for r in result.rejected}),
        },
    )
    if result.imported and wave_snapshot(wave=wave):
        # Paper forms keyed in after the close change published figures: a new version.
        snapshot_publish(wave=wave, actor=actor)
    return result
