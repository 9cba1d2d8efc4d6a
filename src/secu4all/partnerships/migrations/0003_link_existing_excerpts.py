"""Excerpts shared before their source was recorded get it now, so the rule that an excerpt
is never wider than its assessment holds for them too at their next relabelling.

The excerpt page always shared from the latest assessment of the partnership's site, so the
source is the highest version of that site assessed no later than the excerpt was shared.
An excerpt without such an assessment stays unlinked (nothing to compare it with).
"""

from django.db import migrations


def link(apps, schema_editor) -> None:
    SharedItem = apps.get_model("partnerships", "SharedItem")
    Assessment = apps.get_model("assessments", "Assessment")
    excerpts = SharedItem.objects.filter(
        kind="assessment-excerpt",
        source_assessment__isnull=True,
        partnership__site__isnull=False,
    ).select_related("partnership")
    for item in excerpts.iterator():
        source = (
            Assessment.objects.filter(
                site_id=item.partnership.site_id, created_at__lte=item.created_at
            )
            .order_by("-version")
            .first()
        )
        if source is not None:
            SharedItem.objects.filter(pk=item.pk).update(source_assessment=source)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_organisation_library"),
        ("partnerships", "0002_excerpt_source_assessment"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
