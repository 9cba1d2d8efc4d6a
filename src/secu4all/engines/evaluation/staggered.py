"""Staggered adoption: group-time effects and an event study without TWFE's negative weights."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from secu4all.engines import _checks

from . import _validate
from .did import PreTrend


@dataclass(frozen=True)
class StaggeredDiD:
    """Callaway & Sant'Anna group-time effects, their averages and the event study.

    ``groups[k]``, ``times[k]``: the start period of a cohort and a calendar period, with
    ``att[k]`` its effect. ``event_times``, ``event_att``, ``event_se``: the effect by periods
    since the start (negative: leads, −1 the reference and so 0). ``effect`` averages the
    post-start group-time effects weighted by cohort size (the "simple" aggregation).
    """

    effect: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    groups: np.ndarray
    times: np.ndarray
    att: np.ndarray
    att_se: np.ndarray
    event_times: np.ndarray
    event_att: np.ndarray
    event_se: np.ndarray
    pre_trend: PreTrend | None
    treated_areas: int
    comparison_areas: int


def staggered_did(
    outcome: ArrayLike,
    area: Sequence[Hashable],
    period: ArrayLike,
    start: ArrayLike,
    *,
    level: float = 0.95,
) -> StaggeredDiD:
    r"""Difference-in-differences with staggered start dates (Callaway & Sant'Anna 2021).

    ``start`` gives, per row, the period in which that row's area began treatment (constant
    within an area), or NaN for comparison areas that are never treated. On a balanced panel,
    for every cohort g (areas starting in period g) and period t ≠ g−1,

    ``ATT(g,t) = mean_{i∈g}(Y_it − Y_i,g−1) − mean_{i never treated}(Y_it − Y_i,g−1)``

    (Callaway & Sant'Anna 2021, *J. Econometrics* 225:200, eq. 2.6 with never-treated
    controls and the universal base period g−1). Each cohort is compared only with areas
    never treated, so no already-treated area serves as a control and no effect gets a
    negative weight (Goodman-Bacon 2021). Aggregations: the overall effect
    ``θ = Σ_{g, t≥g} n_g ATT(g,t) / Σ_{g, t≥g} n_g``, and the event study
    ``θ(e) = Σ_g n_g ATT(g, g+e) / Σ_g n_g`` over cohorts observed at g+e.

    Standard errors from the influence functions per area (clustered by area): for ATT(g,t)
    ``ψ_i = N/n_g (Δ_i − m_g) 1{i∈g} − N/n_C (Δ_i − m_C) 1{i∈C}``, ``Var = Σψ_i² / N²``;
    the aggregates combine the ψ with their weights and add the influence of the estimated
    cohort shares, as the authors' R package ``did`` does (analytic, not bootstrapped).
    The pre-trend test is the joint Wald test of θ(e) = 0 for all leads e ≤ −2.
    """
    level = _validate.level(level)
    y = _checks.float_array(outcome, "outcome", ndim=1)
    t = _checks.float_array(period, "period", ndim=1)
    g = _checks.float_array(start, "start", ndim=1, allow_nan=True)
    labels = list(area)
    _checks.same_length(outcome=y, area=labels, period=t, start=g)
    codes: dict[Hashable, int] = {}
    try:
        areas = np.fromiter((codes.setdefault(label, len(codes)) for label in labels), np.intp)
    except TypeError as error:
        raise ValueError(f"area must hold hashable labels: {error}") from error
    period_values, periods = np.unique(t, return_inverse=True)
    units, steps = len(codes), period_values.size
    if units * steps != y.size or np.unique(areas * steps + periods).size != y.size:
        raise ValueError(
            f"staggered_did needs a balanced panel: {units} areas × {steps} periods should be "
            f"{units * steps} distinct rows, got {y.size} rows"
        )
    panel = np.empty((units, steps))
    panel[areas, periods] = y
    cohort = np.full(units, np.nan)
    cohort[areas] = g
    for code in range(units):
        values = g[areas == code]
        if not (np.isnan(values).all() or (values == values[0]).all()):
            label = _validate.label(labels[int(np.flatnonzero(areas == code)[0])])
            raise ValueError(f"start must be the same in every row of area {label!r}")
    never = np.isnan(cohort)
    if never.sum() < 2:
        raise ValueError("staggered_did needs at least 2 never-treated comparison areas")
    starts = np.unique(cohort[~never])
    unknown = ~np.isin(starts, period_values)
    if unknown.any():
        raise ValueError(f"start {starts[unknown][0]:g} is not one of the periods in the panel")
    start_index = np.searchsorted(period_values, starts)
    if (start_index == 0).any():
        raise ValueError(
            f"areas starting in the first period ({period_values[0]:g}) have no before-period"
        )

    influence, group_list, time_list, att_list, sizes = [], [], [], [], []
    n_c = int(never.sum())
    for value, first in zip(starts, start_index, strict=True):
        members = cohort == value
        n_g = int(members.sum())
        for step in range(steps):
            if step == first - 1:
                continue
            delta = panel[:, step] - panel[:, first - 1]
            m_g, m_c = delta[members].mean(), delta[never].mean()
            psi = np.zeros(units)
            psi[members] = units / n_g * (delta[members] - m_g)
            psi[never] = -units / n_c * (delta[never] - m_c)
            influence.append(psi)
            group_list.append(first)
            time_list.append(step)
            att_list.append(m_g - m_c)
            sizes.append(n_g)
    psi_matrix = np.array(influence)
    att = np.array(att_list)
    groups, times, size = np.array(group_list), np.array(time_list), np.array(sizes, float)

    members_of = cohort[None, :] == period_values[groups][:, None]  # (cells, areas)

    def aggregate(mask: np.ndarray) -> tuple[float, np.ndarray]:
        share = size[mask] / units
        weights = share / share.sum()
        # The cohort shares are estimated too: their influence (Callaway & Sant'Anna 2021,
        # Appendix; R did's get_agg_inf_func) is added to that of the group-time effects.
        deviation = members_of[mask] - share[:, None]
        estimated = (
            deviation / share.sum() - np.outer(share, deviation.sum(axis=0)) / share.sum() ** 2
        )
        return float(weights @ att[mask]), weights @ psi_matrix[mask] + att[mask] @ estimated

    effect, effect_psi = aggregate(times >= groups)
    se = math.sqrt(float(effect_psi @ effect_psi)) / units
    z = stats.norm.ppf(0.5 + level / 2)
    event = times - groups
    event_times = np.unique(event)
    event_att, event_psi = [], []
    for e in event_times:
        value, psi = aggregate(event == e)
        event_att.append(value)
        event_psi.append(psi)
    event_psi_matrix = np.array(event_psi)
    event_se = np.sqrt((event_psi_matrix**2).sum(axis=1)) / units
    lead_mask = event_times <= -2
    pre_trend = None
    if lead_mask.any():
        lead_psi = event_psi_matrix[lead_mask]
        covariance = lead_psi @ lead_psi.T / units**2
        coefficients = np.array(event_att)[lead_mask]
        statistic = float(coefficients @ np.linalg.pinv(covariance) @ coefficients)
        df = int(lead_mask.sum())
        pre_trend = PreTrend(
            event_times[lead_mask], coefficients, statistic, df, float(stats.chi2.sf(statistic, df))
        )
    p_value = float(2 * stats.norm.sf(abs(effect / se))) if se > 0 else math.nan
    return StaggeredDiD(
        effect,
        se,
        effect - z * se,
        effect + z * se,
        p_value,
        period_values[groups],
        period_values[times],
        att,
        np.sqrt((psi_matrix**2).sum(axis=1)) / units,
        event_times,
        np.array(event_att),
        event_se,
        pre_trend,
        int((~never).sum()),
        n_c,
    )
