"""Scoring hotspot maps: PAI, PEI (prediction efficiency) and RRI (recapture rate)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from secu4all.engines import _checks


@dataclass(frozen=True)
class PaiResult:
    """``pai = hit_rate / area_fraction`` with ``hit_rate = n / N``, ``area_fraction = a / A``."""

    pai: np.ndarray
    hit_rate: np.ndarray
    area_fraction: np.ndarray


@dataclass(frozen=True)
class PeiResult:
    """``pei = n / n_max``: crimes captured over the most any area of the same size could."""

    pei: np.ndarray
    pai: np.ndarray
    pai_max: np.ndarray
    captured: np.ndarray
    captured_max: np.ndarray


@dataclass(frozen=True)
class RriResult:
    """``rri = (n2 / n1) / (N2 / N1)`` for the hotspot counts before (1) and after (2)."""

    rri: np.ndarray
    hotspot_before: np.ndarray
    hotspot_after: np.ndarray


def _counts_and_mask(counts: ArrayLike, hotspot: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(counts, dtype=np.float64)
    if values.size == 0:
        raise ValueError("counts is empty")
    values = _checks.float_array(values.ravel(), "counts", ndim=1)
    if (values < 0).any():
        raise ValueError("counts must be non-negative")
    mask = np.asarray(hotspot)
    if mask.dtype != bool:
        raise ValueError(f"hotspot must be a boolean mask, got dtype {mask.dtype}")
    if mask.size != values.size or np.shape(counts) != mask.shape:
        raise ValueError(f"hotspot has shape {mask.shape} but counts has {np.shape(counts)}")
    if not mask.any():
        raise ValueError("hotspot selects no cells")
    return values, mask.ravel()


def pai(counts: ArrayLike, hotspot: ArrayLike, *, cell_areas: ArrayLike | None = None) -> PaiResult:
    r"""Predictive Accuracy Index of a hotspot map.

    ``PAI = (n / N) / (a / A)``: the share of crimes ``n / N`` that fall in the hotspot
    cells over the share of the study area ``a / A`` they cover. ``counts`` are
    crimes per cell (usually of the period after the map was made), ``hotspot`` a
    boolean mask of the same shape, ``cell_areas`` the cell areas (equal if omitted).

    Reference: Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot
    mapping for predicting spatial patterns of crime. Security Journal 21, 4-28.
    """
    values, mask = _counts_and_mask(counts, hotspot)
    total = values.sum()
    if total == 0:
        raise ValueError("counts sum to zero; the hit rate is undefined")
    if cell_areas is None:
        areas = np.ones_like(values)
    else:
        areas = _checks.float_array(np.ravel(cell_areas), "cell_areas", ndim=1)
        _checks.same_length(counts=values, cell_areas=areas)
        if (areas <= 0).any():
            raise ValueError("cell_areas must be positive")
    hit_rate = values[mask].sum() / total
    area_fraction = areas[mask].sum() / areas.sum()
    return PaiResult(
        pai=np.asarray(hit_rate / area_fraction),
        hit_rate=np.asarray(hit_rate),
        area_fraction=np.asarray(area_fraction),
    )


def pei(counts: ArrayLike, hotspot: ArrayLike) -> PeiResult:
    r"""Prediction Efficiency Index of a hotspot map of equal-area cells.

    ``PEI = PAI / PAI*`` where ``PAI*`` is the PAI of the best possible map with the
    same number of cells — the ``k`` cells with most crimes — so ``PEI = n / n*`` with
    ``n*`` the crimes in those ``k`` cells; 1 is a perfect map.

    Reference: Hunt, J.M. (2016). Do crime hot spots move? Exploring the effects of the
    modifiable areal unit problem and modifiable temporal unit problem on crime hot
    spot stability. Doctoral dissertation, American University, Washington, DC.
    """
    values, mask = _counts_and_mask(counts, hotspot)
    total = values.sum()
    if total == 0:
        raise ValueError("counts sum to zero; the PEI is undefined")
    k = int(mask.sum())
    captured = values[mask].sum()
    captured_max = np.sort(values)[::-1][:k].sum()
    area_fraction = k / values.size
    return PeiResult(
        pei=np.asarray(captured / captured_max),
        pai=np.asarray(captured / total / area_fraction),
        pai_max=np.asarray(captured_max / total / area_fraction),
        captured=np.asarray(captured),
        captured_max=np.asarray(captured_max),
    )


def rri(counts_before: ArrayLike, counts_after: ArrayLike, hotspot: ArrayLike) -> RriResult:
    r"""Recapture Rate Index: how much of the hotspot's crime recurs in the next period.

    ``RRI = (n2 / n1) / (N2 / N1)`` with ``n1, n2`` the crimes inside the hotspot in
    the first and second period and ``N1, N2`` all crimes; above 1 the hotspot keeps
    more than its share.

    Reference: Levine, N. (2008). The "hottest" part of a hotspot: comments on "The
    utility of hotspot mapping for predicting spatial patterns of crime". Security
    Journal 21, 295-302.
    """
    before, mask = _counts_and_mask(counts_before, hotspot)
    after, _ = _counts_and_mask(counts_after, hotspot)
    n1, n2 = before[mask].sum(), after[mask].sum()
    if n1 == 0 or after.sum() == 0 or before.sum() == 0:
        raise ValueError("the hotspot or a period has no crimes; the RRI is undefined")
    return RriResult(
        rri=np.asarray((n2 / n1) / (after.sum() / before.sum())),
        hotspot_before=np.asarray(n1),
        hotspot_after=np.asarray(n2),
    )


def top_cells(surface: ArrayLike, area_fraction: float) -> np.ndarray:
    """Boolean mask of the highest-valued cells covering ``area_fraction`` of the cells.

    Turns a surface (KDE, Gi* z) into the hotspot mask that PAI/PEI score; ties at the
    threshold are broken by position so exactly ``round(fraction * cells)`` are chosen.
    """
    values = np.asarray(surface, dtype=np.float64)
    _checks.float_array(values.ravel(), "surface", ndim=1)
    if not 0 < area_fraction <= 1:
        raise ValueError(f"area_fraction must lie in (0, 1], got {area_fraction!r}")
    k = max(1, round(area_fraction * values.size))
    order = np.argsort(-values.ravel(), kind="stable")
    mask = np.zeros(values.size, dtype=bool)
    mask[order[:k]] = True
    return mask.reshape(values.shape)
