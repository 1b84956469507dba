import secrets as pysecrets
import string

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from drsui import contract as c
from drsui.audit.services import audit_record
from drsui.errors import ApplicationError

from .forms import StepForm
from .models import CloudProject, Draft
from .steps import STEPS, step_index


class DraftConflict(ApplicationError):
    pass


class DraftGone(ApplicationError):
    """The draft was deleted meanwhile (another tab, a second click)."""


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
    draft = Draft.objects.create(owner=owner, project=project, name=name, body=body)
    audit_record(user=owner, action="draft_create", draft_id=draft.pk, detail=name)
    return draft


@sensitive_variables()
def draft_save_step(*, draft: Draft, form: StepForm, version: int, advance: bool = False,
                    project: CloudProject | None = None) -> Draft:
    """Store the step's body and secrets if `version` is still the draft's; else DraftConflict.

    `advance` opens the next step (the step validated)."""
    furthest = draft.furthest_step
    if advance:
        furthest = max(furthest, min(step_index(form.step) + 1, len(STEPS) - 1))
    draft.body = form.body()
    if form.secrets or not draft.secrets_unreadable:  # kept until one is typed: the keys may
        draft.set_secrets(form.secrets)               # be set right again
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


def _unique_copy_name(name: str) -> str:
    suffix = "-" + propose_name()[4:8]
    return (name or "DRS")[: 50 - len(suffix)] + suffix


def draft_rename(*, draft: Draft, name: str) -> Draft:
    """The draft's name is its task name (base_info.name): rename both at once."""
    job = draft.job
    old = str(c.get_path(job, "base_info.name") or "")
    c.set_path(job, "base_info.name", name.strip())
    draft.body = {"job": job}
    draft.name = name.strip()[:64]
    Draft.objects.filter(pk=draft.pk).update(
        body=draft.body, name=draft.name, version=F("version") + 1, updated_at=timezone.now())
    audit_record(user=draft.owner, action="draft_rename", draft_id=draft.pk,
                 detail=f"{old} → {draft.name}")
    draft.refresh_from_db()
    return draft


def draft_delete(*, draft: Draft) -> None:
    """Delete a draft never submitted. Its row is locked first (as a submit locks it), so a
    submit at the same moment either comes first, and the delete is refused, or finds the
    draft gone."""
    with transaction.atomic():
        locked = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if locked is None:
            raise DraftGone("This draft was already deleted (in another tab?).")
        if locked.submissions.exists():
            raise ApplicationError(
                "A submitted draft is kept with its submission and can't be deleted.")
        audit_record(user=draft.owner, action="draft_delete", draft_id=draft.pk,
                     detail=locked.name)
        locked.delete()


@sensitive_variables()
def draft_from_body(*, owner, body: dict, project: CloudProject | None, name: str = "",
                    keep_secrets: bool = True, origin: str = "from a body") -> Draft:
    """A draft holding `body`: secrets go to the encrypted store, `******` counts as unset.

    Every step is reachable, so each shows its own violations."""
    body = c.normalise(body)
    stripped, secrets = c.strip_secrets(body)
    secrets = {p: v for p, v in secrets.items()
               if keep_secrets and isinstance(v, str) and v and v != c.MASK}
    job = stripped.get("job") if isinstance(stripped.get("job"), dict) else {}
    if name:
        c.set_path(job, "base_info.name", name)
    c.derive(job)
    draft = Draft(owner=owner, project=project or CloudProject.objects.order_by("pk").first(),
                  name=str(c.get_path(job, "base_info.name") or "")[:64], body={"job": job},
                  furthest_step=len(STEPS) - 1)
    draft.set_secrets(secrets)
    draft.save()
    audit_record(user=owner, action="draft_create", draft_id=draft.pk,
                 detail=f"{draft.name} ({origin})")
    return draft


def draft_clone(*, owner, body: dict, project: CloudProject | None,
                origin: str = "a copy") -> Draft:
    """"Create a similar task": passwords and certificate contents are not copied (as the DRS
    console's clone does); the wizard asks for them again."""
    name = str(c.get_path(body.get("job", {}), "base_info.name") or "")
    return draft_from_body(owner=owner, body=body, project=project,
                           name=_unique_copy_name(name), keep_secrets=False, origin=origin)
