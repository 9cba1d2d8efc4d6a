"""The indicator library and the values measured per neighbourhood and period.

An indicator is one figure a municipality follows per neighbourhood (recorded burglaries per
1,000 inhabitants, the share of young people not in education or work, the share of
residents feeling unsafe). Rotterdam's Wijkprofiel groups them into themes and the themes
into domains, and keeps objective (registered) beside subjective (surveyed) figures: the two
can move apart, which is why both are kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from secu4all.common.tenancy import OrganisationOwned
from secu4all.neighbourhoods.models.areas import Area


class Domain(models.TextChoices):
    SAFETY = "safety", _("Safety")
    SOCIAL = "social", _("Social")
    PHYSICAL = "physical", _("Physical")
    ECONOMIC = "economic", _("Economy and work")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher_better", _("Higher is better")
    HIGHER_IS_WORSE = "higher_worse", _("Higher is worse")


class Unit(models.TextChoices):
    PER_1000 = "per_1000", _("per 1,000 inhabitants")
    PERCENT = "percent", _("per cent")
    COUNT = "count", _("number")
    EURO = "euro", _("euros")
    SCORE = "score", _("score")
    PER_KM2 = "per_km2", _("per km²")


class Indicator(OrganisationOwned):
    """One figure followed per neighbourhood, with what it means and how to read it.

    ``names`` holds the name in each of the platform's languages ({"nl": ..., "en": ...});
    the default library fills all five from its translated catalogue when it is seeded, and
    an organisation's own indicator is created with all five.
    """

    code = models.SlugField(_("code"), max_length=60)
    names = models.JSONField(_("names"), default=dict)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    theme = models.CharField(_("theme"), max_length=60)
    subjective = models.BooleanField(
        _("subjective"), default=False, help_text=_("Measured by asking residents.")
    )
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Below this base (inhabitants, respondents) a value is not published.
    minimum_base = models.PositiveIntegerField(_("minimum base for publication"), default=0)
    minimum_value = models.FloatField(_("lowest possible value"), null=True, blank=True)
    maximum_value = models.FloatField(_("highest possible value"), null=True, blank=True)
    # Where the platform computes the values itself ("incidents", "perception"); blank when
    # they are imported.
    computed_from = models.CharField(_("computed from"), max_length=30, blank=True)
    computation = models.JSONField(_("computation"), default=dict, blank=True)
    built_in = models.BooleanField(_("from the default library"), default=False)

    class Meta:
        ordering = ["domain", "theme", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, else in the platform's default language."""
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return (
            self.names.get(language)
            or self.names.get(settings.LANGUAGE_CODE.split("-")[0])
            or self.code
        )


class IndicatorValue(OrganisationOwned):
    """An indicator's value in one neighbourhood and period (a year).

    ``numerator`` and ``denominator`` are kept where known, so rates can be smoothed and
    pooled; ``base`` is the number it rests on (inhabitants, respondents) and decides
    publication; ``lower`` and ``upper`` are a survey estimate's 95 % interval.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="indicator_values", verbose_name=_("area")
    )
    period = models.PositiveSmallIntegerField(_("period"))
    value = models.FloatField(_("value"))
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    base = models.PositiveIntegerField(_("base"), null=True, blank=True)
    lower = models.FloatField(_("lower bound"), null=True, blank=True)
    upper = models.FloatField(_("upper bound"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["indicator", "area", "period"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="unique_indicator_value"
            )
        ]
        indexes = [models.Index(fields=["organisation", "period"], name="indicator_value_period")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.area.code} {self.period}: {self.value}"
