"""Curriculum Markdown as safe HTML: lesson: and media/ links resolved to the pages that serve
them, then rendered and sanitised by the platform's one Markdown renderer."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.safestring import SafeString

from secu4all.common import markdown

LINK_TARGET = re.compile(r"\]\(\s*(lesson:|media/)([^)\s]+)")


def render_markdown(text: str, *, org_slug: str, top_level: int = 2) -> SafeString:
    """Markdown of the curriculum as sanitised HTML (no script, no style, no event handlers).

    Headings are shifted so the highest one used becomes ``<h{top_level}>``: a lesson body
    written with ``#`` or ``##`` fits under the page's own ``<h1>`` either way.
    """

    def target(match: re.Match) -> str:
        kind, rest = match.group(1), match.group(2)
        if kind == "lesson:":
            url = reverse("training:lesson", kwargs={"org_slug": org_slug, "key": rest})
        else:
            url = reverse("training:media", kwargs={"org_slug": org_slug, "name": rest})
        return f"]({url}"

    return markdown.render_markdown(LINK_TARGET.sub(target, text or ""), top_level=top_level)
