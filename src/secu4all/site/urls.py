"""The project's URLs."""

from django.contrib import admin
from django.urls import include, path

from secu4all.common import health, metrics
from secu4all.organisations import views as organisation_views
from secu4all.shell import views
from secu4all.training import views as training_views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("accounts/", include("secu4all.accounts.urls")),
    path("o/<slug:org_slug>/", include("secu4all.organisations.urls")),
    path("o/<slug:org_slug>/neighbourhoods/", include("secu4all.neighbourhoods.urls")),
    path("o/<slug:org_slug>/incidents/", include("secu4all.incidents.urls")),
    path("o/<slug:org_slug>/sites/", include("secu4all.assessments.urls")),
    path("o/<slug:org_slug>/training/", include("secu4all.training.urls")),
    path(
        "certificates/<str:code>/",
        training_views.certificate_verify,
        name="certificate_verify",
    ),
    path("o/<slug:org_slug>/perception/", include("secu4all.perception.urls")),
    # The anonymous public survey: no organisation in the URL, no sign-in.
    path("s/", include("secu4all.perception.public_urls")),
    path("o/<slug:org_slug>/partnerships/", include("secu4all.partnerships.urls")),
    path("api/", include("secu4all.api.urls")),
    path("admin/", admin.site.urls),
    # For operators and load balancers; no trailing slash, as probes are configured.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path(
        "basemaps/<slug:slug>.pmtiles",
        organisation_views.base_map_public_archive,
        name="base_map_public",
    ),
    path("<slug:slug>/", views.capability_page, name="capability"),
]

handler400 = "secu4all.common.errors.bad_request"
handler403 = "secu4all.shell.views.permission_denied"
handler404 = "secu4all.common.errors.page_not_found"
handler500 = "secu4all.common.errors.server_error"
