"""API of partnerships: the organisation's partnerships and the shared items its user may read.

The same guards and TLP policy as the pages (``partnerships.access``, ``partnerships.tlp``);
a refused item is a logged 404, exactly as on the web.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from secu4all.organisations.access import HasOrganisationPermission
from secu4all.organisations.permissions import Permission
from secu4all.partnerships import services, tlp
from secu4all.partnerships.access import item_or_404, partnership_or_404
from secu4all.partnerships.models import Partnership, SharedItem
from secu4all.partnerships.selectors import partnership_list, partnership_scope


class HasPartnershipRole(HasOrganisationPermission):
    """Partnership members; a refusal inside an organisation is also logged."""

    permission = Permission.JOIN_PARTNERSHIPS

    def has_permission(self, request, view) -> bool:
        organisation = getattr(request._request, "organisation", None)
        allowed = super().has_permission(request, view)
        if not allowed and organisation is not None:
            services.refusal_record(
                actor=request.user,
                organisation=organisation,
                object_type="partnerships.partnership",
                object_id="",
                via="api",
                status=403,
                reason="role",
                acting_for=organisation,
            )
        return allowed


class PartnershipSerializer(serializers.ModelSerializer):
    lead = serializers.CharField(source="organisation.slug")

    class Meta:
        model = Partnership
        fields = ["id", "name", "subject", "lead", "description"]


class SharedItemSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="owner_organisation.slug")
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = SharedItem
        fields = ["id", "tlp", "kind", "title", "body", "source", "created_at", "has_attachment"]

    def get_has_attachment(self, item: SharedItem) -> bool:
        return bool(item.attachment)


class PartnershipList(APIView):
    """The partnerships the organisation leads, belongs to or is in the community of."""

    permission_classes = [HasPartnershipRole]
    serializer_class = PartnershipSerializer  # for the schema

    @extend_schema(responses=PartnershipSerializer(many=True))
    def get(self, request: Request, org_slug: str) -> Response:
        found = partnership_list(organisation=request._request.organisation)
        return Response(PartnershipSerializer(found, many=True).data)


class SharedItemList(APIView):
    """The items of one partnership that this user's TLP labels allow, each read logged."""

    permission_classes = [HasPartnershipRole]
    serializer_class = SharedItemSerializer

    @extend_schema(responses=SharedItemSerializer(many=True))
    def get(self, request: Request, org_slug: str, pk: int) -> Response:
        partnership = partnership_or_404(request._request, pk, "api")
        with partnership_scope(partnership):
            items = list(
                tlp.readable_items(request.user, partnership).select_related("owner_organisation")
            )
            for item in items:
                services.item_read_record(
                    actor=request.user,
                    item=item,
                    via="api",
                    acting_for=request._request.organisation,
                )
        return Response(SharedItemSerializer(items, many=True).data)


class SharedItemDetail(APIView):
    """One shared item, if its label lets you read it; otherwise a logged 404."""

    permission_classes = [HasPartnershipRole]
    serializer_class = SharedItemSerializer

    def get(self, request: Request, org_slug: str, pk: int, item_pk: int) -> Response:
        partnership = partnership_or_404(request._request, pk, "api")
        item = item_or_404(request._request, partnership, item_pk, "api")
        services.item_read_record(
            actor=request.user, item=item, via="api", acting_for=request._request.organisation
        )
        return Response(SharedItemSerializer(item).data)
