"""App configuration for assessments."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "secu4all.assessments"
    verbose_name = _("Risk assessments")
