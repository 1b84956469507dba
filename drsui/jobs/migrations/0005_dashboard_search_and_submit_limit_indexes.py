import sys

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The dashboard's search is `icontains` on the name and the DRS job id, which Django writes on
# PostgreSQL as UPPER(col::text) LIKE UPPER('%q%'): a trigram index on that expression answers
# it without reading the table (100,000 submissions: a scan of the whole table otherwise).
# SQLite has no such index; there the search stays a scan.
TRIGRAM_INDEXES = {
    "jobs_sub_name_trgm": "name",
    "jobs_sub_job_id_trgm": "drs_job_id",
}


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') "
                       "OR has_database_privilege(current_database(), 'CREATE')")
        if not cursor.fetchone()[0]:
            sys.stderr.write(
                "jobs 0005: pg_trgm is not installed and this role may not create it, so the "
                "dashboard's search stays a scan. A superuser can run CREATE EXTENSION pg_trgm; "
                "then: manage.py migrate jobs 0004 && manage.py migrate\n")
            return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trusted: the owner may
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON jobs_submission '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0004_auditevent_moves_to_audit"),
        ("wizard", "0003_body_keeps_key_order"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The per-person submit limit counts the user's last minute on every submit; the
        # index on user alone and the one on name alone are then prefixes of composite ones.
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["user", "created_at"], name="jobs_sub_user_created"),
        ),
        migrations.AlterField(
            model_name="submission",
            name="user",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name="submission",
            name="name",
            field=models.CharField(max_length=64),
        ),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
