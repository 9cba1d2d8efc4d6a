"""API of the crime overview: incidents (paged, filtered) and hotspot layers as GeoJSON."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from secu4all.incidents import maps
from secu4all.incidents.analyses import being_computed, hotspot_result
from secu4all.incidents.forms import IncidentFilterForm
from secu4all.incidents.models import Incident
from secu4all.incidents.selectors import incident_list
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


# The GeoJSON a hotspot layer is answered with (``maps.to_geojson``), for the API's schema.
_RING = serializers.ListField(
    child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
    help_text="Longitude and latitude (WGS 84) of each corner, the first repeated last.",
)
HOTSPOT_CELL_FIELDS = {
    "type": serializers.ChoiceField(choices=["Feature"]),
    "geometry": inline_serializer(
        "HotspotCellPolygon",
        {
            "type": serializers.ChoiceField(choices=["Polygon"]),
            "coordinates": serializers.ListField(child=_RING),
        },
    ),
    "properties": inline_serializer(
        "HotspotCellProperties",
        {
            "row": serializers.IntegerField(),
            "col": serializers.IntegerField(),
            "count": serializers.IntegerField(help_text="Incidents in the cell."),
            "value": serializers.FloatField(help_text="The statistic of the method."),
            "class": serializers.IntegerField(help_text="The class the cell is drawn in."),
            "label": serializers.CharField(allow_blank=True, help_text="The class in words."),
        },
    ),
}
HOTSPOT_LAYER = inline_serializer(
    "HotspotLayer",
    {
        "type": serializers.ChoiceField(choices=["FeatureCollection"]),
        "properties": inline_serializer(
            "HotspotLayerProperties",
            {
                "method": serializers.CharField(required=False),
                "cell_size_m": serializers.FloatField(required=False),
                "epsg": serializers.IntegerField(required=False),
                "incidents": serializers.IntegerField(required=False),
                "cells_marked": serializers.IntegerField(required=False),
                "cells_drawn": serializers.IntegerField(required=False),
                "note": serializers.CharField(
                    required=False, help_text="Why the layer is empty, when it is."
                ),
            },
        ),
        "features": inline_serializer("HotspotCell", HOTSPOT_CELL_FIELDS, many=True),
    },
)


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
        responses={
            (200, GEOJSON): HOTSPOT_LAYER,
            503: OpenApiResponse(
                description=_(
                    "A local Moran layer is being computed in the background for the incidents "
                    "as they are now: ask again after the seconds in Retry-After."
                )
            ),
        },
    )
    def get(self, request: Request, org_slug: str) -> Response:
        form = _filter_form(request)
        computed = hotspot_result(
            organisation=request._request.organisation,
            filters=form.filters(),
            method=form.hotspot_method(),
            cell=form.cell_size(),
        )
        if not computed.current:
            return Response({"detail": being_computed()}, status=503, headers={"Retry-After": "30"})
        if computed.error:
            raise ValidationError({"cell": [computed.error]})
        layer = computed.value
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
