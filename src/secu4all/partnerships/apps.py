"""App configuration for public–private partnerships."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "secu4all.partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        # The audit log shows a shared item's title only to readers its TLP label allows.
        from secu4all.audit import disclosure
        from secu4all.partnerships import tlp

        for object_type in ("partnerships.shareditem", "partnerships.alert"):
            disclosure.register(
                object_type,
                tlp.audit_disclosures,
                private_detail=tlp.AUDIT_PRIVATE_DETAIL,
                hidden=tlp.audit_hidden_label,
            )
        disclosure.register(
            "partnerships.search",
            tlp.audit_search_disclosures,
            private_detail=tlp.AUDIT_SEARCH_PRIVATE_DETAIL,
            hidden=tlp.audit_search_hidden_label,
        )
