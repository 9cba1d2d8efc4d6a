"""Shared items as CSV and PDF, each carrying its TLP label where a reader cannot miss it."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from secu4all.common.exports import SpreadsheetSafeWriter, _Writable
from secu4all.common.tlp import TLP_COLOURS, TLP_WIDTH, Tlp
from secu4all.partnerships.models import SharedItem


def strictest(labels: Sequence[str]) -> str:
    """The most restrictive label among ``labels`` (CLEAR when there are none)."""
    return min(labels, key=lambda label: TLP_WIDTH[Tlp(label)], default=Tlp.CLEAR)


def items_csv(stream: _Writable, items: Sequence[SharedItem]) -> None:
    """First line: the strictest label of the file; then one row per item with its own."""
    writer = SpreadsheetSafeWriter(stream)
    label = strictest([item.tlp for item in items])
    writer.writerow(
        [label, _("This file is %(label)s: share it only as its label allows.") % {"label": label}]
    )
    writer.writerow(["tlp", "id", "kind", "title", "source", "shared_at", "text", "attachment"])
    for item in items:
        writer.writerow(
            [
                item.tlp,
                item.pk,
                item.kind,
                item.title,
                item.owner_organisation.name,
                item.created_at.isoformat(),
                item.body,
                item.attachment_name,
            ]
        )


def item_pdf(item: SharedItem) -> bytes:
    """One item as PDF; the label in the header and footer of every page (@page boxes)."""
    from weasyprint import HTML

    html = render_to_string(
        "partnerships/item_pdf.html", {"item": item, "colour": TLP_COLOURS[item.tlp]}
    )
    return HTML(string=html).write_pdf()
