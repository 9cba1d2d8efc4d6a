"""Survey engine: weighting to population margins and weighted estimates with intervals.

Pure numpy/scipy computation with no Django import and no I/O: Kish's effective sample
size, post-stratification and raking (also within each neighbourhood), weighted means,
proportions and shares of answer categories with Taylor-linearised standard errors
(optionally stratified), Korn–Graubard intervals for proportions, estimates per domain,
change between waves, multi-item scale scores and SDG 16.1.4. Bad input raises a
``ValueError`` naming the problem; margins that cannot weight the respondents raise its
subclass :class:`MarginError`.
"""

from .change import Change, change
from .errors import MarginError
from .estimates import (
    DEFAULT_MIN_N,
    Estimate,
    by_domain,
    korn_graubard_interval,
    shares,
    weighted_mean,
    weighted_proportion,
)
from .indicators import FEELING_SAFE_CODES, sdg_16_1_4
from .scales import scale_score
from .weighting import check_margins, kish_effective_n, post_stratify, rake, rake_by_group

__all__ = [
    "DEFAULT_MIN_N",
    "FEELING_SAFE_CODES",
    "Change",
    "Estimate",
    "MarginError",
    "by_domain",
    "change",
    "check_margins",
    "kish_effective_n",
    "korn_graubard_interval",
    "post_stratify",
    "rake",
    "rake_by_group",
    "scale_score",
    "sdg_16_1_4",
    "shares",
    "weighted_mean",
    "weighted_proportion",
]
