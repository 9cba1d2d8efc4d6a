"""Likelihood × impact risk matrices that an organisation configures, and FEMA bands."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import _validate

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class RiskLevel:
    """A level of the matrix (e.g. "High") and its colour as ``#rrggbb``."""

    name: str
    colour: str


@dataclass(frozen=True)
class MatrixCell:
    """Where a risk falls: 1-based likelihood and impact bands, their labels and level."""

    likelihood: int
    impact: int
    likelihood_label: str
    impact_label: str
    level: int  # 0-based index into RiskMatrix.levels, higher is worse
    label: str
    colour: str


@dataclass(frozen=True)
class RiskMatrix:
    """A likelihood × impact matrix.

    Attributes
    ----------
    name : shown on screen.
    likelihood_labels, impact_labels : band labels from lowest to highest.
    levels : risk levels from least to most serious.
    cells : ``cells[l][i]`` is the level index for likelihood band ``l + 1`` and impact
        band ``i + 1``; it must not decrease along either axis.
    """

    name: str
    likelihood_labels: tuple[str, ...]
    impact_labels: tuple[str, ...]
    levels: tuple[RiskLevel, ...]
    cells: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        rows, columns = len(self.likelihood_labels), len(self.impact_labels)
        if rows < 2 or columns < 2:
            raise ValueError(f"{self.name}: a matrix needs at least 2 bands on each axis")
        if not self.levels:
            raise ValueError(f"{self.name}.levels: empty")
        for index, level in enumerate(self.levels):
            if not _COLOUR.match(level.colour):
                raise ValueError(
                    f"{self.name}.levels[{index}].colour: {level.colour!r} is not #rrggbb"
                )
        if len(self.cells) != rows or any(len(row) != columns for row in self.cells):
            raise ValueError(f"{self.name}.cells: must be {rows} rows of {columns} levels")
        for row, cells in enumerate(self.cells):
            for column, level in enumerate(cells):
                where = f"{self.name}.cells[{row}][{column}]"
                if not isinstance(level, int) or not 0 <= level < len(self.levels):
                    raise ValueError(f"{where}: {level!r} is not a level index")
                # A matrix where more likely or worse means less risk is a typo.
                if (row and level < self.cells[row - 1][column]) or (
                    column and level < cells[column - 1]
                ):
                    raise ValueError(f"{where}: level decreases as likelihood or impact rises")

    @classmethod
    def from_thresholds(
        cls,
        name: str,
        likelihood_labels: Sequence[str],
        impact_labels: Sequence[str],
        levels: Sequence[RiskLevel],
        thresholds: Sequence[int],
    ) -> RiskMatrix:
        """Matrix whose level is set by the score ``likelihood × impact``.

        ``thresholds[k]`` is the lowest score of ``levels[k + 1]``; scores below
        ``thresholds[0]`` get ``levels[0]``.
        """
        if len(thresholds) != len(levels) - 1 or list(thresholds) != sorted(thresholds):
            raise ValueError(f"{name}.thresholds: need {len(levels) - 1} increasing scores")
        cells = tuple(
            tuple(
                sum(l_band * i_band >= t for t in thresholds)
                for i_band in range(1, len(impact_labels) + 1)
            )
            for l_band in range(1, len(likelihood_labels) + 1)
        )
        return cls(name, tuple(likelihood_labels), tuple(impact_labels), tuple(levels), cells)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.likelihood_labels), len(self.impact_labels)

    def classify(self, likelihood: int, impact: int) -> MatrixCell:
        """The cell for 1-based likelihood and impact bands."""
        rows, columns = self.shape
        for value, name, top in ((likelihood, "likelihood", rows), (impact, "impact", columns)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise ValueError(f"{name}: {value!r} is outside 1..{top}")
        level = self.cells[likelihood - 1][impact - 1]
        return MatrixCell(
            likelihood,
            impact,
            self.likelihood_labels[likelihood - 1],
            self.impact_labels[impact - 1],
            level,
            self.levels[level].name,
            self.levels[level].colour,
        )

    def classify_fema(self, asset_value: float, threat: float, vulnerability: float) -> MatrixCell:
        """The cell of a FEMA 452 assessment.

        Impact is the asset value (consequence); likelihood is the chance that an attack
        is attempted and succeeds, ``sqrt(T × V)`` — the geometric mean keeps it on the
        1–10 scale. Each goes to its band with :func:`band`.
        """
        a = _validate.score(asset_value, "asset_value")
        t = _validate.score(threat, "threat")
        v = _validate.score(vulnerability, "vulnerability")
        rows, columns = self.shape
        return self.classify(band(math.sqrt(t * v), rows), band(a, columns))


def band(score: float, bands: int) -> int:
    """Band of a 1–10 score when [1, 10] is cut into ``bands`` equal parts.

    ``band = min(bands, 1 + floor((score - 1) / 9 × bands))``: on a 4-band axis 1–3.25
    is band 1, 3.25–5.5 band 2, 5.5–7.75 band 3 and 7.75–10 band 4.
    """
    value = _validate.score(score, "score")
    if isinstance(bands, bool) or not isinstance(bands, int) or bands < 1:
        raise ValueError(f"bands: {bands!r} is not a positive integer")
    return min(bands, 1 + math.floor((value - 1.0) / 9.0 * bands))


def band_midpoint(band_number: int, bands: int) -> float:
    """The 1–10 score at the middle of a band, the inverse of :func:`band` for re-mapping."""
    if not 1 <= band_number <= bands:
        raise ValueError(f"band: {band_number!r} is outside 1..{bands}")
    return 1.0 + (band_number - 0.5) * 9.0 / bands


def remap(likelihood: int, impact: int, *, source: RiskMatrix, target: RiskMatrix) -> MatrixCell:
    """Re-map a cell stored under ``source`` to ``target`` by band midpoints.

    Used for stored assessments when an organisation changes its matrix and only the
    cell, not the underlying 1–10 scores, was kept; with the scores, classify again.
    """
    rows, columns = source.shape
    source.classify(likelihood, impact)
    new_rows, new_columns = target.shape
    return target.classify(
        band(band_midpoint(likelihood, rows), new_rows),
        band(band_midpoint(impact, columns), new_columns),
    )


_GREEN, _AMBER, _RED, _DARK_RED = "#2e7d32", "#f9a825", "#c62828", "#6a1b1a"

# Modelled on the 4 × 4 matrices of ProtectUK risk-assessment templates; editable.
PROTECT_UK_4X4 = RiskMatrix(
    name="ProtectUK 4×4",
    likelihood_labels=("Unlikely", "Possible", "Likely", "Very likely"),
    impact_labels=("Minor", "Moderate", "Significant", "Severe"),
    levels=(
        RiskLevel("Low", _GREEN),
        RiskLevel("Medium", _AMBER),
        RiskLevel("High", _RED),
        RiskLevel("Very high", _DARK_RED),
    ),
    cells=(
        (0, 0, 1, 1),
        (0, 1, 1, 2),
        (1, 1, 2, 3),
        (1, 2, 3, 3),
    ),
)

# ISO 31000 prescribes no matrix; this is the common 5 × 5 of ISO/IEC 31010 practice,
# level by score L × I: 1–4 low, 5–9 medium, 10–16 high, 20–25 extreme.
ISO_31000_5X5 = RiskMatrix.from_thresholds(
    "ISO 31000 5×5",
    ("Rare", "Unlikely", "Possible", "Likely", "Almost certain"),
    ("Insignificant", "Minor", "Moderate", "Major", "Catastrophic"),
    (
        RiskLevel("Low", _GREEN),
        RiskLevel("Medium", _AMBER),
        RiskLevel("High", _RED),
        RiskLevel("Extreme", _DARK_RED),
    ),
    (5, 10, 17),
)

MATRICES: dict[str, RiskMatrix] = {
    "protect_uk_4x4": PROTECT_UK_4X4,
    "iso_31000_5x5": ISO_31000_5X5,
}
