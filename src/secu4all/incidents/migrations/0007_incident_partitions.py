"""On PostgreSQL, incidents partitioned by organisation (hash, 8 partitions) with a BRIN
index on the day; on other databases nothing changes.

Django does not manage partitioned tables, so the table is rebuilt here: renamed, created
again partitioned with the same columns, identity, constraints and indexes (read from the
catalogue, so their names stay those Django's state knows), filled, and the old one dropped.
Backwards builds the plain table the same way.

Why by organisation only, not also by year: a partitioned table's unique keys must hold
the partition key. The primary key becomes (id, organisation) — ``id`` stays unique, as
the identity column alone gives it out, though the database no longer enforces it on its
own, and no foreign key points at incidents — and ``unique_incident_per_organisation``
(organisation, fingerprint) holds the organisation already. Partitioning by year as well
would need the day in that key: the database would then no longer refuse the same
fingerprint twice in one organisation (it would rely on every importer hashing the date
into the fingerprint), and every import's duplicate lookup by fingerprint, which cannot
name a year, would probe the index of every year's partition. So the year is left to the
BRIN index on ``occurred_on``, which keeps the rows of a date range apart at a few pages
of index, as imports arrive roughly in date order.
"""

from django.db import migrations

TABLE = "incidents_incident"
PARTITIONS = 8
BRIN = "incident_day_brin"


def _definitions(cursor, table: str) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The table's indexes not backing a constraint, and its constraints (name, type, def)."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass ORDER BY contype = 'p' DESC, conname",
        [table],
    )
    return indexes, cursor.fetchall()


def _rebuild(schema_editor, *, partitioned: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    old = f"{TABLE}_old"
    with schema_editor.connection.cursor() as cursor:
        # Deferred foreign key checks of rows written earlier in this transaction must
        # run before the table can be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        indexes, constraints = _definitions(cursor, TABLE)
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
        # Free the names: indexes and constraints are named per schema.
        for name, _kind, _definition in reversed(constraints):
            cursor.execute(f'ALTER TABLE {old} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = %s::regclass",
            [old],
        )
        for (index,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {index}")
        tail = " PARTITION BY HASH (organisation_id)" if partitioned else ""
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY){tail}"
        )
        if partitioned:
            for i in range(PARTITIONS):
                cursor.execute(
                    f"CREATE TABLE {TABLE}_p{i} PARTITION OF {TABLE} "
                    f"FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {i})"
                )
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")  # noqa: S608
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {TABLE}")  # noqa: S608
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id RESTART WITH {cursor.fetchone()[0]}")
        cursor.execute(f"DROP TABLE {old}")
        for name, kind, definition in constraints:
            if kind == "p":
                definition = (
                    "PRIMARY KEY (id, organisation_id)" if partitioned else "PRIMARY KEY (id)"
                )
            cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
        for definition in indexes:
            if BRIN not in definition:
                cursor.execute(definition.replace(f" ON ONLY public.{TABLE} ", f" ON {TABLE} "))
        if partitioned:
            cursor.execute(f"CREATE INDEX {BRIN} ON {TABLE} USING brin (occurred_on)")
        cursor.execute(f"ANALYZE {TABLE}")


def partition(apps, schema_editor) -> None:
    _rebuild(schema_editor, partitioned=True)


def unpartition(apps, schema_editor) -> None:
    _rebuild(schema_editor, partitioned=False)


class Migration(migrations.Migration):
    # The table is copied in one transaction: all or nothing.
    atomic = True

    dependencies = [("incidents", "0006_incident_counts")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
