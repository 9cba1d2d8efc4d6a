"""Displacement or diffusion of benefits around a place-based measure."""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import _validate


@dataclass(frozen=True)
class DisplacementQuotient:
    """The weighted displacement quotient and its parts (Bowers & Johnson 2003).

    ``success_measure`` is the target area's change relative to the control area (negative:
    crime fell in the target more than in the control); ``buffer_measure`` the same for the
    buffer. ``wdq`` is NaN when the success measure is not negative (no success to weigh
    displacement against). ``interpretation`` says in plain words what the numbers suggest.
    """

    success_measure: float
    buffer_measure: float
    wdq: float
    total_net_effect: float
    interpretation: str


def weighted_displacement_quotient(
    *,
    target_before: float,
    target_after: float,
    buffer_before: float,
    buffer_after: float,
    control_before: float,
    control_after: float,
) -> DisplacementQuotient:
    r"""Weighted displacement quotient of a target area, its buffer and a control area.

    With counts A (target), B (buffer) and C (control), before (0) and after (1):

    ``WDQ = (B₁/C₁ − B₀/C₀) / (A₁/C₁ − A₀/C₀)``

    (Bowers & Johnson 2003, *J. Quantitative Criminology* 19:275–301). The denominator, the
    success measure, must be negative (crime fell in the target relative to the control).
    Reading (their Table 1): WDQ > 1 diffusion of benefits larger than the direct effect;
    0 < WDQ ≤ 1 diffusion of benefits; WDQ = 0 no change in the buffer; −1 ≤ WDQ < 0 some
    displacement, smaller than the direct effect (net benefit); WDQ < −1 displacement larger
    than the direct effect (the measure made things worse overall). The total net effect in
    crimes is ``(A₀·C₁/C₀ − A₁) + (B₀·C₁/C₀ − B₁)``: crimes prevented in target and buffer
    together, against what the control's trend predicts (positive: fewer crimes).
    """
    values = {
        "target_before": target_before,
        "target_after": target_after,
        "buffer_before": buffer_before,
        "buffer_after": buffer_after,
        "control_before": control_before,
        "control_after": control_after,
    }
    for name, value in values.items():
        if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a non-negative count, got {value!r}")
    for name in ("control_before", "control_after"):
        _validate.positive_number(values[name], name)
    c0, c1 = control_before, control_after
    success = target_after / c1 - target_before / c0
    buffer = buffer_after / c1 - buffer_before / c0
    net = (target_before * c1 / c0 - target_after) + (buffer_before * c1 / c0 - buffer_after)
    if success >= 0:
        return DisplacementQuotient(
            success,
            buffer,
            math.nan,
            net,
            "Crime did not fall in the target area relative to the control area, so there is "
            "no benefit to weigh displacement against: the quotient is not defined.",
        )
    wdq = buffer / success
    return DisplacementQuotient(success, buffer, wdq, net, _reading(wdq))


def _reading(wdq: float) -> str:
    """Bowers & Johnson's reading of a quotient whose success measure is negative."""
    if wdq > 1:
        return "Diffusion of benefits: crime fell in the buffer even more than in the target area."
    if wdq > 0:
        return "Diffusion of benefits: crime also fell in the buffer, less than in the target."
    if wdq == 0:
        return "No displacement and no diffusion: the buffer did not change against the control."
    if wdq >= -1:
        return (
            "Some displacement to the buffer, smaller than the fall in the target area: the "
            "measure still had a net benefit."
        )
    return (
        "Displacement to the buffer larger than the fall in the target area: overall, crime rose."
    )
