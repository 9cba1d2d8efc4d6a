from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from secu4all.neighbourhoods.signals import boundaries_changed


class PerceptionConfig(AppConfig):
    name = "secu4all.perception"
    label = "perception"
    verbose_name = _("Perceived safety")

    def ready(self) -> None:
        # Services import models, which are not ready when this module is imported.
        from secu4all.perception import analyses, services

        # Imported boundaries place this app's rows in their neighbourhoods again.
        boundaries_changed.connect(services.on_boundaries_changed, dispatch_uid="perception-areas")
        analyses.register()
