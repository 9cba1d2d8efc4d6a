"""Areas move here from incidents: the model changes app, its table and rows stay.

The table ``incidents_area`` was created by incidents' own migrations, so this migration
only records the model in the state (no database operation). On an existing database the
content type of ``incidents.area`` is handed to this app, so permissions and generic
relations that point at it keep pointing at the areas.
"""

import django.db.models.deletion
from django.db import migrations, models


def content_type_to_neighbourhoods(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="neighbourhoods", model="area").exists():
        content_type.objects.filter(app_label="incidents", model="area").update(
            app_label="neighbourhoods"
        )


def content_type_to_incidents(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="incidents", model="area").exists():
        content_type.objects.filter(app_label="neighbourhoods", model="area").update(
            app_label="incidents"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("organisations", "0001_initial"),
        # The table and its boundary column exist once incidents has migrated this far.
        ("incidents", "0004_import_run_heartbeat"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Area",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.CharField(max_length=30, verbose_name="area code")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "population",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="inhabitants"
                            ),
                        ),
                        (
                            "boundary",
                            models.JSONField(blank=True, null=True, verbose_name="boundary"),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="organisations.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "area",
                        "verbose_name_plural": "areas",
                        "db_table": "incidents_area",
                        "ordering": ["code"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("organisation", "code"), name="unique_area_code"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_neighbourhoods, content_type_to_incidents),
    ]
