"""The neighbourhoods of an organisation: codes, names, inhabitants and boundaries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from secu4all.common.tenancy import OrganisationOwned


class Area(OrganisationOwned):
    """A neighbourhood or statistical area, with the population that turns counts into rates."""

    code = models.CharField(_("area code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    population = models.PositiveIntegerField(_("inhabitants"), null=True, blank=True)
    # GeoJSON Polygon or MultiPolygon in WGS 84, as statistical offices publish them.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        # The table was created when areas belonged to incidents; it keeps its name and rows.
        db_table = "incidents_area"
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unique_area_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
