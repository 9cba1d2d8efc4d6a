"""The audit log refuses changes in the database too, not only through the ORM.

Both databases refuse an UPDATE of an audit event. PostgreSQL refuses a DELETE as well (so
an organisation with an audit history cannot be deleted: its trail is kept); SQLite cannot,
because Django empties its tables with DELETE between transactional tests, where PostgreSQL
uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

MESSAGE = "audit events are append-only"

POSTGRES_FORWARD = f"""
CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""
SQLITE_FORWARD = f"""
CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS audit_event_append_only;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
