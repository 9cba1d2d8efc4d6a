"""Spatial analytics engine: binning, Gi*, Moran, KDE, the Knox test and hotspot scores.

Pure numpy/scipy/pyproj computation with no Django import and no I/O. Every public
function validates its input (a ``ValueError`` names the problem) and returns a
frozen dataclass of numpy arrays.
"""

from .getis_ord import GetisOrdResult, gi_star, grid_gi_star
from .grid import (
    Grid,
    HexBins,
    ProjectedPoints,
    bin_points,
    cell_indices,
    grid_for_points,
    hex_bin,
    project_lonlat,
    utm_epsg,
)
from .inference import benjamini_hochberg, folded_pseudo_p, significance_classes
from .kde import KdeResult, kde_grid, kernel_profile
from .knox import KnoxResult, knox_test
from .moran import LocalMoranResult, MoranResult, local_moran, moran
from .scoring import PaiResult, PeiResult, RriResult, pai, pei, rri, top_cells
from .temporal import (
    HourWeekdayProfile,
    MonthlySeries,
    TrendResult,
    hour_weekday_counts,
    mann_kendall,
    monthly_series,
)
from .weights import as_binary_csr, grid_weights, neighbourhood_offsets, row_standardise

__all__ = [
    "GetisOrdResult",
    "Grid",
    "HexBins",
    "HourWeekdayProfile",
    "KdeResult",
    "KnoxResult",
    "LocalMoranResult",
    "MonthlySeries",
    "MoranResult",
    "PaiResult",
    "PeiResult",
    "ProjectedPoints",
    "RriResult",
    "TrendResult",
    "as_binary_csr",
    "benjamini_hochberg",
    "bin_points",
    "cell_indices",
    "folded_pseudo_p",
    "gi_star",
    "grid_for_points",
    "grid_gi_star",
    "grid_weights",
    "hex_bin",
    "hour_weekday_counts",
    "kde_grid",
    "kernel_profile",
    "knox_test",
    "local_moran",
    "mann_kendall",
    "monthly_series",
    "moran",
    "neighbourhood_offsets",
    "pai",
    "pei",
    "project_lonlat",
    "row_standardise",
    "rri",
    "significance_classes",
    "top_cells",
    "utm_epsg",
]
