"""Curriculum Markdown as safe HTML: lesson: and media/ links resolved, everything sanitised."""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

HEADING = re.compile(r"<h([1-6])>")
HEADING_TAG = re.compile(r"<(/?)h([1-6])>")
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

    source = LINK_TARGET.sub(target, text or "")
    html = markdown_lib.markdown(source, extensions=["tables", "sane_lists"])
    levels = [int(level) for level in HEADING.findall(html)]
    if levels:
        offset = top_level - min(levels)
        html = HEADING_TAG.sub(
            lambda m: f"<{m.group(1)}h{min(max(int(m.group(2)) + offset, 1), 6)}>", html
        )
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 -- sanitised by nh3 just above
