"""The catalogue of protective measures with costs, effects and side effects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from . import _validate
from .hvm import BarrierRating, parse_rating
from .scenarios import SCENARIO_IDS

CATEGORIES: dict[str, str] = {
    "hvm": "Hostile vehicle mitigation",
    "access": "Access control and screening",
    "detection": "CCTV and detection",
    "lighting": "Lighting",
    "training": "Staff awareness training",
    "procedures": "Emergency procedures",
    "communication": "Public address",
    "crowd": "Crowd management",
    "design": "Security by design",
    "cooperation": "Cooperation agreements",
}

DISCOUNT_RATE = 0.03  # real discount rate for annualising investments


@dataclass(frozen=True)
class Measure:
    """A protective measure.

    Attributes
    ----------
    id, name, category : stable id, English name, key of :data:`CATEGORIES`.
    investment_eur : one-off cost, replaced every ``lifetime_years``.
    yearly_cost_eur : operating cost per year (staff, maintenance, hire, licences).
    lifetime_years : years before the investment must be renewed (> 0).
    effects : ``{scenario id: fraction of that scenario's risk removed}``, in [0, 1).
    perceived_safety, accessibility : side effects from -2 (much worse) to +2 (much
        better) for the public's feeling of safety and for access (wheelchairs,
        prams, deliveries, openness).
    rating : crash rating of a vehicle barrier, if any.
    """

    id: str
    name: str
    category: str
    investment_eur: float
    yearly_cost_eur: float
    lifetime_years: float
    effects: Mapping[str, float]
    perceived_safety: int = 0
    accessibility: int = 0
    rating: BarrierRating | None = None
    notes: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        where = f"measure {self.id!r}"
        if self.category not in CATEGORIES:
            raise ValueError(
                f"{where}.category: {self.category!r} is not one of {list(CATEGORIES)}"
            )
        _validate.non_negative(self.investment_eur, f"{where}.investment_eur")
        _validate.non_negative(self.yearly_cost_eur, f"{where}.yearly_cost_eur")
        _validate.positive(self.lifetime_years, f"{where}.lifetime_years")
        for scenario, value in self.effects.items():
            if scenario not in SCENARIO_IDS:
                raise ValueError(f"{where}.effects.{scenario}: unknown scenario id")
            _validate.effect(value, f"{where}.effects.{scenario}")
        for name in ("perceived_safety", "accessibility"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not -2 <= value <= 2:
                raise ValueError(f"{where}.{name}: {value!r} is outside -2..2")
        object.__setattr__(self, "effects", MappingProxyType(dict(self.effects)))


def annualised_cost(measure: Measure, *, discount_rate: float = DISCOUNT_RATE) -> float:
    r"""Equivalent annual cost: the investment as an annuity over its lifetime, plus upkeep.

    .. math:: EAC = I \frac{r}{1 - (1 + r)^{-n}} + C_{year} \quad (I / n + C_{year}
       \text{ when } r = 0)

    Reference: the capital recovery factor of engineering economics, e.g. Brealey,
    Myers & Allen, *Principles of Corporate Finance*, ch. 6 ("equivalent annual cost").
    """
    rate = _validate.non_negative(discount_rate, "discount_rate")
    n = measure.lifetime_years
    if rate == 0:
        return measure.investment_eur / n + measure.yearly_cost_eur
    return measure.investment_eur * rate / (1 - (1 + rate) ** -n) + measure.yearly_cost_eur


def total_cost_of_ownership(
    measure: Measure, years: int, *, discount_rate: float = DISCOUNT_RATE
) -> float:
    r"""Present value of owning the measure for ``years``: investments and upkeep.

    .. math:: TCO = \sum_{t=0}^{Y-1} \frac{I [t \bmod n = 0] + C_{year}}{(1 + r)^t}

    with the investment renewed at the start of each lifetime ``n`` (rounded up to
    whole years) and the yearly cost paid at the start of each year.
    """
    horizon = _validate.count(years, "years")
    rate = _validate.non_negative(discount_rate, "discount_rate")
    renew = max(1, int(np.ceil(measure.lifetime_years)))
    t = np.arange(horizon)
    cash = measure.yearly_cost_eur + np.where(t % renew == 0, measure.investment_eur, 0.0)
    return float((cash / (1.0 + rate) ** t).sum())


def effect_matrix(measures: Iterable[Measure], scenario_ids: Iterable[str]) -> np.ndarray:
    """``effects[i, s]`` of the measures on the scenarios, 0 where a measure has none."""
    ids = tuple(scenario_ids)
    return np.array(
        [[measure.effects.get(scenario, 0.0) for scenario in ids] for measure in measures],
        dtype=np.float64,
    ).reshape(-1, len(ids))


_MARAUDING = ("marauding_firearms", "edged_weapon")

# Indicative Western-European prices (2024–2025, excl. VAT) from public tenders and
# supplier list prices, and effects as expert-judgement defaults informed by the
# literature cited per measure. They are starting points: every organisation replaces
# them with its own quotes and judgement.
CATALOGUE: tuple[Measure, ...] = (
    Measure(
        "hvm_static_bollards",
        "Rated static bollards at the vehicle approaches",
        "hvm",
        investment_eur=120_000,
        yearly_cost_eur=2_000,
        lifetime_years=25,
        effects={
            "vehicle_ramming": 0.8,
            "vehicle_encroachment": 0.8,
            "vehicle_parked": 0.3,
            "vbied": 0.4,
            "vehicle_deception": 0.2,
            "vehicle_duress": 0.2,
        },
        perceived_safety=1,
        accessibility=-1,
        rating=parse_rating("V/7200[N3C]/48/90:1.5", "IWA 14-1"),
        notes="About 12 bollards at €8,000–12,000 each installed, foundations included.",
    ),
    Measure(
        "hvm_temporary_barriers",
        "Rated temporary vehicle barriers (hired for the event)",
        "hvm",
        investment_eur=0,
        yearly_cost_eur=28_000,
        lifetime_years=1,
        effects={
            "vehicle_ramming": 0.7,
            "vehicle_encroachment": 0.75,
            "vehicle_parked": 0.25,
            "vbied": 0.3,
            "vehicle_deception": 0.15,
            "vehicle_duress": 0.15,
        },
        accessibility=-1,
        rating=parse_rating("V/7200[N2A]/48/90:3.0", "IWA 14-1"),
        notes="Hire, placement and removal for a four-to-six-week season.",
    ),
    Measure(
        "hvm_active_gate",
        "Rated retractable bollards at the delivery access",
        "hvm",
        investment_eur=85_000,
        yearly_cost_eur=4_500,
        lifetime_years=15,
        effects={
            "vehicle_deception": 0.5,
            "vehicle_duress": 0.45,
            "vehicle_ramming": 0.3,
            "vbied": 0.2,
        },
        rating=parse_rating("V/7500(N3)/48/90:0.5", "PAS 68"),
        notes="Two hydraulic bollards with control unit and maintenance contract.",
    ),
    Measure(
        "vehicle_access_control",
        "Vehicle permits and a staffed checkpoint during opening hours",
        "access",
        investment_eur=5_000,
        yearly_cost_eur=30_000,
        lifetime_years=5,
        effects={
            "vehicle_deception": 0.45,
            "vehicle_duress": 0.3,
            "vehicle_parked": 0.4,
            "vbied": 0.3,
        },
    ),
    Measure(
        "bag_checks",
        "Bag checks at the entry points",
        "access",
        investment_eur=10_000,
        yearly_cost_eur=60_000,
        lifetime_years=5,
        effects={
            "ied": 0.4,
            "pbied": 0.35,
            "edged_weapon": 0.3,
            "marauding_firearms": 0.15,
            "fire_as_weapon": 0.2,
            "cbr": 0.15,
        },
        perceived_safety=1,
        accessibility=-1,
        notes="Licensed security staff at each entry; the main cost is hours.",
    ),
    Measure(
        "cctv_live",
        "CCTV with live monitoring at busy times",
        "detection",
        investment_eur=90_000,
        yearly_cost_eur=25_000,
        lifetime_years=8,
        effects={
            "pickpocketing_theft": 0.2,
            "robbery": 0.25,
            "violence": 0.2,
            "sexual_harassment": 0.1,
            "vandalism": 0.3,
            "drug_dealing": 0.25,
            "disorder": 0.2,
            "ied": 0.1,
            "pbied": 0.05,
        },
        perceived_safety=1,
        notes="Effects after Piza et al. (2019), Criminology & Public Policy 18(1): "
        "CCTV cuts crime about 13 %, more with active monitoring.",
    ),
    Measure(
        "lighting",
        "Improved public lighting",
        "lighting",
        investment_eur=60_000,
        yearly_cost_eur=3_000,
        lifetime_years=20,
        effects={
            "robbery": 0.15,
            "violence": 0.1,
            "sexual_harassment": 0.2,
            "vandalism": 0.15,
            "drug_dealing": 0.15,
            "pickpocketing_theft": 0.05,
        },
        perceived_safety=2,
        accessibility=1,
        notes="Welsh & Farrington (2008), Campbell Systematic Reviews: about 21 % less crime.",
    ),
    Measure(
        "staff_awareness",
        "Counter-terrorism awareness training for staff and volunteers",
        "training",
        investment_eur=2_000,
        yearly_cost_eur=4_000,
        lifetime_years=1,
        effects={
            **dict.fromkeys(_MARAUDING, 0.1),
            "ied": 0.15,
            "pbied": 0.1,
            "vehicle_deception": 0.1,
            "fire_as_weapon": 0.1,
            "cbr": 0.1,
        },
        notes="ACT-style e-learning plus a briefing each season.",
    ),
    Measure(
        "emergency_procedures",
        "Evacuation, invacuation and lockdown procedures, exercised yearly",
        "procedures",
        investment_eur=8_000,
        yearly_cost_eur=5_000,
        lifetime_years=3,
        effects={
            "marauding_firearms": 0.25,
            "edged_weapon": 0.2,
            "ied": 0.2,
            "pbied": 0.15,
            "fire_as_weapon": 0.3,
            "cbr": 0.2,
            "crowd_crush": 0.25,
            "vehicle_ramming": 0.1,
        },
    ),
    Measure(
        "public_address",
        "Public address and information screens",
        "communication",
        investment_eur=40_000,
        yearly_cost_eur=2_500,
        lifetime_years=12,
        effects={
            "crowd_crush": 0.2,
            "fire_as_weapon": 0.15,
            "marauding_firearms": 0.15,
            "ied": 0.1,
            "cbr": 0.15,
        },
        perceived_safety=1,
    ),
    Measure(
        "crowd_barriers",
        "Crowd barriers and a crowd-flow plan",
        "crowd",
        investment_eur=15_000,
        yearly_cost_eur=12_000,
        lifetime_years=8,
        effects={"crowd_crush": 0.35, "disorder": 0.15, "pickpocketing_theft": 0.05},
        accessibility=-1,
    ),
    Measure(
        "stewards",
        "Trained stewards at busy times",
        "crowd",
        investment_eur=0,
        yearly_cost_eur=45_000,
        lifetime_years=1,
        effects={
            "crowd_crush": 0.3,
            "disorder": 0.25,
            "violence": 0.2,
            "sexual_harassment": 0.15,
            "pickpocketing_theft": 0.1,
        },
        perceived_safety=1,
    ),
    Measure(
        "security_by_design",
        "Security-by-design street furniture (rated planters, benches) and sightlines",
        "design",
        investment_eur=250_000,
        yearly_cost_eur=3_000,
        lifetime_years=30,
        effects={
            "vehicle_ramming": 0.6,
            "vehicle_encroachment": 0.7,
            "vehicle_parked": 0.3,
            "robbery": 0.1,
            "vandalism": 0.05,
        },
        perceived_safety=1,
    ),
    Measure(
        "drone_detection",
        "Drone detection and no-fly-zone enforcement during events",
        "detection",
        investment_eur=0,
        yearly_cost_eur=20_000,
        lifetime_years=1,
        effects={"drone_ied": 0.5},
    ),
    Measure(
        "police_cooperation",
        "Cooperation agreement with police and partners, joint briefings",
        "cooperation",
        investment_eur=3_000,
        yearly_cost_eur=6_000,
        lifetime_years=4,
        effects={
            "marauding_firearms": 0.05,
            "ied": 0.05,
            "pickpocketing_theft": 0.1,
            "robbery": 0.1,
            "violence": 0.1,
            "drug_dealing": 0.15,
            "disorder": 0.1,
            "drug_production": 0.2,
            "exploitation": 0.2,
            "illegal_residence": 0.15,
            "criminal_ownership": 0.15,
        },
    ),
    Measure(
        "integrity_screening",
        "Integrity screening of owners, operators and tenants",
        "cooperation",
        investment_eur=5_000,
        yearly_cost_eur=15_000,
        lifetime_years=5,
        effects={
            "criminal_ownership": 0.4,
            "drug_production": 0.2,
            "exploitation": 0.2,
            "illegal_residence": 0.15,
        },
        notes="E.g. the Dutch Bibob procedure for permits and leases.",
    ),
    Measure(
        "occupancy_checks",
        "Occupancy and registration checks (holiday parks)",
        "cooperation",
        investment_eur=0,
        yearly_cost_eur=20_000,
        lifetime_years=1,
        effects={"illegal_residence": 0.4, "exploitation": 0.3, "drug_production": 0.25},
    ),
)


def measure_by_id(measure_id: str) -> Measure:
    """The catalogue measure with this id, or ValueError naming the unknown id."""
    for measure in CATALOGUE:
        if measure.id == measure_id:
            return measure
    raise ValueError(f"unknown measure id {measure_id!r}")


_CROWDED = ("square", "shopping-street", "stadium", "event", "transport-hub", "market")
_GUARDED = ("stadium", "event", "transport-hub", "government", "school", "place-of-worship")

# Which kinds of site each library measure fits; a measure not listed fits every kind (and
# an organisation's own measure is offered everywhere). Bag checks need a controlled
# perimeter, which an open market or shopping street lacks; occupancy checks and integrity
# screening are tools against undermining at holiday parks and nightlife, not at a stadium.
SITE_KINDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "hvm_static_bollards": frozenset(
            (*_CROWDED, "place-of-worship", "school", "nightlife", "government")
        ),
        "hvm_temporary_barriers": frozenset(
            ("square", "shopping-street", "stadium", "event", "market", "nightlife")
        ),
        "hvm_active_gate": frozenset((*_GUARDED, "square", "shopping-street", "holiday-park")),
        "vehicle_access_control": frozenset((*_GUARDED, "holiday-park")),
        "bag_checks": frozenset(_GUARDED),
        "public_address": frozenset(
            (*_CROWDED, "place-of-worship", "school", "nightlife", "government")
        ),
        "crowd_barriers": frozenset(
            ("square", "stadium", "event", "transport-hub", "market", "nightlife")
        ),
        "stewards": frozenset((*_CROWDED, "nightlife")),
        "security_by_design": frozenset(
            kind
            for kind in (
                *_CROWDED,
                *_GUARDED,
                "park",
                "nightlife",
                "holiday-park",
            )
            if kind != "event"  # a temporary event has no design to change
        ),
        "drone_detection": frozenset(("stadium", "event", "government")),
        "integrity_screening": frozenset(
            ("holiday-park", "nightlife", "shopping-street", "market")
        ),
        "occupancy_checks": frozenset(("holiday-park",)),
    }
)


def relevant_to(measure_id: str, kind: str) -> bool:
    """Whether a measure fits a kind of site (:data:`SITE_KINDS`); unlisted ones fit all."""
    kinds = SITE_KINDS.get(measure_id)
    return kinds is None or kind in kinds


def risk_removed(effects: Mapping[str, float], risks: Mapping[str, float]) -> float:
    """The risk a measure removes on its own: ``Σ_s risk_s × effect_s`` over the scenarios.

    Within a set, measures on the same scenario overlap (the residual is the product of
    ``1 − effect``), so the set removes less than the sum of its members' figures.
    """
    return float(sum(risk * effects.get(scenario, 0.0) for scenario, risk in risks.items()))
