"""The organisation's scenario library and measure catalogue: the engine's defaults with the
organisation's own settings laid over them. New assessments start from these."""

from __future__ import annotations

from dataclasses import dataclass

from secu4all.assessments.defaults import scenarios_for
from secu4all.assessments.models import MeasureSetting, ScenarioInclusion, ScenarioSetting
from secu4all.engines import risk
from secu4all.organisations.models import Organisation

# Scores of a scenario that an organisation adds everywhere without giving its own.
ALWAYS_ASSET_VALUE = 5
ALWAYS_THREAT = 3


def scenario_settings(organisation: Organisation) -> dict[str, ScenarioSetting]:
    return {
        s.scenario_id: s
        for s in ScenarioSetting.objects.with_scope(organisation=organisation).all()
    }


def starting_scenarios(organisation: Organisation, kind: str) -> list[dict]:
    """The scenarios a new assessment of this kind of site starts with, and their scores."""
    settings = scenario_settings(organisation)
    chosen = {s["id"]: s for s in scenarios_for(kind)}
    for scenario in risk.SCENARIOS:
        setting = settings.get(scenario.id)
        if setting is None:
            continue
        if setting.inclusion == ScenarioInclusion.NEVER:
            chosen.pop(scenario.id, None)
            continue
        if setting.inclusion == ScenarioInclusion.ALWAYS and scenario.id not in chosen:
            chosen[scenario.id] = {
                "id": scenario.id,
                "asset_value": ALWAYS_ASSET_VALUE,
                "threat": ALWAYS_THREAT,
            }
        if scenario.id in chosen:
            if setting.asset_value is not None:
                chosen[scenario.id]["asset_value"] = setting.asset_value
            if setting.threat is not None:
                chosen[scenario.id]["threat"] = setting.threat
    order = {s.id: i for i, s in enumerate(risk.SCENARIOS)}
    return sorted(chosen.values(), key=lambda s: order[s["id"]])


@dataclass(frozen=True)
class CatalogueEntry:
    """One measure of the organisation's catalogue and where its figures come from."""

    measure: risk.Measure
    origin: str  # "library", "changed" (library measure, own figures) or "own"
    offered: bool

    def engine_input(self) -> dict:
        """The measure with all its figures, so a stored version keeps the prices it used."""
        m = self.measure
        return {
            "id": m.id,
            "name": m.name,
            "category": m.category,
            "investment_eur": m.investment_eur,
            "yearly_cost_eur": m.yearly_cost_eur,
            "lifetime_years": m.lifetime_years,
            "effects": dict(m.effects),
            "perceived_safety": m.perceived_safety,
            "accessibility": m.accessibility,
        }


def measure_from_setting(setting: MeasureSetting) -> risk.Measure:
    """The engine's measure for a setting; ValueError names the field the engine refuses."""
    library = {m.id: m for m in risk.CATALOGUE}.get(setting.measure_id)
    return risk.Measure(
        setting.measure_id,
        setting.name,
        setting.category,
        investment_eur=setting.investment_eur,
        yearly_cost_eur=setting.yearly_cost_eur,
        lifetime_years=setting.lifetime_years,
        effects=setting.effects,
        perceived_safety=setting.perceived_safety,
        accessibility=setting.accessibility,
        rating=library.rating if library else None,
    )


def organisation_catalogue(organisation: Organisation) -> list[CatalogueEntry]:
    """Library measures (with the organisation's figures where it set its own), then its own."""
    settings = {
        s.measure_id: s for s in MeasureSetting.objects.with_scope(organisation=organisation).all()
    }
    entries = []
    for measure in risk.CATALOGUE:
        setting = settings.pop(measure.id, None)
        if setting is None:
            entries.append(CatalogueEntry(measure, "library", offered=True))
        else:
            entries.append(
                CatalogueEntry(measure_from_setting(setting), "changed", setting.offered)
            )
    for setting in sorted(settings.values(), key=lambda s: s.name.lower()):
        entries.append(CatalogueEntry(measure_from_setting(setting), "own", setting.offered))
    return entries
