"""Indexes for reading the log: one organisation newest first, by person, by object.

Adding an index changes no row, so the append-only trigger (0002) stays as it is; on SQLite
CREATE INDEX does not rebuild the table either (a test checks the trigger still refuses).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_auditevent_outcome'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['organisation', '-at', '-id'], name='audit_org_at'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['organisation', 'actor', '-at'], name='audit_org_actor_at'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['organisation', 'object_type', 'object_id'], name='audit_org_object'),
        ),
    ]
