"""Form fields that refuse values the database cannot hold before they reach a query."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models

# A signed 64-bit integer: the widest key any of our databases stores.
KEY_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, except that an id beyond the database's integer range is an invalid
    choice like any other unknown id: SQLite raises ``OverflowError`` on it in ``pk__in``."""

    def _check_values(self, value: Iterable[Any]) -> models.QuerySet:
        key = self.queryset.model._meta.pk
        if isinstance(key, models.IntegerField | models.AutoField):
            for item in value:
                try:
                    number = int(str(item))
                except ValueError:
                    continue  # Django's own check names it as not a valid value
                if number not in KEY_RANGE:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)
