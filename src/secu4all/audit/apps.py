"""App configuration for the audit log."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "secu4all.audit"
    verbose_name = _("Audit log")
