"""App configuration for the site shell (templates, static files, translations)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "secu4all.site"
    label = "secu4all_site"
    verbose_name = _("Platform shell")
