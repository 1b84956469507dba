import re
import secrets as pysecrets
import string
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from drsui import contract as c
from drsui.audit.services import audit_record
from drsui.errors import ApplicationError

from .actions import StepAction
from .forms import StepForm, step_apply, step_prepare, step_validate
from .models import CloudProject, Draft
from .prefill import network_values, project_values
from .selectors import project_by_id, project_if_usable, projects_for_user
from .steps import REVIEW_INDEX, STEPS, step_get, step_index


class DraftConflict(ApplicationError):
    pass


class DraftGone(ApplicationError):
    """The draft was deleted meanwhile (another tab, a second click)."""


def propose_name() -> str:
    """A valid task name (R-01): DRS- and six random letters and digits."""
    alphabet = string.ascii_lowercase + string.digits
    return "DRS-" + "".join(pysecrets.choice(alphabet) for _ in range(6))


def draft_unsaved(*, owner, project: CloudProject | None = None,
                  network_from: Draft | None = None, new_key: str | None = None) -> Draft:
    """A new task not stored yet (version 0): its first save creates it (draft_save_step),
    so a task begun and left leaves no draft behind. `network_from`: one of the owner's drafts
    whose Network step values (prefill.NETWORK_PATHS, no secret) it starts with, in that
    draft's project (a VPC is one project's). `new_key`: the task's key (new_task_key),
    stored by the first save. Only a project the owner may use is taken: else their first."""
    if project is None and network_from is not None:
        project = network_from.project
    project = project_if_usable(user=owner, project=project) or \
        projects_for_user(owner).order_by("pk").first()
    scenario_job_type, scenario_engine = c.SCENARIOS[0]
    name = propose_name()
    body = {"job": {"base_info": {
        "name": name,
        "job_type": scenario_job_type,
        "engine_type": scenario_engine,
        "task_type": "FULL_INCR_TRANS",
        "enterprise_project_id": "0",
        "description": "",
    }}}
    for path, value in (network_values(network_from.job) if network_from else {}).items():
        c.set_path(body["job"], path, value)
    return Draft(owner=owner, project=project, name=name, body=body, version=0,
                 new_key=new_key)


def new_task_key() -> str:
    """An unguessable key for a task not stored yet (Draft.new_key)."""
    return pysecrets.token_urlsafe(16)


def draft_create(*, owner, project: CloudProject | None = None) -> Draft:
    """A new task stored at once, as its first save stores it."""
    draft = draft_unsaved(owner=owner, project=project)
    _draft_insert(draft)
    return draft


def _draft_insert(draft: Draft, *, tab: str = "") -> bool:
    """Store a new task's draft (version 1); False when its key's draft was created a moment
    ago (a second click), which `draft` then is."""
    draft.version, draft.saved_by_tab, draft.tab_saves_from = 1, tab, 0
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        draft.pk = Draft.objects.get(owner=draft.owner, new_key=draft.new_key).pk
        draft._state.adding = False
        return False
    audit_record(user=draft.owner, action="draft_create", draft_id=draft.pk, detail=draft.name)
    return True


@sensitive_variables()
def draft_save_step(*, draft: Draft, form: StepForm, version: int, advance: bool = False,
                    project: CloudProject | None = None, tab: str = "") -> Draft:
    """Store the step's body and secrets if `version` is still the draft's; else DraftConflict.

    `advance` opens the next step (the step validated). `tab`: the browser tab saving (its
    `_tab`, "" when unknown)."""
    furthest = draft.furthest_step
    if advance:
        opened = min(step_index(form.step) + 1, REVIEW_INDEX)
        furthest = STEPS[max(draft.furthest_index, opened)].slug
    draft.body = form.body()
    if form.secrets or not draft.secrets_unreadable:  # kept until one is typed: the keys may
        draft.set_secrets(form.secrets)               # be set right again
    draft.name = str(c.get_path(form.job, "base_info.name") or "")[:64]
    draft.furthest_step = furthest
    if project is not None:
        draft.project = project
    if draft.pk is None and _draft_insert(draft, tab=tab):  # a new task's first save
        return draft
    # A version older than the draft's is another tab's page, except when only this tab saved
    # since (saved_by_tab; tab_saves_from is the version its run of saves started at): a
    # reload that raced this tab's last autosave, a re-render's save, a second click.
    current = Q(version=version)
    if tab:
        current |= Q(saved_by_tab=tab, tab_saves_from__lte=version, version__gt=version)
    with transaction.atomic():
        updated = Draft.objects.filter(current, pk=draft.pk).update(
            body=draft.body, secrets_encrypted=draft.secrets_encrypted, name=draft.name,
            furthest_step=F("furthest_step") if not advance else furthest,
            project=draft.project, version=F("version") + 1, updated_at=timezone.now(),
            saved_by_tab=tab, tab_saves_from=Case(
                When(saved_by_tab=tab, then=F("tab_saves_from")), default=F("version")))
    if not updated:
        raise DraftConflict(_(
            "This draft was changed elsewhere (another tab?) since you opened this page. "
            "Your values are shown below and were not saved; Save again to keep them."))
    draft.refresh_from_db(fields=["version", "furthest_step", "updated_at"])
    return draft


