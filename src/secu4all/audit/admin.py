"""The audit log and the platform's security log in Django's admin: readable, never editable."""

from django.contrib import admin

from secu4all.audit.models import AuditEvent, SecurityEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "organisation", "actor_name", "action", "object_type", "object_repr"]
    list_filter = ["action", "organisation"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The platform's security log, for operators: read-only."""

    list_display = ["last_at", "kind", "username", "path", "hits", "first_at"]
    list_filter = ["kind"]
    search_fields = ["username", "path"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
