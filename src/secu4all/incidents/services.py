"""Importing incident files: parse everything, then write in batches, nothing lost or half-kept."""

from __future__ import annotations

import gc
import io
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import numpy as np
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_record
from secu4all.common.files import ImportFileError, Rejection, check_size, decode
from secu4all.common.safe_yaml import MAX_BYTES as MAPPING_MAX_BYTES
from secu4all.common.safe_yaml import load_user_yaml
from secu4all.common.uploads import field_file_save, storage_save
from secu4all.engines.spatial.grid import project_lonlat, utm_epsg
from secu4all.incidents import counts
from secu4all.incidents.analyses import incidents_changed
from secu4all.incidents.importers import assistant, generic, nl_police, police_uk
from secu4all.incidents.importers.base import (
    AreaCountRow,
    DateRange,
    Fingerprinter,
    IncidentRow,
    Parsed,
    reject_far_away,
)
from secu4all.incidents.importers.columnar import BlockReader
from secu4all.incidents.models import (
    AreaCount,
    ImportFormat,
    ImportRun,
    ImportStatus,
    Incident,
    RejectedRow,
)
from secu4all.neighbourhoods.selectors import area_names
from secu4all.neighbourhoods.services import area_locator, points_by_area
from secu4all.organisations.models import Organisation

FAR_AWAY_KM = 100.0
logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


def parse_file(data: bytes, *, name: str, format: str, mapping: dict | None = None) -> Parsed:
    """Parse a whole file into incidents or area counts and rejections, or raise ImportFileError."""
    whole = Parsed()
    for parsed in parsed_blocks(io.BytesIO(data), name=name, format=format, mapping=mapping):
        whole.rows += parsed.rows
        whole.incidents += parsed.incidents
        whole.area_counts += parsed.area_counts
        whole.rejections += parsed.rejections
    return whole


def parsed_blocks(
    stream: BinaryIO, *, name: str, format: str, mapping: dict | None = None
) -> Iterator[Parsed]:
    """The file's rows parsed block by block, far-away points rejected; ImportFileError when
    the file cannot be imported (raised by the first block, or by a later one that is not
    text like the first).

    police.uk files are streamed, so memory holds one block whatever the file's size; the
    other formats are parsed whole, in one block.
    """
    if format not in ImportFormat.values:
        raise ImportFileError(
            f"Unknown format {format!r}; choose one of {', '.join(ImportFormat.values)}."
        )
    dates = plausible_dates()
    if format == ImportFormat.POLICE_UK:
        reader = BlockReader(
            stream,
            name=name,
            required=police_uk.REQUIRED,
            block_bytes=settings.SECU4ALL_IMPORT_BLOCK_BYTES,
        )
        fingerprint = Fingerprinter("police-uk")
        blocks = (
            police_uk.parse_block(block, header=reader.header, dates=dates, fingerprint=fingerprint)
            for block in reader.blocks()
        )
    else:
        blocks = iter([_parse_whole(stream.read(), name=name, format=format, mapping=mapping)])
    rows = 0
    centre = None
    for parsed in blocks:
        rows += parsed.rows
        # Measured from the first block's incidents: a file is one municipality's.
        centre = reject_far_away(parsed, max_km=FAR_AWAY_KM, centre=centre)
        yield parsed
    if rows == 0:
        raise ImportFileError(f"{name} has a header but no data rows.")


def _parse_whole(data: bytes, *, name: str, format: str, mapping: dict | None) -> Parsed:
    text = decode(data, name=name)
    dates = plausible_dates()
    if format == ImportFormat.NL_POLICE:
        return nl_police.parse(text, name=name, dates=dates)
    if not mapping:
        raise ImportFileError(f"The {format} format needs a column mapping.")
    columns = generic.Mapping.from_dict(mapping)
    parse = generic.parse_csv if format == ImportFormat.CSV else generic.parse_geojson
    return parse(text, name=name, mapping=columns, dates=dates)


def plausible_dates() -> DateRange:
    """The dates imports accept, from the settings: by default 1990 to a month from today."""
    return DateRange.plausible(
        today=timezone.localdate(),
        earliest=settings.SECU4ALL_IMPORT_EARLIEST_DATE,
        months_ahead=settings.SECU4ALL_IMPORT_MONTHS_AHEAD,
    )


