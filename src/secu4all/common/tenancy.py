"""The base of every tenant-owned model.

It names the organisation model by its label, not by import, so every app can stand on it
without importing the organisations app (the audit log included, which organisations
itself writes to).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

ORGANISATION_MODEL = "organisations.Organisation"


class OrganisationOwned(models.Model):
    """Base of every tenant-owned model.

    Its default manager refuses any query made outside an active organisation scope
    (django-scopes), so a view that forgets to filter by organisation fails loudly
    instead of leaking another municipality's rows.
    """

    organisation = models.ForeignKey(
        ORGANISATION_MODEL, on_delete=models.CASCADE, verbose_name=_("organisation")
    )

    objects = ScopedManager(organisation="organisation")

    class Meta:
        abstract = True
