"""API of the crime overview: incidents (paged, filtered) and hotspot layers as GeoJSON."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from secu4all.incidents import maps
from secu4all.incidents.forms import IncidentFilterForm
from secu4all.incidents.models import Incident
from secu4all.incidents.selectors import hotspot_layer, incident_list
from secu4all.organisations.access import requires
from secu4all.organisations.permissions import Permission

FILTERS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("category", OpenApiTypes.STR),
    OpenApiParameter("area", OpenApiTypes.STR),
]


def _filter_form(request: Request) -> IncidentFilterForm:
    form = IncidentFilterForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    return form


class IncidentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = [
            "id",
            "source_id",
            "occurred_on",
            "occurred_at",
            "precision",
            "category",
            "source_category",
            "lon",
            "lat",
            "area_code",
            "area_name",
            "location_text",
            "outcome",
        ]


class IncidentList(generics.ListAPIView):
    """Incidents of the organisation, newest first, with the overview's filters."""

    serializer_class = IncidentSerializer
    permission_classes = [requires(Permission.VIEW_CRIME)]

    @extend_schema(parameters=FILTERS)
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Incident]:
        form = _filter_form(self.request)
        return incident_list(
            organisation=self.request._request.organisation, filters=form.filters()
        ).order_by("-occurred_on", "id")


GEOJSON = "application/geo+json"


class HotspotLayerView(APIView):
    """A hotspot layer (Gi*, kernel density or local Moran) as a GeoJSON FeatureCollection."""

    permission_classes = [requires(Permission.VIEW_CRIME)]

    @extend_schema(
        parameters=[
            *FILTERS,
            OpenApiParameter("method", OpenApiTypes.STR, enum=["gistar", "kde", "local-moran"]),
            OpenApiParameter("cell", int),
        ],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, org_slug: str) -> Response:
        form = _filter_form(request)
        organisation = request._request.organisation
        try:
            layer = hotspot_layer(
                organisation=organisation,
                incidents=incident_list(organisation=organisation, filters=form.filters()),
                method=form.hotspot_method(),
                cell=form.cell_size(),
            )
        except ValueError as error:
            raise ValidationError({"cell": [str(error)]}) from None
        if layer is None:
            return Response(
                {
                    "type": "FeatureCollection",
                    "properties": {"note": _("No located incidents match these filters.")},
                    "features": [],
                },
                content_type=GEOJSON,
            )
        return Response(maps.to_geojson(layer), content_type=GEOJSON)
