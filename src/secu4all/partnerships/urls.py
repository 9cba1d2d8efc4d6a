"""URLs of partnerships, under /o/<org_slug>/partnerships/."""

from django.urls import path

from secu4all.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_index, name="list"),
    path("search/", views.search, name="search"),
    path("templates/<slug:name>/", views.template_text, name="template"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/partners/", views.partner_add, name="partner_add"),
    path("<int:pk>/partners/<int:member_pk>/remove/", views.partner_remove, name="partner_remove"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path(
        "<int:pk>/actions/from-assessment/",
        views.measures_from_assessment,
        name="measures_from_assessment",
    ),
    path("<int:pk>/actions/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("<int:pk>/items/", views.shared_items, name="items"),
    path("<int:pk>/items/export.csv", views.shared_items_csv, name="items_csv"),
    path("<int:pk>/items/excerpt/", views.assessment_excerpt_share, name="excerpt"),
    path("<int:pk>/items/<int:item_pk>/", views.shared_item_detail, name="item"),
    path(
        "<int:pk>/items/<int:item_pk>/attachment/", views.shared_item_attachment, name="attachment"
    ),
    path("<int:pk>/items/<int:item_pk>/export.pdf", views.shared_item_pdf, name="item_pdf"),
    path("<int:pk>/items/<int:item_pk>/relabel/", views.shared_item_relabel, name="relabel"),
    path("<int:pk>/items/<int:item_pk>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/alerts/new/", views.alert_create, name="alert_create"),
    path("<int:pk>/exercises/<int:exercise_pk>/", views.exercise_detail, name="exercise"),
    path(
        "<int:pk>/exercises/<int:exercise_pk>/close-review/",
        views.exercise_review_close,
        name="exercise_review_close",
    ),
    path("<int:pk>/add/<slug:what>/", views.record_add, name="record_add"),
    path("<int:pk>/add/<slug:what>/<int:parent_pk>/", views.record_add, name="record_add_to"),
    path(
        "<int:pk>/certifications/<int:certification_pk>/advance/",
        views.certification_advance,
        name="certification_advance",
    ),
]
