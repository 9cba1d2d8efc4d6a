"""The default library of threat scenarios, by modus operandi."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ThreatScenario:
    """A threat scenario: a stable id, the family it belongs to and an English name.

    Ids are stable (stored assessments refer to them); names are translated by the
    Django layer. Families group scenarios on screen.
    """

    id: str
    family: str
    name: str


FAMILIES: dict[str, str] = {
    "marauding": "Marauding attack",
    "vehicle": "Vehicle as a weapon",
    "explosive": "Explosive device",
    "fire": "Fire as a weapon",
    "cbrn": "Chemical, biological or radiological",
    "crowd": "Crowd safety (not malicious)",
    "public_space_crime": "Public-space crime",
    "undermining": "Undermining by organised crime",
}

# Vehicle modi operandi follow the NPSA (formerly CPNI) hostile vehicle typology.
SCENARIOS: tuple[ThreatScenario, ...] = (
    ThreatScenario("marauding_firearms", "marauding", "Marauding firearms attack"),
    ThreatScenario("edged_weapon", "marauding", "Edged weapon attack"),
    ThreatScenario("vehicle_parked", "vehicle", "Vehicle as a weapon: parked vehicle"),
    ThreatScenario("vehicle_encroachment", "vehicle", "Vehicle as a weapon: encroachment"),
    ThreatScenario("vehicle_ramming", "vehicle", "Vehicle as a weapon: penetrative ramming"),
    ThreatScenario("vehicle_deception", "vehicle", "Vehicle as a weapon: deception"),
    ThreatScenario("vehicle_duress", "vehicle", "Vehicle as a weapon: duress"),
    ThreatScenario("ied", "explosive", "Improvised explosive device (placed)"),
    ThreatScenario("pbied", "explosive", "Person-borne IED"),
    ThreatScenario("vbied", "explosive", "Vehicle-borne IED"),
    ThreatScenario("drone_ied", "explosive", "Drone-borne IED"),
    ThreatScenario("fire_as_weapon", "fire", "Fire as a weapon"),
    ThreatScenario("cbr", "cbrn", "Chemical, biological or radiological attack"),
    ThreatScenario("crowd_crush", "crowd", "Crowd crush"),
    ThreatScenario("pickpocketing_theft", "public_space_crime", "Pickpocketing and theft"),
    ThreatScenario("robbery", "public_space_crime", "Robbery"),
    ThreatScenario("violence", "public_space_crime", "Violence"),
    ThreatScenario("sexual_harassment", "public_space_crime", "Sexual harassment"),
    ThreatScenario("vandalism", "public_space_crime", "Vandalism"),
    ThreatScenario("drug_dealing", "public_space_crime", "Drug dealing"),
    ThreatScenario("disorder", "public_space_crime", "Disorder and nuisance"),
    ThreatScenario("drug_production", "undermining", "Drug production"),
    ThreatScenario("exploitation", "undermining", "Exploitation of people"),
    ThreatScenario("illegal_residence", "undermining", "Illegal residence"),
    ThreatScenario("criminal_ownership", "undermining", "Criminal ownership or investment"),
)

SCENARIO_IDS: frozenset[str] = frozenset(scenario.id for scenario in SCENARIOS)


def scenario_by_id(scenario_id: str) -> ThreatScenario:
    """The library scenario with this id, or ValueError naming the unknown id."""
    for scenario in SCENARIOS:
        if scenario.id == scenario_id:
            return scenario
    raise ValueError(f"unknown scenario id {scenario_id!r}")
