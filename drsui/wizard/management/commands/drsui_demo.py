from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from drsui.wizard.models import CloudProject

DEMO_PROJECT_ID = "054ba152d480d55b2f5dc0069e7ddef0"
# The demo login's team: both sandbox projects are granted to it (admin, in ops, uses all).
DEMO_TEAM = "demo-team"


def demo_team() -> Group:
    return Group.objects.get_or_create(name=DEMO_TEAM)[0]


def demo_setup(*, portal_url: str) -> CloudProject:
    """The demo login and a "Sandbox" project pointing at the sandbox mounted in the portal
    (returned), with its IAM user; and "Sandbox AK/SK", the same with an access key pair;
    both granted to the demo login's team, "demo-team"."""
    users = get_user_model()
    ops, _ = Group.objects.get_or_create(name="ops")
    team = demo_team()
    demo = users.objects.filter(username="demo").first() or \
        users.objects.create_user("demo", password="demo")
    demo.groups.add(team)  # also the demo login of a database made before teams
    if not users.objects.filter(username="admin").exists():
        admin = users.objects.create_superuser("admin", password="admin")
        admin.groups.add(ops)
    sandbox = settings.DRSUI_SANDBOX
    base = portal_url.rstrip("/") + "/sandbox"
    project, _ = CloudProject.objects.update_or_create(
        name="Sandbox",
        defaults={"region": "cn-north-4", "project_id": DEMO_PROJECT_ID, "drs_endpoint": base,
                  "iam_endpoint": base, "iam_user": sandbox["IAM_USER"],
                  "iam_domain": sandbox["IAM_DOMAIN"]})
    project.set_iam_password(sandbox["IAM_PASSWORD"])
    project.save()
    access_key, secret_key = next(iter(sandbox["ACCESS_KEYS"].items()))
    signed, _ = CloudProject.objects.update_or_create(
        name="Sandbox AK/SK",
        defaults={"region": "cn-north-4", "project_id": DEMO_PROJECT_ID, "drs_endpoint": base,
                  "iam_endpoint": base, "access_key": access_key})
    signed.set_secret_key(secret_key)
    signed.save()
    team.cloud_projects.add(project, signed)
    return project


class Command(BaseCommand):
    help = "Prepare the demo logins (demo/demo, admin/admin) and the Sandbox cloud project."

    def handle(self, *args, **options):
        project = demo_setup(portal_url=settings.DRSUI_PORTAL_URL)
        self.stdout.write(
            f"drsui is ready at {settings.DRSUI_PORTAL_URL}/ — log in as demo / demo "
            f"(admin / admin for the Django admin and the ops group; the demo login's team, "
            f"{DEMO_TEAM}, is granted both projects). "
            f"Cloud projects '{project.name}' (IAM user) and '{project.name} AK/SK' submit to "
            f"{project.drs_endpoint}. {approval_words()}")


def approval_words() -> str:
    """What the approval policy's catch-all does to the demo's submissions, as README's quick
    start says it (the rule read by name: the wizard does not import jobs)."""
    rule = (apps.get_model("jobs", "ApprovalRule").objects.select_related("approver_group")
            .filter(catch_all=True).first())
    if rule is None or not rule.approvals_needed:
        return "Submissions are sent at once: the approval policy asks for no approval."
    group = rule.approver_group.name if rule.approver_group_id else "ops"
    return (f"Submissions wait for approval by another person: the approval policy asks for "
            f"{rule.approvals_needed} approval(s) from the {group} group, and nobody approves "
            f"their own. A task demo submits shows 'Awaiting approval' until admin approves it: "
            f"log in as admin / admin, click the count beside Dashboard (/approvals/), open the "
            f"submission and press Approve.")
