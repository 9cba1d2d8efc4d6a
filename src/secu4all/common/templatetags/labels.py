"""Template filter ``object_type``: what kind of object an audit row names, in the reader's
language ("Shared item"), never the internal label ("partnerships.shareditem")."""

from __future__ import annotations

from django import template
from django.apps import apps
from django.utils.text import capfirst

register = template.Library()


@register.filter
def object_type(label: str) -> str:
    """The model's translated name for ``app_label.model``; empty for what is not a model
    (a page such as ``incidents.near_repeats``, whose row already says what it is)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return ""
    return str(capfirst(model._meta.verbose_name))
