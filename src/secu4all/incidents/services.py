"""Importing incident files: parse everything, then write in batches, nothing lost or half-kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import numpy as np
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.engines.spatial.grid import project_lonlat, utm_epsg
from secu4all.incidents.importers import generic, nl_police, police_uk
from secu4all.incidents.importers.base import (
    DEFAULT_MAX_BYTES,
    ImportFileError,
    Parsed,
    check_size,
    decode,
    reject_far_away,
)
from secu4all.incidents.models import (
    AreaCount,
    ImportFormat,
    ImportRun,
    ImportStatus,
    Incident,
    RejectedRow,
)
from secu4all.organisations.models import Organisation

BATCH = 5000
FAR_AWAY_KM = 100.0

Progress = Callable[[int, int], None]


def parse_file(data: bytes, *, name: str, format: str, mapping: dict | None = None) -> Parsed:
    """Parse a whole file into incidents or area counts and rejections, or raise ImportFileError."""
    if format not in ImportFormat.values:
        raise ImportFileError(
            f"Unknown format {format!r}; choose one of {', '.join(ImportFormat.values)}."
        )
    text = decode(data, name=name)
    if format == ImportFormat.POLICE_UK:
        parsed = police_uk.parse(text, name=name)
    elif format == ImportFormat.NL_POLICE:
        parsed = nl_police.parse(text, name=name)
    else:
        if not mapping:
            raise ImportFileError(f"The {format} format needs a column mapping.")
        columns = generic.Mapping.from_dict(mapping)
        parse = generic.parse_csv if format == ImportFormat.CSV else generic.parse_geojson
        parsed = parse(text, name=name, mapping=columns)
    if parsed.rows == 0:
        raise ImportFileError(f"{name} has a header but no data rows.")
    reject_far_away(parsed, max_km=FAR_AWAY_KM)
    return parsed


def parse_mapping(text: str, *, name: str) -> dict:
    """A mapping file in JSON or YAML, by its extension."""
    import yaml

    try:
        if name.lower().endswith((".yaml", ".yml")):
            mapping = yaml.safe_load(text) or {}
        else:
            mapping = json.loads(text)
    except (ValueError, yaml.YAMLError) as error:
        raise ImportFileError(f"The mapping file {name} cannot be read: {error}") from None
    if not isinstance(mapping, dict):
        raise ImportFileError(f"The mapping file {name} must hold an object of column names.")
    return mapping


def import_run_create(
    *,
    organisation: Organisation,
    actor: AbstractBaseUser | None,
    file_name: str,
    data: bytes | None,
    format: str,
    mapping: dict | None = None,
) -> ImportRun:
    """A queued import run; ``data`` is kept as the run's file for a background worker."""
    run = ImportRun(
        organisation=organisation,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        file_name=file_name[:255],
        format=format,
        mapping=mapping or {},
    )
    if data is not None:
        run.source.save(Path(file_name).name, ContentFile(data), save=False)
    run.save()
    return run


def _fail(run: ImportRun, message: str) -> ImportRun:
    run.status = ImportStatus.FAILED
    run.message = message
    run.imported = run.no_location = run.duplicates = run.processed = 0
    run.finished_at = timezone.now()
    run.save()
    return run


def _projection(organisation: Organisation, parsed: Parsed) -> int | None:
    if organisation.projection_epsg is None:
        located = [(i.lon, i.lat) for i in parsed.incidents if i.lon is not None]
        if not located:
            return None
        lon, lat = np.median(np.array(located), axis=0)
        organisation.projection_epsg = utm_epsg(float(lon), float(lat))
        organisation.save(update_fields=["projection_epsg"])
    return organisation.projection_epsg


