"""App configuration for public–private partnerships."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "secu4all.partnerships"
    verbose_name = _("Partnerships")
