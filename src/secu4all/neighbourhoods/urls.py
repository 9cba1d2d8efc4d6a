"""URLs of the neighbourhoods, under /o/<org_slug>/neighbourhoods/."""

from django.urls import path

from secu4all.neighbourhoods import views

app_name = "neighbourhoods"

urlpatterns = [
    path("", views.areas, name="areas"),
]
