"""API of risk assessment: sites, their versions, and one version in full (audit-logged)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from secu4all.assessments.forms import SITE_FIELDS
from secu4all.assessments.models import Assessment, Site
from secu4all.audit.services import audit_read
from secu4all.organisations.access import requires
from secu4all.organisations.permissions import Permission


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", *SITE_FIELDS, "area"]
        read_only_fields = ["area"]  # drawn and checked on the site's page


class AssessmentSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        fields = ["version", "total_risk", "incomplete", "tlp", "created_at"]


class AssessmentDetailSerializer(serializers.Serializer):
    tlp = serializers.CharField()
    version = serializers.IntegerField()
    input = serializers.JSONField(help_text="The questionnaire and scenarios as assessed.")
    result = serializers.JSONField(help_text="The risk engine's result, scenario by scenario.")


class SiteList(generics.ListAPIView):
    """Sites of the organisation."""

    serializer_class = SiteSerializer
    permission_classes = [requires(Permission.ASSESS_SITES)]

    def get_queryset(self) -> QuerySet[Site]:
        return Site.objects.all()


class AssessmentList(generics.ListAPIView):
    """Versions of one site's assessment, newest first."""

    serializer_class = AssessmentSummarySerializer
    permission_classes = [requires(Permission.ASSESS_SITES)]

    def get_queryset(self) -> QuerySet[Assessment]:
        site = get_object_or_404(Site, pk=self.kwargs["pk"])
        return Assessment.objects.filter(site=site).order_by("-version")


class AssessmentDetail(APIView):
    """One version in full: its TLP label, its input and the engine's result."""

    permission_classes = [requires(Permission.ASSESS_SITES)]

    @extend_schema(responses=AssessmentDetailSerializer)
    def get(self, request: Request, org_slug: str, pk: int, version: int) -> Response:
        site = get_object_or_404(Site, pk=pk)
        assessment = get_object_or_404(Assessment, site=site, version=version)
        audit_read(
            request._request,
            target=assessment,
            detail={"via": "api"},
        )
        return Response(
            {
                "tlp": assessment.tlp,
                "version": assessment.version,
                "input": assessment.data,
                "result": assessment.result,
            }
        )
