"""App configuration for incidents."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from secu4all.neighbourhoods.signals import boundaries_changed


class IncidentsConfig(AppConfig):
    name = "secu4all.incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        # Services import models, which are not ready when this module is imported.
        from secu4all.common.metrics import register_collector
        from secu4all.incidents import analyses, services
        from secu4all.incidents.metrics import ImportCollector

        # Imported boundaries place this app's rows in their neighbourhoods again.
        boundaries_changed.connect(services.on_boundaries_changed, dispatch_uid="incidents-areas")
        register_collector(ImportCollector())
        analyses.register()