def parse_mapping(text: str, *, name: str) -> dict:
    """A mapping file in JSON or YAML, by its extension; bounded in size and nesting."""
    try:
        if name.lower().endswith((".yaml", ".yml")):
            mapping = load_user_yaml(text, name=name) or {}
        else:
            if len(text.encode()) > MAPPING_MAX_BYTES:
                raise ImportFileError(
                    _("The mapping file %(name)s is larger than %(max)s bytes.")
                    % {"name": name, "max": f"{MAPPING_MAX_BYTES:,}"}
                )
            mapping = json.loads(text)
    except (ValueError, RecursionError) as error:
        # RecursionError: JSON nested thousands of levels deep.
        reason = error if isinstance(error, ValueError) else _("it is nested too deeply")
        raise ImportFileError(
            _("The mapping file %(name)s cannot be read: %(reason)s")
            % {"name": name, "reason": reason}
        ) from None
    if not isinstance(mapping, dict):
        raise ImportFileError(
            _("The mapping file %(name)s must hold an object of column names.") % {"name": name}
        )
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
        heartbeat_at=timezone.now(),
    )
    if data is not None:
        field_file_save(run.source, Path(file_name).name, ContentFile(data, name=file_name))
    run.save()
    return run


# --- the mapping assistant: a CSV file waits beside its proposed mapping until confirmed ---

DRAFT_SALT = "secu4all.incidents.import-draft"
DRAFT_MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class ImportDraft:
    """An uploaded CSV file waiting for its mapping, and what its header proposes."""

    token: str  # signed: names the stored file, the organisation and the user
    file_name: str
    reading: assistant.HeaderReading


def _draft_path(organisation: Organisation, key: str) -> str:
    return f"import-drafts/{organisation.pk}/{key}.csv"


def _drafts_expire(organisation: Organisation) -> None:
    """Drafts nobody confirmed within a day are removed, so files do not pile up."""
    folder = f"import-drafts/{organisation.pk}"
    if not default_storage.exists(folder):
        return
    oldest = timezone.now() - DRAFT_MAX_AGE
    for name in default_storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < oldest:
            default_storage.delete(path)


def import_draft_create(
    *, organisation: Organisation, actor: AbstractBaseUser, data: bytes, file_name: str
) -> ImportDraft:
    """Keep an uploaded CSV file and read its header; ``ImportFileError`` if it cannot be read."""
    check_size(len(data), name=file_name)
    reading = assistant.read_header(data, name=file_name)
    _drafts_expire(organisation)
    key = uuid.uuid4().hex
    storage_save(default_storage, _draft_path(organisation, key), ContentFile(data, name=file_name))
    token = signing.dumps(
        {"o": organisation.pk, "u": actor.pk, "k": key, "n": file_name[:255]}, salt=DRAFT_SALT
    )
    return ImportDraft(token=token, file_name=file_name, reading=reading)


def _draft_file(
    *, organisation: Organisation, actor: AbstractBaseUser, token: str
) -> tuple[str, str, bytes]:
    """The stored path, the file's name and its bytes for a token of this organisation and user.

    Raises ``ImportFileError`` when the token is forged, is another's, has expired or its file
    is gone."""
    expired = ImportFileError(_("The uploaded file has expired; upload it again."))
    try:
        signed = signing.loads(token, salt=DRAFT_SALT, max_age=DRAFT_MAX_AGE)
    except signing.BadSignature:
        raise expired from None
    path = _draft_path(organisation, str(signed.get("k", "")))
    mine = signed.get("o") == organisation.pk and signed.get("u") == actor.pk
    if not mine or not default_storage.exists(path):
        raise expired
    with default_storage.open(path, "rb") as stored:
        return path, str(signed["n"]), stored.read()


def import_draft_read(
    *, organisation: Organisation, actor: AbstractBaseUser, token: str
) -> ImportDraft:
    """The draft a token names, read again (see ``_draft_file`` for what is refused)."""
    _path, name, data = _draft_file(organisation=organisation, actor=actor, token=token)
    return ImportDraft(token=token, file_name=name, reading=assistant.read_header(data, name=name))


