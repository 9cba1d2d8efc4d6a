"""Curriculum Markdown as safe HTML: lesson: and media/ links resolved, everything sanitised."""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

LINK_TARGET = re.compile(r"\]\(\s*(lesson:|media/)([^)\s]+)")
TAGS = {
    "p",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "abbr",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope"},
    "td": set(),
}


def render_markdown(text: str, *, org_slug: str, heading_offset: int = 0) -> SafeString:
    """Markdown of the curriculum as sanitised HTML (no script, no style, no event handlers).

    ``heading_offset`` pushes headings down (an item's prompt must not add an <h1>).
    """

    def target(match: re.Match) -> str:
        kind, rest = match.group(1), match.group(2)
        if kind == "lesson:":
            url = reverse("training:lesson", kwargs={"org_slug": org_slug, "key": rest})
        else:
            url = reverse("training:media", kwargs={"org_slug": org_slug, "name": rest})
        return f"]({url}"

    source = LINK_TARGET.sub(target, text or "")
    html = markdown_lib.markdown(source, extensions=["tables", "sane_lists"])
    if heading_offset:
        for level in range(6, 0, -1):
            new = min(level + heading_offset, 6)
            html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 -- sanitised by nh3 just above
