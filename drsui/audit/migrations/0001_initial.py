# The audit trail, moved here from the jobs app: the model's state only. Its table,
# jobs_auditevent, was made by jobs 0001 and keeps its rows (db_table).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, old, new):
    """The model's content type (and the admin permissions on it) moves with it."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label=old, model='auditevent').update(app_label=new)


def content_type_to_audit(apps, schema_editor):
    _move_content_type(apps, schema_editor, 'jobs', 'audit')


def content_type_to_jobs(apps, schema_editor):
    _move_content_type(apps, schema_editor, 'audit', 'jobs')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('jobs', '0004_auditevent_moves_to_audit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('action', models.CharField(choices=[('draft_create', 'Draft created'), ('draft_rename', 'Draft renamed'), ('draft_delete', 'Draft deleted'), ('submit', 'Submitted'), ('retry', 'Retried'), ('action', 'Job action')], max_length=16)),
                        ('draft_id', models.BigIntegerField(blank=True, db_index=True, null=True)),
                        ('detail', models.TextField(blank=True)),
                        ('submission', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit', to='jobs.submission')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'jobs_auditevent',
                        'ordering': ['-at', '-pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_audit, content_type_to_jobs),
    ]
