"""The first-run checklist of a new organisation: what is set up, and the next step to take."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from secu4all.assessments.selectors import assessment_exists
from secu4all.incidents.selectors import incidents_exist
from secu4all.neighbourhoods.selectors import boundaries_exist
from secu4all.organisations.models import Organisation
from secu4all.organisations.permissions import Permission, has_permission
from secu4all.partnerships.selectors import partners_invited
from secu4all.perception.selectors import wave_exists


@dataclass(frozen=True)
class OnboardingStep:
    title: Promise
    action: Promise  # what the link to the next step says
    done: bool
    url: str


@dataclass(frozen=True)
class Checklist:
    steps: tuple[OnboardingStep, ...]

    @property
    def next_step(self) -> OnboardingStep | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return self.next_step is None


# Each step: what done means, what the link says, whether it is done, where it is done.
STEPS = (
    (
        _("Neighbourhood boundaries imported"),
        _("Import neighbourhoods"),
        boundaries_exist,
        "neighbourhoods:areas",
    ),
    (_("Crime data imported"), _("Import incidents"), incidents_exist, "incidents:imports"),
    (_("First site assessed"), _("Assess a site"), assessment_exists, "assessments:sites"),
    (_("First survey wave set up"), _("Set up a survey wave"), wave_exists, "perception:wave_new"),
    (
        _("Partners invited"),
        _("Invite partners to a partnership"),
        partners_invited,
        "partnerships:list",
    ),
)


def checklist_for(organisation: Organisation) -> Checklist:
    """The five first steps of a municipality on the platform, each done or not."""
    return Checklist(
        tuple(
            OnboardingStep(
                title,
                action,
                done(organisation=organisation),
                reverse(url, args=[organisation.slug]),
            )
            for title, action, done, url in STEPS
        )
    )


def onboarding_checklist(request: HttpRequest) -> Checklist | None:
    """The checklist of the request's organisation, for its admins only."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or not has_permission(request, Permission.MANAGE_ORGANISATION):
        return None
    return checklist_for(organisation)
