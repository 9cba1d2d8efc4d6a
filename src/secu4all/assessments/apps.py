"""App configuration for assessments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from secu4all.neighbourhoods.signals import boundaries_changed


class AssessmentsConfig(AppConfig):
    name = "secu4all.assessments"
    verbose_name = _("Risk assessments")

    def ready(self) -> None:
        # Services import models, which are not ready when this module is imported.
        from secu4all.assessments import services

        # Imported boundaries place this app's rows in their neighbourhoods again.
        boundaries_changed.connect(services.on_boundaries_changed, dispatch_uid="assessments-areas")