def import_draft_confirm(
    *, organisation: Organisation, actor: AbstractBaseUser, token: str, mapping: dict
) -> ImportRun:
    """Queue the draft's file as a CSV import with the confirmed mapping, then drop the draft.

    The mapping is checked first, so a wrong one is said on the form, not by a failed run."""
    path, name, data = _draft_file(organisation=organisation, actor=actor, token=token)
    generic.Mapping.from_dict(mapping)
    run = import_run_create(
        organisation=organisation,
        actor=actor,
        file_name=name,
        data=data,
        format=ImportFormat.CSV,
        mapping=mapping,
    )
    transaction.on_commit(lambda: default_storage.delete(path))
    return run


def _written_rows(run: ImportRun) -> models.QuerySet:
    model = AreaCount if run.format == ImportFormat.NL_POLICE else Incident
    return model.objects.with_scope(organisation=run.organisation).filter(import_run=run)


def _fail(run: ImportRun, message: str) -> ImportRun:
    """End this attempt failed with its message, removing what the run wrote; a run another
    worker has taken over in the meantime is left to that worker."""
    taken = (
        ImportRun.objects.with_scope(organisation=run.organisation)
        .filter(pk=run.pk, status=ImportStatus.RUNNING, attempts=run.attempts)
        .update(status=ImportStatus.FAILED)
    )
    if not taken:
        return _superseded(run)
    return import_run_undo(run, message)


def import_run_undo(run: ImportRun, message: str) -> ImportRun:
    """Remove the rows the run wrote, in every attempt, and record it failed with why."""
    with transaction.atomic():
        counts.remove(_written_rows(run), run.organisation)
        _written_rows(run).delete()
        incidents_changed(organisation=run.organisation)
    run.status = ImportStatus.FAILED
    run.message = message
    run.imported = run.no_location = run.duplicates = run.processed = 0
    run.finished_at = timezone.now()
    run.save()
    return run


# The runs this process is executing now, which its own watch must not take for lost.
_running_here: set[int] = set()


def _claim(run: ImportRun) -> bool:
    """Mark a queued run as running in this worker; False when another has it or it ended.

    One conditional UPDATE, so two workers handed the same run (a run queued again while
    its first worker was only slow) never import it side by side.
    """
    claimed = (
        ImportRun.objects.with_scope(organisation=run.organisation)
        .filter(pk=run.pk, status=ImportStatus.QUEUED)
        .update(
            status=ImportStatus.RUNNING,
            heartbeat_at=timezone.now(),
            attempts=models.F("attempts") + 1,
        )
    )
    run.refresh_from_db()
    return bool(claimed)


def _projection(organisation: Organisation, parsed: Parsed) -> int | None:
    if organisation.projection_epsg is None:
        located = [(i.lon, i.lat) for i in parsed.incidents if i.lon is not None]
        if not located:
            return None
        lon, lat = np.median(np.array(located), axis=0)
        organisation.projection_epsg = utm_epsg(float(lon), float(lat))
        organisation.save(update_fields=["projection_epsg"])
    return organisation.projection_epsg


INCIDENT_FIELDS = (
    "organisation",
    "import_run",
    "source_row",
    "fingerprint",
    "source_id",
    "occurred_on",
    "occurred_at",
    "precision",
    "month",
    "weekday",
    "hour",
    "category",
    "source_category",
    "lon",
    "lat",
    "x",
    "y",
    "area_code",
    "area_name",
    "location_text",
    "outcome",
)
AREA_COUNT_FIELDS = (
    "organisation",
    "import_run",
    "source_row",
    "fingerprint",
    "period",
    "period_start",
    "area_code",
    "offence_code",
    "offence_label",
    "category",
    "count",
    "withheld",
)


