"""Incidents as points, counts per area and period, and the import runs that brought them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secu4all.common.tenancy import OrganisationOwned
from secu4all.incidents.taxonomy import Category
from secu4all.organisations.models import Organisation


class ImportFormat(models.TextChoices):
    POLICE_UK = "police-uk", _("data.police.uk street-level CSV")
    CSV = "csv", _("CSV with a column mapping")
    GEOJSON = "geojson", _("GeoJSON with a property mapping")
    NL_POLICE = "nl-police", _("Dutch police counts per neighbourhood")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Precision(models.TextChoices):
    MONTH = "month", _("Month only")
    DAY = "day", _("Day")
    MINUTE = "minute", _("Date and time")


def import_upload_path(run: ImportRun, filename: str) -> str:
    return f"imports/{run.organisation.slug}/{filename}"


class ImportRun(OrganisationOwned):
    """One file imported: its counts always add up to the rows in the file."""

    file_name = models.CharField(_("file"), max_length=255)
    source = models.FileField(_("uploaded file"), upload_to=import_upload_path, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=ImportFormat.choices)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    message = models.TextField(_("message"), blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    no_location = models.PositiveIntegerField(_("without location"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    duplicates = models.PositiveIntegerField(_("already there"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Renewed when the run is queued and at every committed batch: a run whose heartbeat
    # is older than SECU4ALL_IMPORT_STALE_SECONDS has lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_format_display()})"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.rows) if self.rows else 0

    @property
    def is_stalled(self) -> bool:
        """Queued or running, yet without a sign of life for longer than the stale timeout."""
        if self.status not in {ImportStatus.QUEUED, ImportStatus.RUNNING}:
            return False
        timeout = timedelta(seconds=settings.SECU4ALL_IMPORT_STALE_SECONDS)
        return self.last_sign_of_life < timezone.now() - timeout

    @property
    def last_sign_of_life(self) -> datetime:
        # Runs from before heartbeats were kept count from when they were created.
        return self.heartbeat_at or self.created_at


class RejectedRow(OrganisationOwned):
    """A row that could not be imported, kept with the reason so nothing is lost."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejections")
    row = models.PositiveIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=100)
    reason = models.TextField(_("reason"))
    raw = models.TextField(_("row as in the file"))

    class Meta:
        ordering = ["row"]


class Incident(OrganisationOwned):
    """One recorded crime or nuisance report; without location it still counts per area."""

    # Every index below starts with the organisation, so the foreign key needs none of
    # its own; each index kept off a million-row import saves seconds.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, verbose_name=_("organisation"), db_index=False
    )
    fingerprint = models.CharField(max_length=40)
    source_id = models.CharField(_("source id"), max_length=100, blank=True)
    occurred_on = models.DateField(_("date"))
    occurred_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    precision = models.CharField(_("precision"), max_length=10, choices=Precision.choices)
    # Derived at import, in the organisation's local time, so the overview groups by plain
    # columns instead of calling date functions on every row.
    month = models.DateField(_("month"))
    weekday = models.PositiveSmallIntegerField(_("weekday (1 = Monday)"), null=True, blank=True)
    hour = models.PositiveSmallIntegerField(_("hour"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    source_category = models.CharField(_("category in the source"), max_length=200)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    area_code = models.CharField(_("area code"), max_length=30, blank=True)
    area_name = models.CharField(_("area"), max_length=200, blank=True)
    location_text = models.CharField(_("location"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    source_row = models.PositiveIntegerField(_("row in the file"))

    class Meta:
        ordering = ["-occurred_on", "id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fingerprint"], name="unique_incident_per_organisation"
            )
        ]
        # The overview's three grouped scans read only these columns: covering indexes
        # keep them off the table itself.
        indexes = [
            models.Index(fields=["organisation", "category", "occurred_on"]),
            models.Index(
                fields=["organisation", "month", "weekday", "hour"], name="incident_time_profile"
            ),
            models.Index(fields=["organisation", "y", "x"], name="incident_cells"),
            models.Index(fields=["organisation", "area_code", "area_name"], name="incident_areas"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.occurred_on:%Y-%m-%d}"


class AreaCount(OrganisationOwned):
    """Recorded crime of one offence, in one area, in one period; withheld counts are None."""

    fingerprint = models.CharField(max_length=40)
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("period start"))
    area_code = models.CharField(_("area code"), max_length=30, db_index=True)
    offence_code = models.CharField(_("offence code"), max_length=20)
    offence_label = models.CharField(_("offence"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    withheld = models.BooleanField(_("withheld"), default=False)
    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    source_row = models.PositiveIntegerField(_("row in the file"))

    class Meta:
        ordering = ["period_start", "area_code", "offence_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fingerprint"], name="unique_area_count_per_organisation"
            )
        ]


# --- counts kept beside the incidents (see incidents.counts) -----------------------------


class IncidentCount(OrganisationOwned):
    """What every table of counts holds: ``n`` incidents of one organisation and category
    (the empty category counts all categories together)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category = models.CharField(max_length=30)
    n = models.IntegerField()

    class Meta:
        abstract = True


class IncidentCellCount(IncidentCount):
    """Located incidents of one category and month in one base cell of the grid."""

    month = models.DateField()
    # floor(y / BASE_CELL) and floor(x / BASE_CELL), anchored at the projection's origin.
    row = models.IntegerField()
    col = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "category", "row", "col"],
                name="unique_incident_cell_count",
            )
        ]


class IncidentCellTotal(IncidentCount):
    """Located incidents of one category in one base cell, over all time: the map without a
    date filter reads these instead of every month's cells."""

    row = models.IntegerField()
    col = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "category", "row", "col"],
                name="unique_incident_cell_total",
            )
        ]


class IncidentTimeCount(IncidentCount):
    """Incidents of one category and month at one weekday and hour (0 and 0: time unknown)."""

    month = models.DateField()
    weekday = models.SmallIntegerField()
    hour = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "category", "weekday", "hour"],
                name="unique_incident_time_count",
            )
        ]


class IncidentAreaCount(IncidentCount):
    """Incidents of one category and month carrying one area code (and name)."""

    month = models.DateField()
    area_code = models.CharField(max_length=30)
    area_name = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "category", "area_code", "area_name"],
                name="unique_incident_area_count",
            )
        ]


class CountedOrganisation(OrganisationOwned):
    """The organisations whose counts hold every incident: only theirs are read.

    An organisation without this mark is read from its rows, so incidents written other
    than by an import (or before counts existed) are never missed.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    built_at = models.DateTimeField(auto_now_add=True)
