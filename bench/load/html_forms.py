"""The forms of an HTML page as a browser would send them, read with the standard library.

The load users fill forms the way a person does: they start from what the page offers
(hidden fields, the CSRF token, pre-filled values, the checked radio button, the selected
option) and change a few fields. Reading the page keeps the scenarios honest: a form whose
fields change breaks the load test instead of silently posting something the page never had.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    # What a browser sends without the user touching anything.
    values: dict[str, str] = field(default_factory=dict)
    # Every value a radio button group or a select offers, in page order.
    choices: dict[str, list[str]] = field(default_factory=dict)
    multipart: bool = False


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                Form(
                    action=a.get("action", ""),
                    method=a.get("method", "get").lower(),
                    multipart="multipart" in a.get("enctype", ""),
                )
            )
            return
        if not self.forms:
            return
        form, name = self.forms[-1], a.get("name", "")
        if tag == "option" and self._select:
            value = a.get("value", "")
            form.choices[self._select].append(value)
            # A browser sends a single select's first option when none is selected, and
            # nothing for a multiple one.
            if "selected" in a or not (self._multiple or self._select in form.values):
                form.values[self._select] = value
        elif not name:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.values[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form.values[name] = a.get("value", "")
        elif tag == "select":
            self._select, self._multiple = name, "multiple" in a
            form.choices.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = name
            form.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].values[self._textarea] += data


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, action_part: str) -> Form:
    """The first POST form whose action contains ``action_part``; '' is a form that posts
    back to the page itself (no action)."""
    for form in forms_of(html):
        found = action_part in form.action if action_part else not form.action
        if form.method == "post" and found:
            return form
    raise LookupError(f"no POST form with an action containing {action_part!r} on the page")
