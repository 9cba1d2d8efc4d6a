"""URLs of risk assessment, under /o/<org_slug>/sites/."""

from django.urls import path, register_converter

from secu4all.assessments import views

app_name = "assessments"


class AssessmentFormat:
    """The formats an assessment is exported in: any other extension is not found."""

    regex = "pdf|csv|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AssessmentFormat, "assessment_format")

urlpatterns = [
    path("", views.sites, name="sites"),
    path("portfolio/", views.portfolio_page, name="portfolio"),
    path("matrix/", views.matrix_setting, name="matrix"),
    path("measures/", views.catalogue, name="catalogue"),
    path("measures/new/", views.measure_edit, name="measure_new"),
    path("measures/<slug:measure_id>/", views.measure_edit, name="measure_edit"),
    path("measures/<slug:measure_id>/reset/", views.measure_reset, name="measure_reset"),
    path("scenarios/", views.scenario_library, name="scenarios"),
    path("<int:pk>/", views.site_detail, name="site"),
    path("<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/v<int:version>/", views.assessment_detail, name="assessment"),
    path(
        "<int:pk>/v<int:version>/export.<assessment_format:fmt>",
        views.assessment_export,
        name="assessment_export",
    ),
]