@sensitive_variables()
def draft_set_job(*, draft: Draft, job: dict, secrets: dict) -> Draft:
    """Store a whole new job and secrets in the draft (a change that is no step's: a wave's
    row). Its version moves on, so a wizard page opened before it saves nothing over it."""
    c.derive(job)
    draft.body, draft.name = {"job": job}, str(c.get_path(job, "base_info.name") or "")[:64]
    draft.set_secrets(secrets)
    with transaction.atomic():
        updated = Draft.objects.filter(pk=draft.pk).update(
            body=draft.body, secrets_encrypted=draft.secrets_encrypted, name=draft.name,
            version=F("version") + 1, updated_at=timezone.now(), saved_by_tab="",
            tab_saves_from=0)
    if not updated:
        raise DraftGone(_("This draft was deleted meanwhile."))
    draft.refresh_from_db(fields=["version", "updated_at"])
    return draft


INCOMPLETE_FORM = gettext_lazy("The form arrived incomplete, so nothing was saved. Check the "
                               "values below and send it again.")
UNKNOWN_ACTION = gettext_lazy("The form was sent by a button this page does not have, so it was "
                              "only saved. Use the buttons below.")
PROJECT_MISSING = gettext_lazy("Choose the cloud project to create the task in.")
PROJECT_NOT_GRANTED = gettext_lazy(
    "This cloud project is not granted to your teams (or no longer is): choose one from the "
    "list.")
STORED_PROJECT_NOT_GRANTED = gettext_lazy(
    "This draft's cloud project, %(project)s, is not granted to your teams (or no longer is): "
    "choose one from the list. Nothing else was changed.")
NO_PROJECT_GRANTED = gettext_lazy(
    "No cloud project is granted to your teams; ask an administrator.")
# The review page, and a submit refused (jobs.services.submit).
PROJECT_TO_CHOOSE = gettext_lazy(
    "This task cannot be submitted until a cloud project granted to your teams is chosen on the "
    "Base info step.")


def project_refusal(*, user, project: CloudProject | None, stored: bool = False) -> str:
    """Why `user` may not create a task in `project` (None: none chosen), or "" if they may.
    `stored`: the draft's own project, named (one posted is not: it may be no project of
    theirs)."""
    if project_if_usable(user=user, project=project):
        return ""
    if not projects_for_user(user).exists():
        return str(NO_PROJECT_GRANTED)
    if project is None:
        return str(PROJECT_MISSING)
    if stored:
        return STORED_PROJECT_NOT_GRANTED % {"project": project}
    return str(PROJECT_NOT_GRANTED)


def tab_of(data) -> str:
    """The browser tab a step's form came from (its `_tab`, static/drsui.js), or ""."""
    tab = data.get("_tab", "")
    return tab if TOKEN.fullmatch(tab) else ""


TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # a tab id, a new task's key


@dataclass
class StepOutcome:
    """What a step's POST came to: the step to open next, or `form` shown again."""

    form: StepForm
    open_step: str = ""  # saved and done: this step opens (the same one after Save)
    status: int = 200
    preview: bool = False  # only the JSON panel of `form`: nothing saved or validated
    project_error: str = ""
    rows_unsaved: bool = False  # the rows shown may not be the stored ones (see step_apply)
    saved: bool = False  # an autosave stored what was typed (none is done when nothing changed)