class _UtcConverter:
    """Local wall-clock times to the database's UTC value, with the offset cached per hour.

    A zone's offset only changes on the hour (DST), so one lookup per date and hour
    serves every incident in it; converting each of a million times alone costs seconds.
    """

    def __init__(self) -> None:
        self.tz = timezone.get_current_timezone()
        self.offsets: dict[tuple, timedelta] = {}
        self.sqlite = connection.vendor == "sqlite"

    def __call__(self, moment: datetime | None) -> object:
        if moment is None:
            return None
        key = (moment.year, moment.month, moment.day, moment.hour)
        offset = self.offsets.get(key)
        if offset is None:
            offset = timezone.make_aware(moment.replace(minute=0, second=0), self.tz).utcoffset()
            self.offsets[key] = offset
        utc = moment - offset
        return utc.isoformat(sep=" ") if self.sqlite else utc.replace(tzinfo=UTC)


def _incident_values(run: ImportRun, rows: list[IncidentRow], epsg: int | None) -> list[tuple]:
    """Database-ready tuples in the order of INCIDENT_FIELDS, projected in one call."""
    adapt = connection.ops.adapt_datefield_value
    # Dates repeat (a month-precision file has a few dozen): one conversion per distinct day.
    days = {i.occurred_on for i in rows}
    day_value = {day: adapt(day) for day in days}
    month_value = {day: adapt(day.replace(day=1)) for day in days}
    x: list[float | None] = [None] * len(rows)
    y: list[float | None] = [None] * len(rows)
    located = [n for n, i in enumerate(rows) if i.lon is not None]
    if located and epsg:
        points = project_lonlat(
            [rows[n].lon for n in located], [rows[n].lat for n in located], epsg=epsg
        )
        for n, px, py in zip(located, points.x.tolist(), points.y.tolist(), strict=True):
            x[n], y[n] = px, py
    to_utc = _UtcConverter()
    organisation_id, run_id = run.organisation_id, run.pk
    return [
        (
            organisation_id,
            run_id,
            i.row,
            i.fingerprint,
            i.source_id[:100],
            day_value[i.occurred_on],
            to_utc(i.occurred_at) if i.occurred_at else None,
            i.precision,
            month_value[i.occurred_on],
            i.occurred_at.isoweekday() if i.occurred_at else None,
            i.occurred_at.hour if i.occurred_at else None,
            i.category,
            i.source_category[:200],
            i.lon,
            i.lat,
            px,
            py,
            i.area_code[:30],
            i.area_name[:200],
            i.location_text[:300],
            i.outcome[:200],
        )
        for i, px, py in zip(rows, x, y, strict=True)
    ]


def _placed_in_areas(organisation: Organisation, rows: list[IncidentRow]) -> list[IncidentRow]:
    """Located incidents the file gives no area get the neighbourhood whose boundary holds
    them; an area named in the file is kept as the source has it."""
    missing = [n for n, row in enumerate(rows) if not row.area_code and row.lon is not None]
    if not missing:
        return rows
    locator = area_locator(organisation=organisation)
    if not locator:
        return rows
    codes = locator.codes_at([rows[n].lon for n in missing], [rows[n].lat for n in missing])
    rows = list(rows)
    for n, code in zip(missing, codes, strict=True):
        if code:
            rows[n] = rows[n]._replace(area_code=code, area_name=locator.names[code])
    return rows


def incidents_place_in_areas(*, organisation: Organisation) -> int:
    """Place the located incidents that have no area in the neighbourhood whose boundary
    holds them, after boundaries were imported. Returns how many were placed."""
    unplaced = Incident.objects.with_scope(organisation=organisation).filter(
        area_code="", lon__isnull=False, lat__isnull=False
    )
    points = unplaced.values_list("pk", "lon", "lat").order_by().iterator()
    names = area_names(organisation=organisation)
    placed = 0
    for code, pks in points_by_area(organisation=organisation, points=points).items():
        if not code:
            continue
        # Bounded lists of ids: SQLite allows some tens of thousands of query parameters.
        for chunk in _batches(pks, 5000):
            unplaced.filter(pk__in=chunk).update(area_code=code, area_name=names[code])
        placed += len(pks)
    if placed:
        counts.rebuild_areas(organisation)
        incidents_changed(organisation=organisation)
    return placed


def on_boundaries_changed(sender: object, *, organisation: Organisation, **kwargs: object) -> None:
    """Receiver of ``neighbourhoods.signals.boundaries_changed``."""
    incidents_place_in_areas(organisation=organisation)


