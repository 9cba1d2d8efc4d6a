"""A whole site assessment from a plain mapping (as loaded from YAML), validated and computed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from . import _validate
from .fema import ThreatLikelihood, fema_risk, threat_likelihood
from .frontier import CostRiskFrontier, MeasureSelection, cost_risk_frontier, optimal_measures
from .martyns_law import CAVEAT, PENALTIES, Tier, martyns_law_duties, martyns_law_tier
from .matrix import MATRICES, MatrixCell, RiskMatrix
from .measures import (
    CATALOGUE,
    CATEGORIES,
    DISCOUNT_RATE,
    Measure,
    annualised_cost,
    effect_matrix,
    total_cost_of_ownership,
)
from .scenarios import SCENARIO_IDS, ThreatScenario, scenario_by_id
from .vulnerability import QUESTIONS, VulnerabilityScore, check_answers, vulnerability_scores

# National threat levels speak about terrorism; crime and crowd scenarios ignore them.
TERRORISM_FAMILIES = frozenset({"marauding", "vehicle", "explosive", "fire", "cbrn"})
COST_BASES = ("annualised", "investment", "tco")
TCO_YEARS = 10
# Keeps the frontier of a large hand-written catalogue from running away; the result
# says whether it is complete.
FRONTIER_NODE_LIMIT = 200_000

_SITE_KEYS = {"name", "kind", "country", "capacity", "premises_type", "event", "entry_checks"}
_CONTEXT_KEYS = {
    "national_level",
    "incidents_nearby",
    "expected_incidents",
    "radius_m",
    "period_months",
}
_SCENARIO_KEYS = {"id", "asset_value", "threat", "incidents_nearby", "expected_incidents"}
_MEASURE_KEYS = {
    "id",
    "name",
    "category",
    "investment_eur",
    "yearly_cost_eur",
    "lifetime_years",
    "effects",
    "perceived_safety",
    "accessibility",
}
_TOP_KEYS = {
    "site",
    "matrix",
    "threat_context",
    "scenarios",
    "answers",
    "measures",
    "budget",
    "cost_basis",
    "discount_rate",
}


@dataclass(frozen=True)
class Site:
    """The assessed site or event."""

    name: str
    kind: str
    country: str
    capacity: int | None
    premises_type: str
    event: bool
    entry_checks: bool


@dataclass(frozen=True)
class ScenarioInput:
    """A scenario to assess with the assessor's asset value and base threat rating."""

    scenario: ThreatScenario
    asset_value: float
    threat: float
    incidents_nearby: int | None
    expected_incidents: float | None


@dataclass(frozen=True)
class Assessment:
    """A validated assessment, ready to compute."""

    site: Site
    matrix: RiskMatrix
    threat_context: Mapping[str, Any]
    scenarios: tuple[ScenarioInput, ...]
    answers: Mapping[str, int | None]
    measures: tuple[Measure, ...]
    budget: float | None
    cost_basis: str
    discount_rate: float


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's scores: threat with its explanation, vulnerability with its drivers."""

    scenario: ThreatScenario
    asset_value: float
    threat: ThreatLikelihood
    vulnerability: VulnerabilityScore
    risk: float
    cell: MatrixCell
    residual_risk: float | None


@dataclass(frozen=True)
class MartynsLaw:
    """The site's tier under Martyn's Law and what follows from it."""

    tier: Tier
    applies: bool  # False outside the UK: a good-practice benchmark only
    duties: tuple[str, ...]
    penalty: str | None
    caveat: str


