"""Endpoints of the foundation; capabilities add theirs under /api/v1/."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.plumbing import set_query_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from secu4all.api.serializers import (
    AuditEventSerializer,
    MemberSerializer,
    OrganisationSerializer,
)
from secu4all.audit.models import AuditAction, AuditOutcome
from secu4all.audit.selectors import (
    audit_actor_list,
    audit_event_list,
    audit_events_for_reader,
    audit_object_type_list,
)
from secu4all.organisations.access import requires
from secu4all.organisations.forms import AuditLogFilterForm
from secu4all.organisations.models import Organisation
from secu4all.organisations.permissions import Permission
from secu4all.organisations.selectors import (
    member_list,
    organisation_list_for_user,
    roles_by_organisation,
)


class ApiRoot(APIView):
    """The entry point of API version 1: links to its resources, schema and docs."""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return reverse(f"api:v1:{name}", request=request)

        return Response(
            {
                "version": request.version,
                "organisations": link("organisation-list"),
                "schema": link("schema"),
                "docs": link("docs"),
            }
        )


class ApiDocs(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar in a page of the site's own: in the reader's
    language, with a heading, and without the inline style the stock template has (the
    Content Security Policy allows no inline style or script)."""

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        response = super().get(request, *args, **kwargs)
        if "script_url" in (response.data or {}):
            # drf-spectacular asks for its script with an empty ``?script=``, which the API
            # refuses (EmptyParameterMiddleware): the page then stayed blank, with a 400 in
            # the console.
            response.data["script_url"] = set_query_parameters(
                url=response.data["script_url"], script="1"
            )
        return response


class OrganisationList(generics.ListAPIView):
    """The organisations you belong to, with your roles in each."""

    serializer_class = OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisation_list_for_user(user=self.request.user)

    def get_serializer_context(self) -> dict:
        roles = roles_by_organisation(user=self.request.user)
        return {**super().get_serializer_context(), "roles": roles}


class MemberList(APIView):
    """Members of the organisation and their roles (organisation admins only, as the page)."""

    permission_classes = [requires(Permission.MANAGE_ORGANISATION)]

    @extend_schema(responses=MemberSerializer(many=True))
    def get(self, request: Request, org_slug: str) -> Response:
        members = member_list(organisation=request._request.organisation)
        data = [
            {"username": m.username, "full_name": m.full_name, "roles": list(m.roles)}
            for m in members
        ]
        return Response(MemberSerializer(data, many=True).data)


AUDIT_FILTERS = [
    OpenApiParameter("action", str, enum=AuditAction.values, description="One action."),
    OpenApiParameter("outcome", str, enum=AuditOutcome.values, description="One outcome."),
    OpenApiParameter("person", int, description="One person's events (their user id)."),
    OpenApiParameter("object_type", str, description="One kind of object, e.g. assessments.site."),
    OpenApiParameter("object_id", str, description="One object (with object_type)."),
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day on (included)."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Up to this day (included)."),
]


class AuditEventList(generics.ListAPIView):
    """The organisation's audit log, newest first (organisation admins only), with the
    filters of its page."""

    serializer_class = AuditEventSerializer
    permission_classes = [requires(Permission.MANAGE_ORGANISATION)]

    @extend_schema(parameters=AUDIT_FILTERS)
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        organisation = self.request._request.organisation
        form = AuditLogFilterForm(
            self.request.query_params,
            people=[(p.actor_id, p.name) for p in audit_actor_list(organisation=organisation)],
            object_types=audit_object_type_list(organisation=organisation),
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        return audit_event_list(organisation=organisation, filters=form.filters())

    def paginate_queryset(self, queryset: QuerySet) -> list:
        # Titles of TLP-labelled objects are disclosed per reader, one page at a time.
        return audit_events_for_reader(
            reader=self.request.user,
            organisation=self.request._request.organisation,
            events=super().paginate_queryset(queryset),
        )
