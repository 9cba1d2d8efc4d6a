"""Risk engine: threat scenarios, vulnerability, FEMA and matrix scoring, measures, frontier.

Pure numpy/scipy computation with no Django import and no I/O. Bad input raises a
``ValueError`` naming the field and the reason; results are frozen dataclasses.
"""

from .assessment import Assessment, AssessmentResult, assess, assessment_from_mapping
from .fema import ThreatLikelihood, fema_risk, threat_likelihood
from .frontier import (
    CostRiskFrontier,
    MeasureSelection,
    cost_risk_frontier,
    optimal_measures,
    residual_risk,
)
from .hvm import (
    VEHICLE_CLASSES,
    BarrierRating,
    BarrierVerdict,
    ThreatVehicle,
    barrier_stops,
    impact_energy_kj,
    parse_rating,
)
from .levels import SCENARIO_SCALE, ScenarioLevel, SiteLevel, TopDriver, level_trend, site_level
from .martyns_law import (
    CAVEAT,
    ENHANCED_DUTIES,
    PENALTIES,
    STANDARD_DUTIES,
    Duty,
    Penalty,
    martyns_law_duties,
    martyns_law_tier,
)
from .matrix import (
    ISO_31000_5X5,
    MATRICES,
    PROTECT_UK_4X4,
    MatrixCell,
    RiskLevel,
    RiskMatrix,
    band,
    remap,
)
from .measures import (
    CATALOGUE,
    CATEGORIES,
    SITE_KINDS,
    Measure,
    annualised_cost,
    effect_matrix,
    measure_by_id,
    relevant_to,
    risk_removed,
    total_cost_of_ownership,
)
from .scenarios import FAMILIES, SCENARIO_IDS, SCENARIOS, ThreatScenario, scenario_by_id
from .vulnerability import DOMAINS, QUESTIONS, Question, VulnerabilityScore, vulnerability_scores

__all__ = [
    "CATALOGUE",
    "CATEGORIES",
    "CAVEAT",
    "DOMAINS",
    "ENHANCED_DUTIES",
    "FAMILIES",
    "ISO_31000_5X5",
    "MATRICES",
    "PENALTIES",
    "PROTECT_UK_4X4",
    "QUESTIONS",
    "SCENARIOS",
    "SCENARIO_IDS",
    "SCENARIO_SCALE",
    "SITE_KINDS",
    "STANDARD_DUTIES",
    "VEHICLE_CLASSES",
    "Assessment",
    "AssessmentResult",
    "BarrierRating",
    "BarrierVerdict",
    "CostRiskFrontier",
    "Duty",
    "MatrixCell",
    "Measure",
    "MeasureSelection",
    "Penalty",
    "Question",
    "RiskLevel",
    "RiskMatrix",
    "ScenarioLevel",
    "SiteLevel",
    "ThreatLikelihood",
    "ThreatScenario",
    "ThreatVehicle",
    "TopDriver",
    "VulnerabilityScore",
    "annualised_cost",
    "assess",
    "assessment_from_mapping",
    "band",
    "barrier_stops",
    "cost_risk_frontier",
    "effect_matrix",
    "fema_risk",
    "impact_energy_kj",
    "level_trend",
    "martyns_law_duties",
    "martyns_law_tier",
    "measure_by_id",
    "optimal_measures",
    "parse_rating",
    "relevant_to",
    "remap",
    "residual_risk",
    "risk_removed",
    "scenario_by_id",
    "site_level",
    "threat_likelihood",
    "total_cost_of_ownership",
    "vulnerability_scores",
]