@dataclass(frozen=True)
class AssessmentResult:
    """Everything :func:`assess` computes; :meth:`to_dict` gives JSON-ready data."""

    assessment: Assessment
    scenarios: tuple[ScenarioResult, ...]
    total_risk: float
    costs: tuple[float, ...]  # per measure, on the cost basis
    selection: MeasureSelection | None
    frontier: CostRiskFrontier | None
    martyns_law: MartynsLaw | None
    incomplete: bool

    def to_dict(self) -> dict[str, Any]:
        measures = self.assessment.measures

        def chosen(selection: MeasureSelection) -> dict[str, Any]:
            return {
                "measures": [measures[i].id for i in selection.chosen],
                "cost": selection.cost,
                "residual_risk": selection.residual_risk,
                "gap": selection.gap,
            }

        return {
            "site": asdict(self.assessment.site),
            "matrix": self.assessment.matrix.name,
            "cost_basis": self.assessment.cost_basis,
            "incomplete": self.incomplete,
            "total_risk": self.total_risk,
            "scenarios": [
                {
                    "id": result.scenario.id,
                    "family": result.scenario.family,
                    "name": result.scenario.name,
                    "asset_value": result.asset_value,
                    "threat": result.threat.value,
                    "threat_explanation": list(result.threat.explanation),
                    # The parts, so a translated screen can say the same in its language.
                    "threat_parts": {
                        "base": result.threat.base,
                        "national": result.threat.national,
                        "incidents": result.threat.incidents,
                    },
                    "vulnerability": result.vulnerability.vulnerability,
                    "drivers": list(result.vulnerability.drivers),
                    "unanswered": list(result.vulnerability.unanswered),
                    "completeness": result.vulnerability.completeness,
                    "risk": result.risk,
                    "residual_risk": result.residual_risk,
                    "cell": asdict(result.cell),
                }
                for result in self.scenarios
            ],
            "measures": [
                {"id": measure.id, "name": measure.name, "cost": cost}
                for measure, cost in zip(measures, self.costs, strict=True)
            ],
            "budget": self.assessment.budget,
            "selection": chosen(self.selection) if self.selection else None,
            "frontier": None
            if self.frontier is None
            else {
                "complete": self.frontier.complete,
                "gap": self.frontier.gap,
                "points": [chosen(point) for point in self.frontier],
            },
            "martyns_law": asdict(self.martyns_law) if self.martyns_law else None,
        }


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{path}: expected a mapping, got {type(value).__name__}")
    return value


def _known_keys(value: Mapping[str, Any], allowed: set[str], path: str) -> None:
    unknown = sorted(set(map(str, value)) - allowed)
    if unknown:
        prefix = f"{path}." if path else ""
        raise ValueError(f"{prefix}{unknown[0]}: unknown field (expected one of {sorted(allowed)})")


def _text(value: object, path: str, *, default: str | None = None) -> str:
    if value is None and default is not None:
        return default
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{path}: expected non-empty text, got {value!r}")
    return value.strip()


