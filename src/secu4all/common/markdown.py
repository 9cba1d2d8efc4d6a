"""The one Markdown renderer: Markdown to HTML that is safe to put in a page.

Curriculum lessons and partnership templates are written in Markdown; whoever wrote them,
the HTML is sanitised against an allowlist (no script, no style, no event handlers, links
only to http, https and mailto), so a lesson file cannot carry a script into a page.
"""

from __future__ import annotations

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

HEADING = re.compile(r"<h([1-6])>")
HEADING_TAG = re.compile(r"<(/?)h([1-6])>")
TAGS = {
    *("p", "br", "hr", "blockquote", "code", "pre"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),
    *("strong", "em", "b", "i", "abbr", "sup", "sub"),
    *("ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "thead", "tbody", "tr", "th", "td"),
    *("a", "img", "figure", "figcaption"),
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope"},
    "td": set(),
}


def render_markdown(text: str, *, top_level: int | None = None) -> SafeString:
    """``text`` (Markdown with tables) as sanitised HTML.

    With ``top_level``, headings are shifted so the highest one used becomes
    ``<h{top_level}>``: a body written with ``#`` or ``##`` fits under the page's own
    ``<h1>`` either way.
    """
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    levels = [int(level) for level in HEADING.findall(html)]
    if top_level is not None and levels:
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
