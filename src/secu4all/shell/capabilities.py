"""The six capabilities of the platform, as the navigation and the home page show them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from secu4all.organisations.permissions import Permission, roles_with


@dataclass(frozen=True)
class Capability:
    slug: str
    title: Promise
    summary: Promise
    url_name: str = ""  # the organisation page where it lives, once it is built
    permission: Permission = Permission.LEARN  # what opening it needs

    @property
    def available(self) -> bool:
        return bool(self.url_name)

    def opens_for(self, organisation, roles: frozenset[str]) -> bool:
        """Whether someone holding ``roles`` in ``organisation`` may open it there."""
        return bool(roles & roles_with(self.permission, organisation))


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "crime",
        _("Crime overview"),
        _(
            "Where and when crime in public space concentrates: hotspot maps, patterns "
            "by hour and weekday, near repeats and trends per neighbourhood."
        ),
        url_name="incidents:overview",
        permission=Permission.VIEW_CRIME,
    ),
    Capability(
        "assessments",
        _("Risk assessment"),
        _(
            "Threat scenarios, vulnerability questionnaires and explainable risk scores "
            "for squares, streets, stadiums and events, with the cheapest set of measures."
        ),
        url_name="assessments:sites",
        permission=Permission.ASSESS_SITES,
    ),
    Capability(
        "perceived-safety",
        _("Perceived safety"),
        _(
            "Anonymous multilingual surveys and safety audit walks, weighted estimates "
            "with confidence intervals, set beside recorded crime."
        ),
        url_name="perception:overview",
        permission=Permission.VIEW_PERCEIVED_SAFETY,
    ),
    Capability(
        "partnerships",
        _("Partnerships"),
        _(
            "Public and private partners around a site or event: who does what, joint "
            "plans, exercises and need-to-know sharing under the Traffic Light Protocol."
        ),
        url_name="partnerships:list",
        permission=Permission.JOIN_PARTNERSHIPS,
    ),
    Capability(
        "training",
        _("Training"),
        _(
            "E-learning for local-authority staff: three theoretical modules and one "
            "practical module with exercises, scenarios and certificates."
        ),
        url_name="training:overview",
        permission=Permission.LEARN,
    ),
    Capability(
        "neighbourhoods",
        _("Neighbourhoods"),
        _(
            "Crime, perceived safety and social, physical and economic indicators side "
            "by side per neighbourhood, and interventions evaluated before and after."
        ),
        url_name="neighbourhoods:areas",
        permission=Permission.VIEW_NEIGHBOURHOODS,
    ),
)


def capability(slug: str) -> Capability | None:
    return next((c for c in CAPABILITIES if c.slug == slug), None)


def capabilities_opening(organisation, roles: frozenset[str]) -> list[Capability]:
    """The built capabilities that someone holding ``roles`` may open in ``organisation``."""
    return [c for c in CAPABILITIES if c.available and c.opens_for(organisation, roles)]