def _flag(value: object, path: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValueError(f"{path}: expected true or false, got {value!r}")
    return value


def _site(raw: object) -> Site:
    site = _mapping(raw, "site")
    _known_keys(site, _SITE_KEYS, "site")
    capacity = site.get("capacity")
    return Site(
        name=_text(site.get("name"), "site.name"),
        kind=_text(site.get("kind"), "site.kind", default="other"),
        country=_text(site.get("country"), "site.country", default="").upper(),
        capacity=None if capacity is None else _validate.count(capacity, "site.capacity"),
        premises_type=_text(site.get("premises_type"), "site.premises_type", default="other"),
        event=_flag(site.get("event"), "site.event"),
        entry_checks=_flag(site.get("entry_checks"), "site.entry_checks"),
    )


def _scenarios(raw: object) -> tuple[ScenarioInput, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError("scenarios: expected a non-empty list")
    seen: set[str] = set()
    result = []
    for index, item in enumerate(raw):
        path = f"scenarios[{index}]"
        entry = _mapping(item, path)
        _known_keys(entry, _SCENARIO_KEYS, path)
        scenario_id = _text(entry.get("id"), f"{path}.id")
        if scenario_id not in SCENARIO_IDS:
            raise ValueError(f"{path}.id: unknown scenario id {scenario_id!r}")
        if scenario_id in seen:
            raise ValueError(f"{path}.id: {scenario_id!r} is listed twice")
        seen.add(scenario_id)
        for key in ("asset_value", "threat"):
            if key not in entry:
                raise ValueError(f"{path}.{key}: missing")
        incidents = entry.get("incidents_nearby")
        expected = entry.get("expected_incidents")
        result.append(
            ScenarioInput(
                scenario_by_id(scenario_id),
                _validate.score(entry["asset_value"], f"{path}.asset_value"),
                _validate.score(entry["threat"], f"{path}.threat"),
                None
                if incidents is None
                else _validate.count(incidents, f"{path}.incidents_nearby"),
                None
                if expected is None
                else _validate.non_negative(expected, f"{path}.expected_incidents"),
            )
        )
    return tuple(result)


def _measures(raw: object) -> tuple[Measure, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError("measures: expected a list")
    catalogue = {measure.id: measure for measure in CATALOGUE}
    seen: set[str] = set()
    result = []
    for index, item in enumerate(raw):
        path = f"measures[{index}]"
        entry = _mapping(item, path)
        _known_keys(entry, _MEASURE_KEYS, path)
        measure_id = _text(entry.get("id"), f"{path}.id")
        if measure_id in seen:
            raise ValueError(f"{path}.id: {measure_id!r} is listed twice")
        seen.add(measure_id)
        base = catalogue.get(measure_id)
        if base is None:
            missing = sorted(
                {
                    "name",
                    "category",
                    "investment_eur",
                    "yearly_cost_eur",
                    "lifetime_years",
                    "effects",
                }
                - set(entry)
            )
            if missing:
                raise ValueError(
                    f"{path}.{missing[0]}: missing ({measure_id!r} is not a catalogue measure, "
                    "so every field is needed)"
                )
        category = entry.get("category", base.category if base else None)
        if category not in CATEGORIES:
            raise ValueError(f"{path}.category: {category!r} is not one of {list(CATEGORIES)}")
        effects_raw = _mapping(
            entry.get("effects", base.effects if base else {}), f"{path}.effects"
        )
        effects = {}
        for scenario_id, value in effects_raw.items():
            if scenario_id not in SCENARIO_IDS:
                raise ValueError(f"{path}.effects.{scenario_id}: unknown scenario id")
            effects[scenario_id] = _validate.effect(value, f"{path}.effects.{scenario_id}")
        fields = {}
        for key in ("investment_eur", "yearly_cost_eur"):
            value = entry.get(key, getattr(base, key, None))
            fields[key] = _validate.non_negative(value, f"{path}.{key}")
        lifetime = entry.get("lifetime_years", getattr(base, "lifetime_years", None))
        fields["lifetime_years"] = _validate.positive(lifetime, f"{path}.lifetime_years")
        for key in ("perceived_safety", "accessibility"):
            value = entry.get(key, getattr(base, key, 0))
            if isinstance(value, bool) or not isinstance(value, int) or not -2 <= value <= 2:
                raise ValueError(f"{path}.{key}: {value!r} is outside -2..2")
            fields[key] = value
        name = _text(entry.get("name", base.name if base else None), f"{path}.name")
        if base is not None:
            result.append(replace(base, name=name, category=category, effects=effects, **fields))
        else:
            result.append(Measure(measure_id, name, category, effects=effects, **fields))
    return tuple(result)


def assessment_from_mapping(mapping: object) -> Assessment:
    """Validate a plain mapping (e.g. parsed YAML) into an :class:`Assessment`.

    Every error is a ``ValueError`` naming the field path and the reason, e.g.
    ``measures[3].effects.vehicle_ramming: 1.2 is outside [0, 1)``. The schema is
    documented in ``docs/assess-yaml.md``.
    """
    top = _mapping(mapping, "assessment")
    _known_keys(top, _TOP_KEYS, "")
    site = _site(top.get("site"))
    matrix_name = _text(top.get("matrix"), "matrix", default="iso_31000_5x5")
    if matrix_name not in MATRICES:
        raise ValueError(f"matrix: {matrix_name!r} is not one of {list(MATRICES)}")
    context = _mapping(top.get("threat_context") or {}, "threat_context")
    _known_keys(context, _CONTEXT_KEYS, "threat_context")
    scenarios = _scenarios(top.get("scenarios"))
    answers = check_answers(QUESTIONS, _mapping(top.get("answers") or {}, "answers"))
    measures = _measures(top.get("measures"))
    budget = top.get("budget")
    if measures and budget is None:
        raise ValueError("budget: missing (needed to choose measures)")
    cost_basis = _text(top.get("cost_basis"), "cost_basis", default="annualised")
    if cost_basis not in COST_BASES:
        raise ValueError(f"cost_basis: {cost_basis!r} is not one of {list(COST_BASES)}")
    discount_rate = top.get("discount_rate", DISCOUNT_RATE)
    assessment = Assessment(
        site=site,
        matrix=MATRICES[matrix_name],
        threat_context=dict(context),
        scenarios=scenarios,
        answers=answers,
        measures=measures,
        budget=None if budget is None else _validate.non_negative(budget, "budget"),
        cost_basis=cost_basis,
        discount_rate=_validate.in_closed(discount_rate, "discount_rate", 0.0, 1.0),
    )
    # Validate the context once, here, so the error names the field rather than a scenario.
    try:
        threat_likelihood(5.0, **context)
    except ValueError as error:
        raise ValueError(f"threat_context.{error}") from error
    if site.capacity is not None:
        try:
            martyns_law_tier(site.capacity, premises_type=site.premises_type)
        except ValueError as error:
            raise ValueError(f"site.{error}") from error
    return assessment


def _threat(assessment: Assessment, item: ScenarioInput) -> ThreatLikelihood:
    context = assessment.threat_context
    terrorism = item.scenario.family in TERRORISM_FAMILIES
    incidents = item.incidents_nearby
    expected = item.expected_incidents
    if incidents is None and not terrorism:
        incidents, expected = context.get("incidents_nearby"), context.get("expected_incidents")
    try:
        return threat_likelihood(
            item.threat,
            national_level=context.get("national_level") if terrorism else None,
            incidents_nearby=incidents,
            expected_incidents=expected,
            radius_m=context.get("radius_m"),
            period_months=context.get("period_months"),
        )
    except ValueError as error:
        raise ValueError(f"threat_context.{error}") from error


def _cost(measure: Measure, basis: str, discount_rate: float) -> float:
    if basis == "investment":
        return measure.investment_eur
    if basis == "tco":
        return total_cost_of_ownership(measure, TCO_YEARS, discount_rate=discount_rate)
    return annualised_cost(measure, discount_rate=discount_rate)


def assess(mapping: object) -> AssessmentResult:
    """Validate and compute a whole assessment.

    Per scenario: threat (:func:`threat_likelihood`; the national level applies to
    terrorism scenarios, nearby incidents from ``threat_context`` to the others unless
    the scenario gives its own), vulnerability from the answers
    (:func:`vulnerability_scores`), FEMA risk ``A × T × V`` and the matrix cell. Then the
    optimal measures within the budget and the cost–risk frontier on the chosen cost
    basis, and the Martyn's Law tier if a capacity is given. A partial questionnaire is
    computed and marked ``incomplete``.
    """
    assessment = assessment_from_mapping(mapping)
    ids = [item.scenario.id for item in assessment.scenarios]
    vulnerabilities = vulnerability_scores(assessment.answers, scenario_ids=ids)
    threats = [_threat(assessment, item) for item in assessment.scenarios]
    risks = np.array(
        [
            fema_risk(
                item.asset_value, threat.value, vulnerabilities[item.scenario.id].vulnerability
            )
            for item, threat in zip(assessment.scenarios, threats, strict=True)
        ]
    )
    costs = tuple(
        _cost(m, assessment.cost_basis, assessment.discount_rate) for m in assessment.measures
    )
    selection = frontier = None
    residual = [None] * len(ids)
    if assessment.measures:
        effects = effect_matrix(assessment.measures, ids)
        selection = optimal_measures(risks, effects, costs, assessment.budget)
        frontier = cost_risk_frontier(risks, effects, costs, node_limit=FRONTIER_NODE_LIMIT)
        residual = list(risks * np.prod(1.0 - effects[list(selection.chosen)], axis=0))
    site = assessment.site
    law = None
    if site.capacity is not None:
        tier = martyns_law_tier(
            site.capacity,
            premises_type=site.premises_type,
            event=site.event,
            entry_checks=site.entry_checks,
        )
        law = MartynsLaw(
            tier=tier,
            applies=site.country in {"GB", "UK"},
            duties=tuple(duty.text for duty in martyns_law_duties(tier)),
            penalty=None if tier == "out_of_scope" else PENALTIES[tier].maximum,
            caveat=CAVEAT,
        )
    results = tuple(
        ScenarioResult(
            scenario=item.scenario,
            asset_value=item.asset_value,
            threat=threat,
            vulnerability=vulnerabilities[item.scenario.id],
            risk=float(risk),
            cell=assessment.matrix.classify_fema(
                item.asset_value, threat.value, vulnerabilities[item.scenario.id].vulnerability
            ),
            residual_risk=None if rest is None else float(rest),
        )
        for item, threat, risk, rest in zip(
            assessment.scenarios, threats, risks, residual, strict=True
        )
    )
    return AssessmentResult(
        assessment=assessment,
        scenarios=results,
        total_risk=float(risks.sum()),
        costs=costs,
        selection=selection,
        frontier=frontier,
        martyns_law=law,
        incomplete=any(result.vulnerability.incomplete for result in results),
    )
