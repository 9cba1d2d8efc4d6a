"""Why a threat rating has its value, said in the reader's language from the engine's parts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from secu4all.common.numbers import format_number


def _figure(value: object, *, signed: bool = False) -> str:
    """A figure in the reader's language, with a decimal only when it has one (3, 2,5, +2)."""
    if not isinstance(value, int | float):
        return "" if value is None else str(value)
    decimals = 0 if float(value).is_integer() else 1
    sign = ("+" if value >= 0 else "−") if signed else ""
    return sign + format_number(abs(value) if signed else value, decimals)


def threat_lines(scenario: dict, context: dict) -> list[str]:
    """The steps from the assessor's base rating to the rating used, one sentence each."""
    parts = scenario.get("threat_parts")
    if not parts:
        return list(scenario.get("threat_explanation", []))
    lines = [
        _("Base rating given by the assessor: %(base)s of 10.") % {"base": _figure(parts["base"])}
    ]
    if parts["national"]:
        lines.append(
            _("National threat level %(level)s: %(points)s points.")
            % {
                "level": context.get("national_level"),
                "points": _figure(parts["national"], signed=True),
            }
        )
    if parts["incidents"]:
        lines.append(
            _(
                "%(n)s recorded incidents within %(r)s m in %(m)s months, where %(e)s are usual: "
                "%(points)s points."
            )
            % {
                "n": _figure(context.get("incidents_nearby")),
                "r": _figure(context.get("radius_m")),
                "m": _figure(context.get("period_months")),
                "e": _figure(context.get("expected_incidents")),
                "points": _figure(parts["incidents"], signed=True),
            }
        )
    lines.append(_("Threat rating used: %(value)s.") % {"value": _figure(scenario["threat"])})
    return lines
