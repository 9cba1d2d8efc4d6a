"""Why a threat rating has its value, said in the reader's language from the engine's parts."""

from __future__ import annotations

from django.utils.translation import gettext as _


def threat_lines(scenario: dict, context: dict) -> list[str]:
    """The steps from the assessor's base rating to the rating used, one sentence each."""
    parts = scenario.get("threat_parts")
    if not parts:
        return list(scenario.get("threat_explanation", []))
    lines = [
        _("Base rating given by the assessor: %(base)s of 10.") % {"base": f"{parts['base']:g}"}
    ]
    if parts["national"]:
        lines.append(
            _("National threat level %(level)s: %(points)s points.")
            % {"level": context.get("national_level"), "points": f"{parts['national']:+g}"}
        )
    if parts["incidents"]:
        lines.append(
            _(
                "%(n)s recorded incidents within %(r)s m in %(m)s months, where %(e)s are usual: "
                "%(points)s points."
            )
            % {
                "n": context.get("incidents_nearby"),
                "r": context.get("radius_m"),
                "m": context.get("period_months"),
                "e": context.get("expected_incidents"),
                "points": f"{parts['incidents']:+g}",
            }
        )
    lines.append(_("Threat rating used: %(value)s.") % {"value": f"{scenario['threat']:g}"})
    return lines
