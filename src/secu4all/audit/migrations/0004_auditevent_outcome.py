"""Audit events get an outcome (allowed or refused), and the refusals written before it,
which carried ``"outcome": "refused"`` in their detail, are marked as such.

Marking them is an UPDATE, which the append-only trigger refuses; this migration lifts the
trigger for that one statement and puts it back (SQLite also rebuilds the table to add the
column, which drops the trigger with the old table).
"""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("secu4all.audit.migrations.0002_append_only_in_the_database")


def mark_refusals(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEvent._base_manager.filter(detail__outcome="refused").update(outcome="refused")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_security_log")]

    operations = [
        migrations.RunPython(append_only.backward, append_only.forward),
        migrations.AddField(
            model_name="auditevent",
            name="outcome",
            field=models.CharField(
                choices=[("allowed", "allowed"), ("refused", "refused")],
                db_index=True,
                default="allowed",
                max_length=10,
                verbose_name="outcome",
            ),
        ),
        migrations.RunPython(mark_refusals, migrations.RunPython.noop),
        migrations.RunPython(append_only.forward, append_only.backward),
    ]
