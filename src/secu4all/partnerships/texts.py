"""Templates for partnerships as Markdown files per language: an information-sharing
agreement and a data protection impact assessment (DPIA) checklist.

They are content, translated in their own files (``texts/<name>.<language>.md``), with
English as the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from secu4all.common.i18n import current_language
from secu4all.common.markdown import render_markdown

TEXT_DIR = Path(__file__).parent / "texts"


@dataclass(frozen=True)
class Text:
    name: str
    title: Promise


TEXTS = {
    t.name: t
    for t in (
        Text("information-sharing-agreement", _("Information-sharing agreement (template)")),
        Text("dpia-checklist", _("Data protection impact assessment checklist")),
    )
}


def source(name: str, language: str | None = None) -> str:
    language = (language or current_language()).split("-")[0]
    for code in (language, "en"):
        path = TEXT_DIR / f"{name}.{code}.md"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError(name)


def render(name: str, language: str | None = None) -> SafeString:
    """The template as HTML; sanitised, although the files ship with the code."""
    return render_markdown(source(name, language))