def _area_count_values(run: ImportRun, rows: list[AreaCountRow]) -> list[tuple]:
    ops = connection.ops
    return [
        (
            run.organisation_id,
            run.pk,
            c.row,
            c.fingerprint,
            c.period,
            ops.adapt_datefield_value(c.period_start),
            c.area_code,
            c.offence_code,
            c.offence_label,
            c.category,
            c.count,
            c.withheld,
        )
        for c in rows
    ]


def known_fingerprints(
    model: type[models.Model], organisation: Organisation, fingerprints: list[str]
) -> dict[str, int]:
    """Which of these fingerprints the organisation already has, each with the import run
    that wrote it (one indexed query)."""
    table = connection.ops.quote_name(model._meta.db_table)
    known: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: a 20,000-item IN list costs PostgreSQL seconds to plan.
            cursor.execute(
                f"SELECT fingerprint, import_run_id FROM {table} "  # noqa: S608
                "WHERE organisation_id = %s AND fingerprint = ANY(%s)",
                [organisation.pk, fingerprints],
            )
            return dict(cursor.fetchall())
        # SQLite allows at most 32,766 parameters in one statement.
        for start in range(0, len(fingerprints), 30000):
            part = fingerprints[start : start + 30000]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"SELECT fingerprint, import_run_id FROM {table} "  # noqa: S608
                f"WHERE organisation_id = %s AND fingerprint IN ({marks})",
                [organisation.pk, *part],
            )
            known.update(cursor.fetchall())
    return known


