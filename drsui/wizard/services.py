import secrets as pysecrets
import string

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from drsui import contract as c
from drsui.errors import ApplicationError

from .forms import StepForm
from .models import CloudProject, Draft
from .steps import STEPS, step_index


class DraftConflict(ApplicationError):
    pass


def propose_name() -> str:
    """A valid task name (R-01): DRS- and six random letters and digits."""
    alphabet = string.ascii_lowercase + string.digits
    return "DRS-" + "".join(pysecrets.choice(alphabet) for _ in range(6))


def draft_create(*, owner, project: CloudProject | None = None) -> Draft:
    if project is None:
        project = CloudProject.objects.order_by("pk").first()
    scenario_job_type, scenario_engine = c.SCENARIOS[0]
    name = propose_name()
    body = {"job": {"base_info": {
        "name": name,
        "job_type": scenario_job_type,
        "engine_type": scenario_engine,
        "task_type": "FULL_INCR_TRANS",
        "enterprise_project_id": "0",
        "description": "",
        "expired_days": "14",
    }}}
    return Draft.objects.create(owner=owner, project=project, name=name, body=body)


def draft_save_step(*, draft: Draft, form: StepForm, version: int, advance: bool = False,
                    project: CloudProject | None = None) -> Draft:
    """Store the step's body and secrets if `version` is still the draft's; else DraftConflict.

    `advance` opens the next step (the step validated)."""
    furthest = draft.furthest_step
    if advance:
        furthest = max(furthest, min(step_index(form.step) + 1, len(STEPS) - 1))
    draft.body = form.body()
    draft.set_secrets(form.secrets)
    draft.name = str(c.get_path(form.job, "base_info.name") or "")[:64]
    draft.furthest_step = furthest
    if project is not None:
        draft.project = project
    with transaction.atomic():
        updated = Draft.objects.filter(pk=draft.pk, version=version).update(
            body=draft.body, secrets_encrypted=draft.secrets_encrypted, name=draft.name,
            furthest_step=F("furthest_step") if not advance else furthest,
            project=draft.project, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise DraftConflict(
            "This draft was changed elsewhere (another tab?) since you opened this page. "
            "Your values are shown below and were not saved; Save again to keep them.")
    draft.refresh_from_db(fields=["version", "furthest_step", "updated_at"])
    return draft


def draft_store_secrets(*, draft: Draft, secrets: dict) -> None:
    """Keep passwords typed before a re-render: they are never rendered back into the page."""
    if secrets != draft.secrets():
        draft.set_secrets(secrets)
        Draft.objects.filter(pk=draft.pk).update(secrets_encrypted=draft.secrets_encrypted)
