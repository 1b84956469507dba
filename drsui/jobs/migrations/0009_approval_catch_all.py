from django.db import migrations


def catch_all_create(apps, schema_editor):
    """The policy's last rule, always there: one approval from the ops group (nothing fails
    open)."""
    Group = apps.get_model("auth", "Group")
    ApprovalRule = apps.get_model("jobs", "ApprovalRule")
    ops, _created = Group.objects.get_or_create(name="ops")
    if not ApprovalRule.objects.filter(catch_all=True).exists():
        ApprovalRule.objects.create(name="Everything else", catch_all=True, position=1_000_000,
                                    approvals_needed=1, approver_group=ops)


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0008_approvals"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(catch_all_create, migrations.RunPython.noop)]
