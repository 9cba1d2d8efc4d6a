"""Excerpts of the risk assessment of the partnership's site, shared as items."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from secu4all.engines.risk import CATALOGUE
from secu4all.organisations.models import Organisation
from secu4all.partnerships.models import Partnership, SharedItem, SharedItemKind
from secu4all.partnerships.selectors import site_assessment_latest
from secu4all.partnerships.services.sharing import shared_item_create


def assessment_excerpt(*, partnership: Partnership):
    """The latest assessment of the partnership's site and a short excerpt of it (the three
    highest risks and the recommended measures), or (None, "") when there is none."""
    if partnership.site_id is None:
        return None, ""
    latest = site_assessment_latest(partnership=partnership)
    if latest is None:
        return None, ""
    scenarios = sorted(latest.result.get("scenarios", []), key=lambda s: -s.get("risk", 0))[:3]
    names = {m.id: m.name for m in CATALOGUE}
    lines = [
        _("Excerpt of the risk assessment of %(site)s, version %(version)d.")
        % {"site": partnership.site.name, "version": latest.version},
        "",
        _("Highest risks:"),
        *(
            f"- {_(s.get('name', s.get('id', '')))}: {s.get('risk', 0):.0f} "
            f"→ {s.get('residual_risk', 0):.0f}"
            for s in scenarios
        ),
    ]
    chosen = (latest.result.get("selection") or {}).get("measures", [])
    if chosen:
        lines += ["", _("Recommended measures:"), *(f"- {_(names.get(m, m))}" for m in chosen)]
    return latest, "\n".join(lines)


def assessment_excerpt_share(
    *, actor: AbstractBaseUser, acting_for: Organisation, partnership: Partnership, **fields
) -> SharedItem:
    """Share an excerpt of the site's assessment; never under a wider label than the
    assessment's own (an excerpt may be more restricted, not less)."""
    latest, _body = assessment_excerpt(partnership=partnership)
    if latest is None:
        raise ValidationError(_("The partnership's site has no assessment to share from."))
    fields["kind"] = SharedItemKind.ASSESSMENT_EXCERPT
    return shared_item_create(
        actor=actor,
        acting_for=acting_for,
        partnership=partnership,
        source_assessment=latest,
        **fields,
    )