def insert_rows(model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Write many rows at once: COPY on PostgreSQL, one prepared INSERT elsewhere.

    The ORM's bulk_create compiles every value of every row in Python, which costs more
    than the database itself at a million rows.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in fields
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def _batches(items: list, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def import_run_execute(
    *, run: ImportRun, data: bytes | None = None, progress: Progress | None = None
) -> ImportRun:
    """Parse and write one queued import, in committed batches; it ends done or failed.

    Any error ends the run failed with its message and removes what it wrote. A run taken
    up again after its worker was killed resumes: rows an earlier attempt committed are
    found by their fingerprints, counted as imported and not written twice.
    """
    if not _claim(run):
        return run
    _running_here.add(run.pk)
    try:
        return _execute_claimed(run, data, progress)
    finally:
        _running_here.discard(run.pk)


def _execute_claimed(run: ImportRun, data: bytes | None, progress: Progress | None) -> ImportRun:
    organisation = run.organisation
    model = AreaCount if run.format == ImportFormat.NL_POLICE else Incident
    try:
        with ExitStack() as stack:
            stream = stack.enter_context(closing(_source(run, data)))
            run.rows = _data_lines(stream)  # an estimate for the progress; exact at the end
            run.rejected = run.imported = run.no_location = run.duplicates = run.processed = 0
            with transaction.atomic():
                if not _save_owned(
                    run, "rows", "rejected", "imported", "no_location", "duplicates", "processed"
                ):
                    return _superseded(run)
                # A resumed run writes its rejections again, from this parse.
                RejectedRow.objects.with_scope(organisation=organisation).filter(run=run).delete()
            if connection.vendor == "sqlite":
                # Random fingerprints land all over the unique index: a page cache that holds
                # it keeps a million-row import from waiting on the disk.
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA cache_size=-524288")
            rows = 0
            # Millions of row tuples made and dropped would set off the cyclic collector
            # every few hundred allocations, re-scanning all that is alive; they form no cycles.
            stack.enter_context(_cyclic_gc_paused())
            blocks = parsed_blocks(
                stream, name=run.file_name, format=run.format, mapping=run.mapping
            )
            for parsed in _read_guarded(blocks, run):
                rows += parsed.rows
                _write_block(run, model, parsed, progress)
    except ImportFileError as error:
        return _fail(run, str(error))
    except _SupersededError:
        return _superseded(run)
    except Exception as error:
        _fail(run, f"The import stopped and was undone: {error}")
        raise
    _refresh_statistics(model)
    run.rows = rows
    run.status = ImportStatus.DONE
    run.finished_at = timezone.now()
    run.message = ""
    if not _save_owned(run, "rows", "status", "finished_at", "message"):
        return _superseded(run)
    incidents_changed(organisation=organisation)
    audit_record(
        actor=run.created_by,
        organisation=organisation,
        action=AuditAction.CREATE,
        target=run,
        detail=import_summary(run),
    )
    return run


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _source(run: ImportRun, data: bytes | None) -> BinaryIO:
    """The file to import: the bytes given, else the run's stored file, read as a stream."""
    if data is not None:
        check_size(len(data), name=run.file_name, max_bytes=settings.SECU4ALL_IMPORT_MAX_BYTES)
        return io.BytesIO(data)
    try:
        check_size(
            run.source.size, name=run.file_name, max_bytes=settings.SECU4ALL_IMPORT_MAX_BYTES
        )
        return run.source.open("rb")
    except OSError as error:
        raise _unreadable(run, error) from None


def _unreadable(run: ImportRun, error: OSError) -> ImportFileError:
    # A worker on another machine without the shared media directory lands here.
    return ImportFileError(
        _(
            "The uploaded file %(name)s cannot be read by the worker (%(error)s). "
            "Workers on other machines need the data directory's media folder shared."
        )
        % {"name": run.file_name, "error": error.strerror or error}
    )


def _data_lines(stream: BinaryIO) -> int:
    """The lines after the header, counted in chunks: the rows to expect, for the progress."""
    lines = 0
    while chunk := stream.read(64 * 1024**2):
        lines += chunk.count(b"\n")
    stream.seek(0)
    return max(lines - 1, 0)


def _read_guarded(blocks: Iterator[Parsed], run: ImportRun) -> Iterator[Parsed]:
    """The blocks, with any fault in reading or parsing them turned into ImportFileError."""
    while True:
        try:
            parsed = next(blocks)
        except StopIteration:
            return
        except ImportFileError:
            raise
        except OSError as error:
            raise _unreadable(run, error) from None
        except Exception as error:
            # A fault in a parser must end the run with its message, never leave it running.
            logger.exception("Import run %s: the file could not be parsed", run.pk)
            raise ImportFileError(
                _("The file %(name)s could not be read: %(error)s")
                % {"name": run.file_name, "error": f"{type(error).__name__}: {error}"}
            ) from None
        yield parsed


def _write_block(
    run: ImportRun, model: type[models.Model], parsed: Parsed, progress: Progress | None
) -> None:
    """Write a parsed block in committed batches, its rejections with the first batch.

    Each batch commits with the counts, so the page shows progress and a worker that takes
    the run up again knows where it stands; a failure removes them all. Rows are converted
    per batch, so memory stays flat for large files.
    """
    organisation = run.organisation
    epsg = None
    if model is Incident:
        epsg = _projection(organisation, parsed)
        parsed.incidents = _placed_in_areas(organisation, parsed.incidents)
    rows = parsed.area_counts if model is AreaCount else parsed.incidents
    rejections = parsed.rejections
    for chunk in _batches(rows, settings.SECU4ALL_IMPORT_BATCH_ROWS) if rows else [[]]:
        _write_batch(run, model, chunk, rejections, epsg)
        rejections = []
        if progress:
            progress(run.processed, run.rows)


def _write_batch(
    run: ImportRun,
    model: type[models.Model],
    chunk: list,
    rejections: list[Rejection],
    epsg: int | None,
) -> None:
    """One committed batch: its rows (those not yet in the organisation), its rejections and
    the run's counts. Everything a batch of an import writes is written here."""
    organisation = run.organisation
    with transaction.atomic():
        RejectedRow.objects.bulk_create(
            RejectedRow(
                organisation=organisation,
                run=run,
                row=r.row,
                field=r.field[:100],
                reason=r.reason,
                raw=r.raw,
            )
            for r in rejections
        )
        known = known_fingerprints(model, organisation, [r.fingerprint for r in chunk])
        new = [r for r in chunk if r.fingerprint not in known]
        # Written by an earlier attempt of this very run: imported, not duplicates.
        resumed = [r for r in chunk if known.get(r.fingerprint) == run.pk]
        if model is AreaCount:
            insert_rows(model, AREA_COUNT_FIELDS, _area_count_values(run, new))
        else:
            written_after = counts.last_id()
            insert_rows(model, INCIDENT_FIELDS, _incident_values(run, new, epsg))
            # The counts change in the batch's own transaction (incidents.counts).
            counts.add(organisation, run, written_after)
            run.no_location += sum(1 for r in (*new, *resumed) if r.lon is None)
        run.imported += len(new) + len(resumed)
        run.duplicates += len(chunk) - len(new) - len(resumed)
        run.rejected += len(rejections)
        run.processed += len(chunk) + len(rejections)
        run.rows = max(run.rows, run.processed)
        fields = ("rows", "imported", "duplicates", "no_location", "rejected", "processed")
        if not _save_owned(run, *fields):
            raise _SupersededError


class _SupersededError(Exception):
    """The run was taken from this worker (queued again as stalled): it stops here."""


def _save_owned(run: ImportRun, *fields: str) -> bool:
    """Save these fields and a heartbeat, if the run is still this attempt's to run.

    A worker judged stalled and replaced by another one must not write on: the attempt
    number is its ticket, and only the run's latest attempt holds a valid one.
    """
    run.heartbeat_at = timezone.now()
    values = {name: getattr(run, name) for name in (*fields, "heartbeat_at")}
    owned = (
        ImportRun.objects.with_scope(organisation=run.organisation)
        .filter(pk=run.pk, status=ImportStatus.RUNNING, attempts=run.attempts)
        .update(**values)
    )
    return bool(owned)


def _superseded(run: ImportRun) -> ImportRun:
    logger.warning("Import run %s was taken up by another worker; this one stops.", run.pk)
    run.refresh_from_db()
    return run


def import_run_is_running_here(pk: int) -> bool:
    """Whether this very process is executing the run (alive, only slow), so not lost."""
    return pk in _running_here


def import_run_claim_stale(run: ImportRun, now: datetime, status: str) -> bool:
    """Whether this process won the stale run (heartbeat unchanged since it was read)."""
    taken = ImportRun.objects.filter(
        pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
    ).update(status=status, heartbeat_at=now)
    run.status, run.heartbeat_at = status, now
    return bool(taken)


def _refresh_statistics(model: type[models.Model]) -> None:
    """After a bulk load PostgreSQL needs fresh statistics, and a vacuum for index-only
    scans; VACUUM cannot run inside a transaction, so there it only analyses."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {table}")


def import_summary(run: ImportRun) -> dict:
    return {
        "rows": run.rows,
        "imported": run.imported,
        "no_location": run.no_location,
        "rejected": run.rejected,
        "duplicates": run.duplicates,
        "status": run.status,
    }


class ImportRunInProgressError(Exception):
    """An import still queued or running cannot be deleted: its worker would write into it."""


@transaction.atomic
def import_run_delete(*, actor: AbstractBaseUser | None, run: ImportRun) -> dict[str, int]:
    """Delete an import run with the incidents, area counts and rejected rows it brought.

    The audit record keeps the file name and what was deleted; the uploaded file is
    removed once the deletion is committed. Returns the deleted counts.
    """
    if run.status in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
        raise ImportRunInProgressError(
            _("The import of %(file)s has not ended yet; delete it once it has finished or failed.")
            % {"file": run.file_name}
        )
    organisation = run.organisation
    incidents = Incident.objects.with_scope(organisation=organisation).filter(import_run=run)
    area_counts = AreaCount.objects.with_scope(organisation=organisation).filter(import_run=run)
    deleted = {
        "incidents": incidents.count(),
        "area_counts": area_counts.count(),
        "rejected_rows": RejectedRow.objects.with_scope(organisation=organisation)
        .filter(run=run)
        .count(),
    }
    audit_record(
        actor=actor,
        organisation=organisation,
        action=AuditAction.DELETE,
        target=run,
        detail={"file": run.file_name, "format": run.format, "status": run.status, **deleted},
    )
    counts.remove(incidents, organisation)
    incidents.delete()
    area_counts.delete()
    incidents_changed(organisation=organisation)
    source = run.source.name
    storage = run.source.storage
    run.delete()
    if source:
        transaction.on_commit(lambda: storage.delete(source))
    return deleted