def _incident_objects(run: ImportRun, parsed: Parsed) -> list[Incident]:
    epsg = _projection(run.organisation, parsed)
    located = [i for i in parsed.incidents if i.lon is not None]
    xy = {}
    if located and epsg:
        points = project_lonlat([i.lon for i in located], [i.lat for i in located], epsg=epsg)
        xy = {
            i.row: (float(x), float(y)) for i, x, y in zip(located, points.x, points.y, strict=True)
        }
    tz = timezone.get_current_timezone()
    return [
        Incident(
            organisation=run.organisation,
            import_run=run,
            source_row=i.row,
            fingerprint=i.fingerprint,
            source_id=i.source_id[:100],
            occurred_on=i.occurred_on,
            occurred_at=timezone.make_aware(i.occurred_at, tz) if i.occurred_at else None,
            precision=i.precision,
            category=i.category,
            source_category=i.source_category[:200],
            lon=i.lon,
            lat=i.lat,
            x=xy.get(i.row, (None, None))[0],
            y=xy.get(i.row, (None, None))[1],
            area_code=i.area_code[:30],
            area_name=i.area_name[:200],
            location_text=i.location_text[:300],
            outcome=i.outcome[:200],
        )
        for i in parsed.incidents
    ]


def _area_count_objects(run: ImportRun, parsed: Parsed) -> list[AreaCount]:
    return [
        AreaCount(
            organisation=run.organisation,
            import_run=run,
            source_row=c.row,
            fingerprint=c.fingerprint,
            period=c.period,
            period_start=c.period_start,
            area_code=c.area_code,
            offence_code=c.offence_code,
            offence_label=c.offence_label,
            category=c.category,
            count=c.count,
            withheld=c.withheld,
        )
        for c in parsed.area_counts
    ]


def _batches(items: list, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def import_run_execute(
    *, run: ImportRun, data: bytes | None = None, progress: Progress | None = None
) -> ImportRun:
    """Parse and write one import; on any failure nothing of it stays in the database."""
    organisation = run.organisation
    run.status = ImportStatus.RUNNING
    run.save(update_fields=["status"])
    try:
        if data is None:
            check_size(run.source.size, name=run.file_name, max_bytes=DEFAULT_MAX_BYTES)
            with run.source.open("rb") as handle:
                data = handle.read()
        parsed = parse_file(data, name=run.file_name, format=run.format, mapping=run.mapping)
    except ImportFileError as error:
        return _fail(run, str(error))

    run.rows = parsed.rows
    run.rejected = len(parsed.rejections)
    run.save(update_fields=["rows", "rejected"])
    RejectedRow.objects.bulk_create(
        [
            RejectedRow(
                organisation=organisation,
                run=run,
                row=r.row,
                field=r.field[:100],
                reason=r.reason,
                raw=r.raw,
            )
            for r in parsed.rejections
        ],
        batch_size=BATCH,
    )
    model = AreaCount if run.format == ImportFormat.NL_POLICE else Incident
    objects = (
        _area_count_objects(run, parsed) if model is AreaCount else _incident_objects(run, parsed)
    )
    manager = model.objects.with_scope(organisation=organisation)
    run.processed = run.rejected
    try:
        # Each batch commits, so the page can show progress; a failure removes them all.
        for batch in _batches(objects, BATCH):
            with transaction.atomic():
                known = set(
                    manager.filter(fingerprint__in=[o.fingerprint for o in batch]).values_list(
                        "fingerprint", flat=True
                    )
                )
                new = [o for o in batch if o.fingerprint not in known]
                manager.bulk_create(new, batch_size=BATCH)
                run.imported += len(new)
                run.duplicates += len(batch) - len(new)
                if model is Incident:
                    run.no_location += sum(1 for o in new if o.lon is None)
                run.processed += len(batch)
                run.save(update_fields=["imported", "duplicates", "no_location", "processed"])
            if progress:
                progress(run.processed, run.rows)
    except Exception as error:
        manager.filter(import_run=run).delete()
        _fail(run, f"The import stopped and was undone: {error}")
        raise
    run.status = ImportStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    audit_record(
        actor=run.created_by,
        organisation=organisation,
        action=AuditAction.CREATE,
        target=run,
        detail=import_summary(run),
    )
    return run


def import_summary(run: ImportRun) -> dict:
    return {
        "rows": run.rows,
        "imported": run.imported,
        "no_location": run.no_location,
        "rejected": run.rejected,
        "duplicates": run.duplicates,
        "status": run.status,
    }