@sensitive_variables()
def draft_step_post(*, draft: Draft, step: str, action: StepAction, data, files=None,
                    tz: str = "UTC") -> StepOutcome:
    """Apply a step's POST to `draft`: save what changed, validate for Next (and after a
    drop), advance when Next finds the step valid, and say which step opens or what to show.
    A project the owner may not use is refused on its field, and prefills nothing."""
    draft_project = project_if_usable(user=draft.owner, project=draft.project)
    if "_version" not in data:  # not the step's form: a body cut short or malformed
        form = step_prepare(step=step, job=draft.job, secrets=draft.secrets(), tz=tz,
                            project=project_values(draft_project))
        form.non_field_errors.append(str(INCOMPLETE_FORM))
        return StepOutcome(form, status=400)
    try:
        version = int(data["_version"])
    except ValueError:
        version = 0
    # Rows shown after a refused save, or in a form older than the draft, may not be the
    # stored ones: their stored passwords are reused only when the rows are the same.
    rows_unsaved = "_rows_unsaved" in data
    stored_secrets = draft.secrets()
    form = step_apply(step=step, job=draft.job, secrets=stored_secrets, data=data, files=files,
                      tz=tz, action=action, project=project_values(draft_project),
                      rows_match_stored=not rows_unsaved and version == draft.version)
    if action.verb == "preview":  # the JSON panel while typing
        return StepOutcome(form, preview=True)
    project, project_error = None, ""
    if step == "base" and "project_id" in data:
        project = project_by_id(data["project_id"])
        project_error = project_refusal(user=draft.owner, project=project)
        if project_error:  # the draft keeps its project; what was typed is shown again
            project = None
    if action.validates:
        step_validate(form)
    valid = form.is_valid and not project_error
    changed = form.job != draft.job or form.secrets != stored_secrets or (
        project is not None and project.pk != draft.project_id)
    # A re-render saves what changed, without validating: the stored body and its row
    # passwords never disagree. A new task's draft is created by a save (Save, Next, an
    # autosave), not by a re-render; an autosave saves only what changed.
    if action.verb == "autosave":
        save = changed
    elif action.rerenders:
        save = changed and draft.pk is not None
    else:
        save = True
    if save:
        try:
            draft_save_step(draft=draft, form=form, version=version, project=project,
                            advance=action.verb == "next" and valid, tab=tab_of(data))
        except DraftConflict as exc:
            draft.refresh_from_db()
            form.non_field_errors.insert(0, exc.message)
            return StepOutcome(form, status=200 if action.rerenders else 409,
                               rows_unsaved=True)
    if action.verb == "autosave":  # answered without the form: nothing validated or shown
        return StepOutcome(form, saved=save)
    if action.rerenders:
        return StepOutcome(form, rows_unsaved=rows_unsaved and not changed)
    if action.unknown:
        form.non_field_errors.append(str(UNKNOWN_ACTION))
        return StepOutcome(form, project_error=project_error)
    if (action.verb == "next" and not valid) or form.errors or project_error:
        # Save, Back or a step link too: what could not be taken as typed (a certificate over
        # 256 KB, "abc" for a number) is said on its field, never passed over as saved.
        return StepOutcome(form, project_error=project_error)
    return StepOutcome(form, open_step=_step_to_open(draft, step, action))


def _step_to_open(draft: Draft, step: str, action: StepAction) -> str:
    index = step_index(step)
    if action.verb == "next":
        return STEPS[index + 1].slug
    if action.verb == "back":
        return STEPS[max(index - 1, 0)].slug
    if action.verb == "goto" and step_get(action.arg) \
            and step_index(action.arg) <= draft.furthest_index:
        return action.arg
    return step


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
        body=draft.body, name=draft.name, version=F("version") + 1, updated_at=timezone.now(),
        saved_by_tab="")  # no tab's save: a page older than the rename is another tab's
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
            raise DraftGone(_("This draft was already deleted (in another tab?)."))
        if locked.submissions.exists():
            raise ApplicationError(
                _("A submitted draft is kept with its submission and can't be deleted."))
        audit_record(user=draft.owner, action="draft_delete", draft_id=draft.pk,
                     detail=locked.name)
        locked.delete()


# Where a draft came from: words (a lazy translation, to be said in each language) or a
# function saying them in the active language (words with values).
Origin = str | Callable[[], str]
FROM_A_BODY, A_COPY = gettext_lazy("from a body"), gettext_lazy("a copy")


@sensitive_variables()
def draft_from_body(*, owner, body: dict, project: CloudProject | None, name: str = "",
                    keep_secrets: bool = True, origin: Origin = FROM_A_BODY
                    ) -> Draft:
    """A draft holding `body`: secrets go to the encrypted store, `******` counts as unset.
    In `project` if the owner may use it, else in none (Base info asks for one). `origin`:
    where it came from, said in the audit trail (in each reader's language).

    Every step is reachable, so each shows its own violations."""
    body = c.normalise(body)
    stripped, secrets = c.strip_secrets(body)
    secrets = {p: v for p, v in secrets.items()
               if keep_secrets and isinstance(v, str) and v and v != c.MASK}
    job = stripped.get("job") if isinstance(stripped.get("job"), dict) else {}
    if name:
        c.set_path(job, "base_info.name", name)
    c.derive(job)
    draft = Draft(owner=owner, project=project_if_usable(user=owner, project=project),
                  name=str(c.get_path(job, "base_info.name") or "")[:64], body={"job": job},
                  furthest_step=STEPS[REVIEW_INDEX].slug)
    draft.set_secrets(secrets)
    draft.save()
    audit_record(user=owner, action="draft_create", draft_id=draft.pk,
                 detail=lambda: f"{draft.name} ({origin() if callable(origin) else origin})")
    return draft


def draft_clone(*, owner, body: dict, project: CloudProject | None,
                origin: Origin = A_COPY) -> Draft:
    """"Create a similar task": passwords and certificate contents are not copied (as the DRS
    console's clone does); the wizard asks for them again. The copy keeps `project` only if
    the owner may use it: else it has none, and opens on Base info asking for one."""
    name = str(c.get_path(body.get("job", {}), "base_info.name") or "")
    return draft_from_body(owner=owner, body=body, project=project,
                           name=_unique_copy_name(name), keep_secrets=False, origin=origin)
