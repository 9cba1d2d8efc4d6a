"""The Traffic Light Protocol (FIRST TLP 2.0): the label every shared or exported
document carries, used by assessments, partnerships and their exports."""

from __future__ import annotations

from django.db import models


class Tlp(models.TextChoices):
    """Traffic Light Protocol 2.0 labels; the labels are the standard's own words and are
    not translated (https://www.first.org/tlp/)."""

    RED = "TLP:RED", "TLP:RED"
    AMBER_STRICT = "TLP:AMBER+STRICT", "TLP:AMBER+STRICT"
    AMBER = "TLP:AMBER", "TLP:AMBER"
    GREEN = "TLP:GREEN", "TLP:GREEN"
    CLEAR = "TLP:CLEAR", "TLP:CLEAR"


# The colours the standard prescribes for each label, on a black background.
TLP_COLOURS = {
    Tlp.RED: "#FF2B2B",
    Tlp.AMBER_STRICT: "#FFC000",
    Tlp.AMBER: "#FFC000",
    Tlp.GREEN: "#33FF00",
    Tlp.CLEAR: "#FFFFFF",
}

# How widely a label lets a document travel: higher is wider, so relaxing a label raises it.
TLP_WIDTH = {Tlp.RED: 0, Tlp.AMBER_STRICT: 1, Tlp.AMBER: 2, Tlp.GREEN: 3, Tlp.CLEAR: 4}
