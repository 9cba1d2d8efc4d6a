"""Template helpers of training: curriculum Markdown, safely rendered."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from secu4all.training.rendering import render_markdown

register = template.Library()


@register.simple_tag(takes_context=True)
def markdown(context: template.Context, text: str, top_level: int = 2) -> SafeString:
    request = context["request"]
    return render_markdown(text, org_slug=request.organisation.slug, top_level=top_level)
