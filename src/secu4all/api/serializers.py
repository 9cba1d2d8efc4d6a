"""Serializers of the foundation's API resources."""

from __future__ import annotations

from rest_framework import serializers

from secu4all.organisations.models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "require_two_factor", "roles"]

    def get_roles(self, organisation: Organisation) -> list[str]:
        return sorted(self.context["roles"].get(organisation.pk, []))


class MemberSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class AuditEventSerializer(serializers.Serializer):
    """An event as its reader may see it (``audit.selectors.audit_events_for_reader``)."""

    id = serializers.IntegerField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    actor_name = serializers.CharField(read_only=True)
    action = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)
    object_type = serializers.CharField(read_only=True)
    object_id = serializers.CharField(read_only=True)
    object_repr = serializers.CharField(source="shown_repr", read_only=True)
    object_label = serializers.CharField(
        source="label", read_only=True, help_text="The object named in the reader's language."
    )
    object_exists = serializers.SerializerMethodField(
        help_text="False when the object no longer exists."
    )
    detail = serializers.JSONField(source="shown_detail", read_only=True)

    def get_object_exists(self, event: object) -> bool:
        return not getattr(event, "object_gone", False)
