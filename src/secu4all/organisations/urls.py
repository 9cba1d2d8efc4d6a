"""URLs of one organisation, all under /o/<org_slug>/."""

from django.urls import path

from secu4all.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/remove/", views.membership_delete, name="membership_delete"),
    path(
        "members/<int:user_id>/api-token/revoke/",
        views.member_api_token_revoke,
        name="member_api_token_revoke",
    ),
    path("settings/", views.security_settings, name="settings"),
    path("basemap.pmtiles", views.base_map_archive, name="base_map"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_log_export, name="audit_log_export"),
    path(
        "audit/export.json",
        views.audit_log_export,
        {"fmt": "json"},
        name="audit_log_export_json",
    ),
]
