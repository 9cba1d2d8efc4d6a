"""The place every capability shares: areas, the indicators measured in them and (from their
own modules) the interventions made there."""

from secu4all.neighbourhoods.models.areas import Area
from secu4all.neighbourhoods.models.indicators import (
    Direction,
    Domain,
    Indicator,
    IndicatorValue,
    Unit,
)

__all__ = ["Area", "Direction", "Domain", "Indicator", "IndicatorValue", "Unit"]
