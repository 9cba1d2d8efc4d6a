"""Admin of partnerships for superusers; shared items are read-only there, so their label
changes only through the owner's relabelling (``services.shared_item_relabel``)."""

from django.contrib import admin

from secu4all.partnerships.models import (
    ActionItem,
    Certification,
    PartnerMembership,
    Partnership,
    SharedItem,
)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "subject"]


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(admin.ModelAdmin):
    list_display = ["partnership", "member", "kind", "is_public", "joined_on", "left_on"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "owner_organisation", "deadline", "status"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["partnership", "stage", "expires_on"]


@admin.register(SharedItem)
class SharedItemAdmin(admin.ModelAdmin):
    list_display = ["title", "tlp", "partnership", "owner_organisation", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
