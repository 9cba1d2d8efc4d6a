"""URLs of perceived safety, under /o/<org_slug>/perception/."""

from django.urls import path

from secu4all.perception import views

app_name = "perception"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("margins/import/", views.margins_import, name="margins_import"),
    path("questionnaires/new/", views.questionnaire_new, name="questionnaire_new"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("waves/new/", views.wave_new, name="wave_new"),
    path("waves/<int:pk>/", views.wave_detail, name="wave"),
    path("waves/<int:pk>/open/", views.wave_open, name="wave_open"),
    path("waves/<int:pk>/codes/", views.wave_codes, name="wave_codes"),
    path("waves/<int:pk>/fieldwork/", views.wave_fieldwork, name="wave_fieldwork"),
    path("waves/<int:pk>/responses/import/", views.responses_import, name="responses_import"),
    path("waves/<int:pk>/margins/import/", views.margins_import, name="wave_margins_import"),
    path("waves/<int:pk>/fear-gap/", views.wave_fear_gap, name="fear_gap"),
    path("waves/<int:pk>/export/<str:what>", views.wave_export, name="wave_export"),
    path("walks/", views.walks, name="walks"),
    path("walks/<int:pk>/", views.walk_detail, name="walk"),
    path("walks/<int:pk>/pins/<int:pin>/photo", views.pin_photo, name="pin_photo"),
    path("walks/area/<str:code>/", views.walk_area, name="walk_area"),
]
