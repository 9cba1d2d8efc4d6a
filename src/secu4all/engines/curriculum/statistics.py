"""Classical item analysis: difficulty and discrimination of exercise items.

Difficulty is the share of learners who answered the item correctly (p; higher is easier).
Discrimination is the corrected point-biserial correlation between answering the item
correctly and the learner's score on the *other* items of the same set:

    r_pb = (M1 - M0) / s · sqrt(p · q)

where M1 and M0 are the mean rest-scores of those who got the item right and wrong, s is the
population standard deviation of the rest-scores and q = 1 - p (Crocker & Algina 1986,
*Introduction to classical and modern test theory*, ch. 14; the item is left out of the total so
it does not correlate with itself). Values below about 0.2 flag an item that does not separate
strong from weak learners; the value is undefined (None) when everyone answered the same way or
the rest-scores do not vary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemStatistics:
    item: str
    answered: int
    difficulty: float | None
    discrimination: float | None


def item_statistics(
    learners: Sequence[Mapping[str, float]], items: Sequence[str]
) -> list[ItemStatistics]:
    """Statistics per item from each learner's scores (0 to 1 per item answered)."""
    results = []
    for item in items:
        rows = [row for row in learners if item in row]
        n = len(rows)
        if n == 0:
            results.append(ItemStatistics(item, 0, None, None))
            continue
        right = [1.0 if row[item] >= 1.0 else 0.0 for row in rows]
        rest = [sum(v for k, v in row.items() if k != item) for row in rows]
        p = sum(right) / n
        results.append(ItemStatistics(item, n, p, _point_biserial(right, rest, p)))
    return results


def _point_biserial(right: list[float], rest: list[float], p: float) -> float | None:
    n = len(right)
    if n < 2 or p in (0.0, 1.0):
        return None
    mean = sum(rest) / n
    s = math.sqrt(sum((x - mean) ** 2 for x in rest) / n)
    if s == 0:
        return None
    m1 = sum(x for x, r in zip(rest, right, strict=True) if r) / sum(right)
    m0 = sum(x for x, r in zip(rest, right, strict=True) if not r) / (n - sum(right))
    return (m1 - m0) / s * math.sqrt(p * (1 - p))
