"""URLs of training, under /o/<org_slug>/training/."""

from django.urls import path

from secu4all.training import views

app_name = "training"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("lessons/<slug:key>/", views.lesson, name="lesson"),
    path("lessons/<slug:key>/attempts/", views.attempt_start, name="attempt_start"),
    path("attempts/<int:pk>/", views.attempt, name="attempt"),
    path("attempts/<int:pk>/items/<slug:item_key>/", views.item_answer, name="item_answer"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="attempt_submit"),
    path("scenarios/<slug:key>/", views.scenario, name="scenario"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/injects/", views.run_injects, name="run_injects"),
    path("cohorts/<int:pk>/join/", views.cohort_join, name="cohort_join"),
    path("certificates/<str:code>.pdf", views.certificate_download, name="certificate_pdf"),
    path("media/<str:name>", views.media, name="media"),
    path("trainer/", views.trainer, name="trainer"),
    path("trainer/cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("trainer/cohorts/<int:pk>/progress.csv", views.cohort_export, name="cohort_export"),
    path("trainer/items.csv", views.item_statistics_export, name="item_statistics_export"),
    path("trainer/reviews/", views.reviews, name="reviews"),
    path(
        "trainer/certificates/<str:code>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("trainer/reviews/<int:pk>/", views.review, name="review"),
]
