"""Areas now belong to the neighbourhoods app: removed from this app's state only, so the
table ``incidents_area`` and its rows stay (neighbourhoods' 0001 took the model over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0004_import_run_heartbeat"),
        ("neighbourhoods", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Area")],
            database_operations=[],
        ),
    ]
