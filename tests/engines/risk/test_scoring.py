"""FEMA risk, threat likelihood, matrices, impact energy, barriers and Martyn's Law."""

from __future__ import annotations

import pytest

from secu4all.engines.risk import (
    CAVEAT,
    ENHANCED_DUTIES,
    ISO_31000_5X5,
    PENALTIES,
    PROTECT_UK_4X4,
    STANDARD_DUTIES,
    BarrierRating,
    RiskLevel,
    RiskMatrix,
    ThreatVehicle,
    band,
    barrier_stops,
    fema_risk,
    impact_energy_kj,
    martyns_law_duties,
    martyns_law_tier,
    parse_rating,
    remap,
    threat_likelihood,
)
from secu4all.engines.risk.hvm import KMH_PER_MPH


def test_fema_risk_published_example() -> None:
    assert fema_risk(8, 6, 8) == 384
    assert fema_risk(1, 1, 1) == 1
    assert fema_risk(10, 10, 10) == 1000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 5, 5), "asset_value: 0 is outside"),
        ((5, 11, 5), r"threat: 11 is outside \[1, 10\]"),
        ((5, 5, "high"), "vulnerability: 'high' is not a number"),
        ((5, 5, True), "vulnerability: True is not a number"),
    ],
)
def test_fema_risk_validates(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fema_risk(*args)


def test_impact_energy() -> None:
    assert impact_energy_kj(1500, 48) == pytest.approx(133.3, abs=0.05)
    mph50_kmh = 50 * KMH_PER_MPH
    assert mph50_kmh == pytest.approx(80.467, abs=1e-3)
    assert impact_energy_kj(6804, mph50_kmh) == pytest.approx(1700, rel=1e-3)
    assert impact_energy_kj(6804, 80.467) == pytest.approx(1700, rel=1e-3)
    with pytest.raises(ValueError, match="mass_kg"):
        impact_energy_kj(0, 48)


def test_barrier_stops() -> None:
    rating = parse_rating("V/7200[N3C]/48/90:1.5", "IWA 14-1")
    assert rating.vehicle_mass_kg == 7200
    assert rating.speed_kmh == 48
    assert rating.penetration_m == 1.5
    assert barrier_stops(rating, ThreatVehicle(3500, 48)).stops
    faster = barrier_stops(rating, ThreatVehicle(1500, 80))
    assert not faster.stops
    assert faster.threat_energy_kj < faster.rated_energy_kj  # energy alone is not enough
    assert not barrier_stops(rating, ThreatVehicle(1500, 40), standoff_m=1.0).stops
    pas = parse_rating("V/7500(N3)/80/90:0.0/25", "PAS 68")
    assert barrier_stops(pas, ThreatVehicle(7500, 80)).stops
    with pytest.raises(ValueError, match="rating: 'K12' is not a designation"):
        parse_rating("K12")
    with pytest.raises(ValueError, match=r"threat_vehicle.mass_kg"):
        barrier_stops(BarrierRating("PAS 68", 7500, 48, 0), ThreatVehicle(-1, 48))


def test_threat_likelihood_explains_itself() -> None:
    result = threat_likelihood(
        5, national_level="severe", incidents_nearby=31, expected_incidents=7.375
    )
    assert result.national == 1
    assert result.incidents == pytest.approx(2.0)
    assert result.value == 8
    assert len(result.explanation) == 4
    assert "31 recorded incidents" in result.explanation[2]
    low = threat_likelihood(2, national_level=1, incidents_nearby=0, expected_incidents=10)
    assert low.value == 1
    assert "kept within the scale" in low.explanation[-1]
    assert threat_likelihood(4).value == 4
    with pytest.raises(ValueError, match=r"national_level: 6 is outside 1..5"):
        threat_likelihood(4, national_level=6)
    with pytest.raises(ValueError, match="incidents_nearby"):
        threat_likelihood(4, incidents_nearby=-2)


def test_matrices() -> None:
    cell = ISO_31000_5X5.classify(5, 5)
    assert (cell.label, cell.colour) == ("Extreme", "#6a1b1a")
    assert ISO_31000_5X5.classify(1, 1).label == "Low"
    assert ISO_31000_5X5.classify(3, 3).label == "Medium"
    assert ISO_31000_5X5.classify(4, 4).label == "High"
    assert PROTECT_UK_4X4.shape == (4, 4)
    fema = PROTECT_UK_4X4.classify_fema(8, 6, 8)  # sqrt(48) = 6.9 → band 3, 8 → band 4
    assert (fema.likelihood, fema.impact) == (3, 4)
    assert [band(score, 4) for score in (1, 3.2, 3.3, 5.5, 7.8, 10)] == [1, 1, 2, 3, 4, 4]
    moved = remap(4, 4, source=PROTECT_UK_4X4, target=ISO_31000_5X5)
    assert (moved.likelihood, moved.impact) == (5, 5)
    with pytest.raises(ValueError, match=r"likelihood: 5 is outside 1..4"):
        PROTECT_UK_4X4.classify(5, 1)


def test_matrix_configuration_is_checked() -> None:
    levels = (RiskLevel("Low", "#00ff00"), RiskLevel("High", "#ff0000"))
    custom = RiskMatrix("2x2", ("Low", "High"), ("Low", "High"), levels, ((0, 1), (1, 1)))
    assert custom.classify(2, 1).label == "High"
    with pytest.raises(ValueError, match=r"cells\[1\]\[1\]: level decreases"):
        RiskMatrix("bad", ("L", "H"), ("L", "H"), levels, ((0, 1), (1, 0)))
    with pytest.raises(ValueError, match=r"levels\[0\].colour: 'green' is not #rrggbb"):
        RiskMatrix("bad", ("L", "H"), ("L", "H"), (RiskLevel("Low", "green"),), ((0, 0), (0, 0)))


@pytest.mark.parametrize(
    ("capacity", "kwargs", "tier"),
    [
        (199, {}, "out_of_scope"),
        (200, {}, "standard"),
        (799, {}, "standard"),
        (800, {}, "enhanced"),
        (1000, {"premises_type": "place_of_worship"}, "standard"),
        (2000, {"premises_type": "school"}, "standard"),
        (500, {"event": True, "entry_checks": True}, "out_of_scope"),
        (800, {"event": True, "entry_checks": False}, "out_of_scope"),
        (800, {"event": True, "entry_checks": True}, "enhanced"),
    ],
)
def test_martyns_law_tier(capacity: int, kwargs: dict, tier: str) -> None:
    assert martyns_law_tier(capacity, **kwargs) == tier


def test_martyns_law_duties_and_penalties() -> None:
    assert martyns_law_duties("out_of_scope") == ()
    standard = {duty.id for duty in martyns_law_duties("standard")}
    assert {"notification", "procedure_evacuation", "procedure_invacuation"} <= standard
    assert {"procedure_lockdown", "procedure_communication", "staff_know_procedures"} <= standard
    enhanced = {duty.id for duty in ENHANCED_DUTIES}
    assert enhanced > {duty.id for duty in STANDARD_DUTIES}
    assert {"measures_monitoring", "measures_movement", "measures_physical_security"} <= enhanced
    assert {"measures_information_security", "documented_compliance"} <= enhanced
    assert "designated_senior_individual" in enhanced
    assert PENALTIES["standard"].maximum == "£10,000"
    assert "£18 million" in PENALTIES["enhanced"].maximum
    assert "5%" in PENALTIES["enhanced"].maximum
    assert "not legal advice" in CAVEAT
    with pytest.raises(ValueError, match="capacity: -1"):
        martyns_law_tier(-1)
    with pytest.raises(ValueError, match="premises_type: 'castle'"):
        martyns_law_tier(300, premises_type="castle")
