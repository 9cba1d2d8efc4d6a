"""The common crime taxonomy and how each source's own labels map onto it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    BURGLARY = "burglary", _("Burglary")
    ROBBERY = "robbery", _("Robbery")
    THEFT_FROM_PERSON = "theft-from-person", _("Theft from the person (pickpocketing)")
    BICYCLE_THEFT = "bicycle-theft", _("Bicycle theft")
    VEHICLE_CRIME = "vehicle-crime", _("Vehicle crime")
    SHOPLIFTING = "shoplifting", _("Shoplifting")
    OTHER_THEFT = "other-theft", _("Other theft")
    VIOLENCE = "violence", _("Violence and sexual offences")
    CRIMINAL_DAMAGE = "criminal-damage", _("Criminal damage and arson")
    DRUGS = "drugs", _("Drugs")
    WEAPONS = "weapons", _("Possession of weapons")
    PUBLIC_ORDER = "public-order", _("Public order")
    ANTI_SOCIAL = "anti-social-behaviour", _("Anti-social behaviour")
    OTHER = "other", _("Other crime")


# data.police.uk street-level "Crime type" values.
POLICE_UK = {
    "Anti-social behaviour": Category.ANTI_SOCIAL,
    "Bicycle theft": Category.BICYCLE_THEFT,
    "Burglary": Category.BURGLARY,
    "Criminal damage and arson": Category.CRIMINAL_DAMAGE,
    "Drugs": Category.DRUGS,
    "Other crime": Category.OTHER,
    "Other theft": Category.OTHER_THEFT,
    "Possession of weapons": Category.WEAPONS,
    "Public order": Category.PUBLIC_ORDER,
    "Robbery": Category.ROBBERY,
    "Shoplifting": Category.SHOPLIFTING,
    "Theft from the person": Category.THEFT_FROM_PERSON,
    "Vehicle crime": Category.VEHICLE_CRIME,
    "Violence and sexual offences": Category.VIOLENCE,
}


CATEGORY_VALUES = frozenset(Category.values)


def category_for(label: str, mapping: dict[str, str] | None = None) -> str:
    """The common category of a source label: an explicit mapping first, then known labels."""
    label = label.strip()
    if mapping and label in mapping:
        return mapping[label]
    if label in POLICE_UK:
        return POLICE_UK[label]
    lowered = label.lower().replace("_", "-").replace(" ", "-")
    if lowered in CATEGORY_VALUES:
        return lowered
    return Category.OTHER
