"""URLs of the crime overview, under /o/<org_slug>/incidents/."""

from django.urls import path, register_converter

from secu4all.incidents import assistant_views, views
from secu4all.neighbourhoods.views import areas_moved

app_name = "incidents"


class HotspotFormat:
    """The formats a hotspot layer is exported in: any other extension is not found."""

    regex = "geojson|png|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(HotspotFormat, "hotspot_format")

urlpatterns = [
    path("", views.overview, name="overview"),
    path("hotspots.<hotspot_format:fmt>", views.hotspots_export, name="hotspots_export"),
    path("tables/<slug:table>.csv", views.table_export, name="table_export"),
    path("near-repeats/", views.near_repeat_page, name="near_repeats"),
    path("accuracy/", views.accuracy_page, name="accuracy"),
    # The neighbourhoods page moved to its own app; old links and bookmarks still arrive.
    path("areas/", areas_moved, name="areas"),
    path("imports/", views.imports, name="imports"),
    path("imports/assistant/", assistant_views.import_assistant, name="import_assistant"),
    path("imports/template.csv", assistant_views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/delete/", views.import_delete, name="import_delete"),
    path("imports/<int:pk>/rejected.csv", views.import_rejections_export, name="rejected_export"),
]
