"""PAI, PEI and RRI on hand-worked examples from their definitions."""

import numpy as np
import pytest

from secu4all.engines.spatial import pai, pei, rri, top_cells

# 10 equal cells, 100 crimes; the hotspot is cells 0 and 1 (20 % of the area).
COUNTS = np.array([30, 10, 25, 5, 5, 5, 5, 5, 5, 5])
HOTSPOT = np.array([True, True] + [False] * 8)


def test_pai_hand_worked():
    # Chainey et al. (2008): (n/N) / (a/A) = (40/100) / (2/10) = 2.
    result = pai(COUNTS, HOTSPOT)
    assert float(result.pai) == pytest.approx(2.0)
    assert float(result.hit_rate) == pytest.approx(0.4)
    assert float(result.area_fraction) == pytest.approx(0.2)
    areas = np.array([2.0, 2.0] + [1.0] * 8)  # hotspot = 4 of 12 area units
    assert float(pai(COUNTS, HOTSPOT, cell_areas=areas).pai) == pytest.approx(0.4 / (4 / 12))


def test_pei_hand_worked():
    # Hunt (2016): best 2 cells hold 30 + 25 = 55, so PEI = 40/55 and PAI* = 0.55/0.2.
    result = pei(COUNTS, HOTSPOT)
    assert float(result.pei) == pytest.approx(40 / 55)
    assert float(result.pai_max) == pytest.approx(2.75)
    assert float(result.pai) == pytest.approx(2.0)
    assert float(pei(COUNTS, top_cells(COUNTS, 0.2)).pei) == pytest.approx(1.0)


def test_rri_hand_worked():
    # Levine (2008): (n2/n1) / (N2/N1) = (20/40) / (80/100) = 0.625.
    after = np.array([12, 8, 20, 5, 5, 5, 5, 5, 10, 5])
    result = rri(COUNTS, after, HOTSPOT)
    assert float(result.rri) == pytest.approx(0.625)
    assert int(result.hotspot_before) == 40
    assert int(result.hotspot_after) == 20


def test_top_cells_selects_fraction():
    surface = np.array([[0.1, 0.9], [0.5, 0.7]])
    np.testing.assert_array_equal(top_cells(surface, 0.5), [[False, True], [False, True]])
