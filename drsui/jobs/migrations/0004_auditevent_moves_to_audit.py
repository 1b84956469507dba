# The audit trail moves to the audit app (drsui/audit), below the wizard and jobs. Only the
# migration state changes: the table keeps its name, jobs_auditevent, and its rows.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0003_body_keeps_key_order'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='AuditEvent')],
            database_operations=[],
        ),
    ]
