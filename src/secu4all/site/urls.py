"""The project's URLs."""

from django.contrib import admin
from django.urls import include, path

from secu4all.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("language/", views.set_language, name="set_language"),
    path("accounts/", include("secu4all.accounts.urls")),
    path("o/<slug:org_slug>/", include("secu4all.organisations.urls")),
    path("o/<slug:org_slug>/incidents/", include("secu4all.incidents.urls")),
    path("o/<slug:org_slug>/sites/", include("secu4all.assessments.urls")),
    path("o/<slug:org_slug>/partnerships/", include("secu4all.partnerships.urls")),
    path("api/", include("secu4all.api.urls")),
    path("admin/", admin.site.urls),
    path("<slug:slug>/", views.capability_page, name="capability"),
]
