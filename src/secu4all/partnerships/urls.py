"""URLs of partnerships, under /o/<org_slug>/partnerships/."""

from django.urls import path

from secu4all.partnerships.views import (
    alerts,
    certification,
    excerpts,
    exercises,
    members,
    partnership,
    plans,
    records,
    search,
    sharing,
    texts,
)

app_name = "partnerships"

urlpatterns = [
    path("", partnership.partnership_index, name="list"),
    path("search/", search.search, name="search"),
    path("templates/<slug:name>/", texts.template_text, name="template"),
    path("<int:pk>/", partnership.partnership_detail, name="detail"),
    path("<int:pk>/partners/", members.partner_add, name="partner_add"),
    path(
        "<int:pk>/partners/<int:member_pk>/remove/", members.partner_remove, name="partner_remove"
    ),
    path("<int:pk>/actions/", plans.action_add, name="action_add"),
    path(
        "<int:pk>/actions/from-assessment/",
        plans.measures_from_assessment,
        name="measures_from_assessment",
    ),
    path("<int:pk>/actions/<int:action_pk>/status/", plans.action_status, name="action_status"),
    path("<int:pk>/items/", sharing.shared_items, name="items"),
    path("<int:pk>/items/export.csv", sharing.shared_items_csv, name="items_csv"),
    path("<int:pk>/items/excerpt/", excerpts.assessment_excerpt_share, name="excerpt"),
    path("<int:pk>/items/<int:item_pk>/", sharing.shared_item_detail, name="item"),
    path(
        "<int:pk>/items/<int:item_pk>/attachment/",
        sharing.shared_item_attachment,
        name="attachment",
    ),
    path("<int:pk>/items/<int:item_pk>/export.pdf", sharing.shared_item_pdf, name="item_pdf"),
    path("<int:pk>/items/<int:item_pk>/relabel/", sharing.shared_item_relabel, name="relabel"),
    path("<int:pk>/items/<int:item_pk>/acknowledge/", alerts.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/alerts/new/", alerts.alert_create, name="alert_create"),
    path("<int:pk>/exercises/<int:exercise_pk>/", exercises.exercise_detail, name="exercise"),
    path(
        "<int:pk>/exercises/<int:exercise_pk>/close-review/",
        exercises.exercise_review_close,
        name="exercise_review_close",
    ),
    path("<int:pk>/add/<slug:what>/", records.record_add, name="record_add"),
    path("<int:pk>/add/<slug:what>/<int:parent_pk>/", records.record_add, name="record_add_to"),
    path(
        "<int:pk>/certifications/<int:certification_pk>/advance/",
        certification.certification_advance,
        name="certification_advance",
    ),
]
