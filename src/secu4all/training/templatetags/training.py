"""Template helpers of training: curriculum Markdown, safely rendered."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from secu4all.training.rendering import render_markdown

register = template.Library()


@register.simple_tag(takes_context=True)
def markdown(context: template.Context, text: str, top_level: int = 2) -> SafeString:
    request = context["request"]
    return render_markdown(text, org_slug=request.organisation.slug, top_level=top_level)


# What each curriculum item type is called on screen (the type itself is a file format code).
ITEM_TYPE_LABELS = {
    "single_choice": _("Single choice"),
    "multiple_choice": _("Multiple choice"),
    "true_false": _("True or false"),
    "matching": _("Matching"),
    "ordering": _("Ordering"),
    "numeric": _("Number"),
    "hotspot": _("Point on an image"),
    "free_text": _("Free text"),
}


@register.filter
def item_type(code: str) -> str:
    """The reader's name of an item type, e.g. "Single choice" for ``single_choice``."""
    return str(ITEM_TYPE_LABELS.get(code, code))
