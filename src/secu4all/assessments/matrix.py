"""The organisation's risk matrix, built from its setting by the engine, and re-mapping."""

from __future__ import annotations

from secu4all.assessments.models import MatrixSetting
from secu4all.engines import risk
from secu4all.organisations.models import Organisation


def matrix_from_setting(setting: MatrixSetting | None) -> risk.RiskMatrix:
    """The engine's matrix for a setting; raises ValueError naming what is inconsistent."""
    if setting is None:
        return risk.MATRICES["iso_31000_5x5"]
    preset = risk.MATRICES[setting.preset]
    likelihood = tuple(setting.likelihood_labels) or preset.likelihood_labels
    impact = tuple(setting.impact_labels) or preset.impact_labels
    names = list(setting.level_names) or [level.name for level in preset.levels]
    colours = list(setting.level_colours) or [level.colour for level in preset.levels]
    if len(names) != len(colours):
        raise ValueError(f"{len(names)} risk levels but {len(colours)} colours")
    levels = tuple(risk.RiskLevel(n, c) for n, c in zip(names, colours, strict=True))
    if (
        setting.thresholds
        or (likelihood, impact) != (preset.likelihood_labels, preset.impact_labels)
        or len(levels) != len(preset.levels)
    ):
        thresholds = list(setting.thresholds)
        if not thresholds:
            raise ValueError("changing the bands or the number of levels needs thresholds")
        return risk.RiskMatrix.from_thresholds(preset.name, likelihood, impact, levels, thresholds)
    return risk.RiskMatrix(preset.name, likelihood, impact, levels, preset.cells)


def organisation_matrix(organisation: Organisation) -> risk.RiskMatrix:
    setting = MatrixSetting.objects.with_scope(organisation=organisation).first()
    return matrix_from_setting(setting)


def cells_now(result: dict, matrix: risk.RiskMatrix) -> dict[str, risk.MatrixCell]:
    """Every scenario's cell in the organisation's current matrix, from the stored scores."""
    return {
        s["id"]: matrix.classify_fema(s["asset_value"], s["threat"], s["vulnerability"])
        for s in result["scenarios"]
    }
