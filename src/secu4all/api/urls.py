"""URLs of the API, versioned by namespace."""

from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from secu4all.api import views
from secu4all.assessments import api as assessments_api
from secu4all.incidents import api as incidents_api
from secu4all.partnerships import api as partnerships_api
from secu4all.perception import api as perception_api
from secu4all.training import api as training_api

app_name = "api"

v1 = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocs.as_view(url_name="api:v1:schema"), name="docs"),
    path("organisations/", views.OrganisationList.as_view(), name="organisation-list"),
    path(
        "organisations/<slug:org_slug>/members/",
        views.MemberList.as_view(),
        name="member-list",
    ),
    path(
        "organisations/<slug:org_slug>/incidents/",
        incidents_api.IncidentList.as_view(),
        name="incident-list",
    ),
    path(
        "organisations/<slug:org_slug>/hotspots/",
        incidents_api.HotspotLayerView.as_view(),
        name="hotspot-layer",
    ),
    path(
        "organisations/<slug:org_slug>/sites/",
        assessments_api.SiteList.as_view(),
        name="site-list",
    ),
    path(
        "organisations/<slug:org_slug>/sites/<int:pk>/assessments/",
        assessments_api.AssessmentList.as_view(),
        name="assessment-list",
    ),
    path(
        "organisations/<slug:org_slug>/sites/<int:pk>/assessments/<int:version>/",
        assessments_api.AssessmentDetail.as_view(),
        name="assessment-detail",
    ),
    path(
        "organisations/<slug:org_slug>/training/progress/",
        training_api.MyProgress.as_view(),
        name="training-progress",
    ),
    path(
        "organisations/<slug:org_slug>/survey-waves/",
        perception_api.WaveList.as_view(),
        name="survey-wave-list",
    ),
    path(
        "organisations/<slug:org_slug>/survey-waves/<int:pk>/estimates/",
        perception_api.WaveEstimates.as_view(),
        name="survey-wave-estimates",
    ),
    path(
        "organisations/<slug:org_slug>/survey-waves/<int:pk>/responses/",
        perception_api.WaveResponseCreate.as_view(),
        name="survey-wave-responses",
    ),
    path(
        "organisations/<slug:org_slug>/partnerships/",
        partnerships_api.PartnershipList.as_view(),
        name="partnership-list",
    ),
    path(
        "organisations/<slug:org_slug>/partnerships/<int:pk>/items/",
        partnerships_api.SharedItemList.as_view(),
        name="shared-item-list",
    ),
    path(
        "organisations/<slug:org_slug>/partnerships/<int:pk>/items/<int:item_pk>/",
        partnerships_api.SharedItemDetail.as_view(),
        name="shared-item-detail",
    ),
    path(
        "organisations/<slug:org_slug>/audit-events/",
        views.AuditEventList.as_view(),
        name="audit-event-list",
    ),
]

urlpatterns = [
    path("", RedirectView.as_view(url="v1/", permanent=False)),
    path("v1/", include((v1, "v1"))),
]
