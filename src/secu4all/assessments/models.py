"""Sites, their zones, and versioned assessments with the engine's result kept beside the input."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from secu4all.common.tenancy import OrganisationOwned
from secu4all.common.tlp import Tlp


class SiteKind(models.TextChoices):
    SQUARE = "square", _("Square")
    SHOPPING_STREET = "shopping-street", _("Shopping street")
    STADIUM = "stadium", _("Stadium")
    EVENT = "event", _("Event ground or temporary event")
    TRANSPORT_HUB = "transport-hub", _("Transport hub")
    MARKET = "market", _("Market")
    PLACE_OF_WORSHIP = "place-of-worship", _("Place of worship")
    SCHOOL = "school", _("School")
    PARK = "park", _("Park or promenade")
    NIGHTLIFE = "nightlife", _("Nightlife area")
    HOLIDAY_PARK = "holiday-park", _("Holiday park")
    GOVERNMENT = "government", _("Government building")


class Site(OrganisationOwned):
    """A public space, soft target or event that the organisation assesses."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=SiteKind.choices)
    country = models.CharField(_("country (ISO code)"), max_length=2, default="NL")
    capacity = models.PositiveIntegerField(_("peak occupancy"), null=True, blank=True)
    crowd_density = models.DecimalField(
        _("crowd density at peak (persons per m²)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    is_event = models.BooleanField(_("temporary event"), default=False)
    entry_checks = models.BooleanField(_("tickets or checks at entry"), default=False)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    area = models.JSONField(_("area (GeoJSON polygon)"), null=True, blank=True)
    opening_times = models.CharField(_("opening and event times"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The neighbourhood whose boundary holds the point, set on save and again when
    # boundaries are imported; empty where no boundary holds it.
    neighbourhood_code = models.CharField(_("neighbourhood code"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    @property
    def premises_type(self) -> str:
        """The Martyn's Law premises type the engine knows for this kind of site."""
        return {"place-of-worship": "place_of_worship", "school": "school"}.get(self.kind, "other")


class ZoneKind(models.TextChoices):
    ENTRANCE = "entrance", _("Entrance")
    QUEUE = "queue", _("Queue")
    GATHERING = "gathering", _("Gathering point")
    OTHER = "other", _("Other")


class SiteZone(OrganisationOwned):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=ZoneKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Assessment(OrganisationOwned):
    """One version of a site's assessment: the input as given and the result computed from it.

    Versions are never edited; a re-assessment is a new version, so the history shows
    what improved and what got worse.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="assessments")
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("input"))
    result = models.JSONField(_("result"))
    total_risk = models.FloatField(_("total risk"))
    incomplete = models.BooleanField(_("questionnaire incomplete"), default=False)
    tlp = models.CharField(_("TLP label"), max_length=20, choices=Tlp.choices, default=Tlp.AMBER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    created_at = models.DateTimeField(_("assessed at"), auto_now_add=True)

    class Meta:
        ordering = ["site", "-version"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["site", "version"], name="unique_assessment_version")
        ]

    def __str__(self) -> str:
        return f"{self.site} v{self.version}"


class MatrixSetting(OrganisationOwned):
    """The organisation's own likelihood × impact matrix: a preset with its own labels,
    colours and, optionally, thresholds on likelihood × impact."""

    preset = models.CharField(
        _("starting point"),
        max_length=30,
        default="iso_31000_5x5",
        choices=[("iso_31000_5x5", _("ISO 31000 5×5")), ("protect_uk_4x4", _("ProtectUK 4×4"))],
    )
    likelihood_labels = models.JSONField(
        _("likelihood labels, lowest first"), default=list, blank=True
    )
    impact_labels = models.JSONField(_("impact labels, lowest first"), default=list, blank=True)
    level_names = models.JSONField(_("risk levels, least serious first"), default=list, blank=True)
    level_colours = models.JSONField(_("colours of the levels"), default=list, blank=True)
    thresholds = models.JSONField(
        _("lowest likelihood × impact score of each level above the first"),
        default=list,
        blank=True,
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_matrix_per_organisation")
        ]


class ScenarioInclusion(models.TextChoices):
    BY_KIND = "by-kind", _("where the kind of site suggests it")
    ALWAYS = "always", _("in every new assessment")
    NEVER = "never", _("never by default")


class ScenarioSetting(OrganisationOwned):
    """The organisation's own view of one library scenario: when new assessments start with
    it, and with which asset value and threat, overriding the defaults per kind of site."""

    scenario_id = models.CharField(_("scenario"), max_length=60)
    inclusion = models.CharField(
        _("include"),
        max_length=10,
        choices=ScenarioInclusion.choices,
        default=ScenarioInclusion.BY_KIND,
    )
    asset_value = models.PositiveSmallIntegerField(_("asset value"), null=True, blank=True)
    threat = models.PositiveSmallIntegerField(_("threat"), null=True, blank=True)
    note = models.CharField(_("local note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["scenario_id"]
        verbose_name = _("scenario setting")
        verbose_name_plural = _("scenario settings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scenario_id"], name="unique_scenario_setting"
            )
        ]

    def __str__(self) -> str:
        return self.scenario_id


class MeasureSetting(OrganisationOwned):
    """A measure as the organisation prices and rates it: a library measure with the
    organisation's own figures, or a measure of its own (an id the library does not know)."""

    measure_id = models.SlugField(_("measure"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20)
    investment_eur = models.FloatField(_("investment (euro)"))
    yearly_cost_eur = models.FloatField(_("yearly cost (euro)"))
    lifetime_years = models.FloatField(_("lifetime (years)"))
    effects = models.JSONField(_("risk removed per scenario"), default=dict)
    perceived_safety = models.SmallIntegerField(_("effect on perceived safety"), default=0)
    accessibility = models.SmallIntegerField(_("effect on accessibility"), default=0)
    offered = models.BooleanField(_("offered in new assessments"), default=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["measure_id"]
        verbose_name = _("measure setting")
        verbose_name_plural = _("measure settings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure_id"], name="unique_measure_setting"
            )
        ]

    def __str__(self) -> str:
        return self.name
