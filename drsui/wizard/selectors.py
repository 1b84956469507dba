from functools import cache

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from drsui import contract as c
from drsui.roles import OPS_GROUP, is_ops, remember_is_ops

from .fields import scenario_label, visible_fields
from .kinds import kind_of, rows_of
from .models import CloudProject, Draft
from .prefill import network_values
from .steps import STEPS, step_for_path, step_index


@cache
def _drafts_with_state():
    """Built once: resolving the two subqueries costs more than running them."""
    memberships = get_user_model().groups.through.objects
    # Submissions by the reverse relation's name: the wizard does not import jobs.
    submissions = Draft._meta.get_field("submissions").related_model.objects
    return Draft.objects.select_related("project").annotate(
        active_submission_id=Subquery(
            submissions.filter(draft=OuterRef("pk"), active=True).values("pk")[:1]),
        owner_in_ops=Exists(
            memberships.filter(user_id=OuterRef("owner_id"), group__name=OPS_GROUP)),
    )


def draft_get_for_user(*, user, draft_id: int) -> Draft:
    """The user's own draft, or 404 whoever else's it is; with `active_submission_id` (None
    when no submission of it is active). The same query tells whether the owner (the user)
    is in ops, which the page's navigation asks next."""
    draft = get_object_or_404(_drafts_with_state(), pk=draft_id, owner=user)
    draft.owner = user  # the same person: not read again
    remember_is_ops(user, draft.owner_in_ops)
    return draft


def draft_by_new_key(*, user, key: str) -> Draft | None:
    """The user's draft that the new task with this key (Draft.new_key) was stored as, with
    `active_submission_id` as draft_get_for_user gives it; another user's key finds nothing."""
    draft = _drafts_with_state().filter(owner=user, new_key=key).first()
    if draft is not None:
        draft.owner = user
        remember_is_ops(user, draft.owner_in_ops)
    return draft


def draft_list_for_user(*, user):
    return Draft.objects.filter(owner=user).select_related("project").prefetch_related(
        "submissions")


def draft_network_source(*, user) -> Draft | None:
    """The user's most recently changed draft holding Network step values (among their
    last 50): what "New task with the network of …" starts from."""
    recent = Draft.objects.filter(owner=user).order_by("-updated_at", "-pk").only(
        "pk", "name", "body")[:50]
    return next((d for d in recent.iterator(chunk_size=10) if network_values(d.job)), None)


# The largest id a database integer holds (BigAutoField): a larger one is no row's.
MAX_ID = 2**63 - 1


def id_from_text(value) -> int | None:
    """The row id `value` names as posted or in a query ("12"); None for any other text (a
    sign, "²", 5,000 digits: nothing int() may refuse or a database integer cannot hold)."""
    text = str(value)
    if not (text.isascii() and text.isdigit() and len(text) <= 19):
        return None
    return int(text) if 0 < int(text) <= MAX_ID else None


def project_by_id(value) -> CloudProject | None:
    """The cloud project whose id is `value` as posted ("12"); None for any other text."""
    pk = id_from_text(value)
    return CloudProject.objects.filter(pk=pk).first() if pk else None


def secrets_to_retype(*, draft: Draft) -> list[str]:
    """The password and certificate inputs of the draft as it stands ("Source endpoint:
    Password"): what must be typed again when its stored secrets can no longer be read."""
    labels = []
    for step in STEPS:
        for f in visible_fields(step.slug, draft.job):
            if kind_of(f).secret:
                labels.append(_("%(step)s: %(field)s") % {"step": step.title, "field": f.label})
            for index in range(len(rows_of(draft.job, f)) if f.subfields else 0):
                labels += [_("%(step)s: %(field)s %(row)s %(cell)s") % {
                    "step": step.title, "field": f.label, "row": index + 1,
                    "cell": s.label.lower()} for s in f.subfields if kind_of(s).secret]
    return labels


def draft_refusal(*, draft: Draft, submission_id) -> tuple[str, str] | None:
    """(body path, message) of the draft's submission `submission_id` that DRS refused naming
    a field ("Fix it in …" links carry its id), while the draft still holds the value refused;
    None otherwise."""
    submission_id = id_from_text(submission_id)
    if draft.pk is None or submission_id is None:
        return None  # a new task, or not an id (a hand-made link): nothing to say
    # state "failed": jobs.Submission.State.FAILED, by value (the wizard does not import jobs)
    refused = (draft.submissions.filter(pk=submission_id, state="failed")
               .exclude(error_path="").select_related("sent_body").first())
    if refused is None:
        return None
    path = refused.error_path
    # Changed since, the refusal no longer speaks of what the field holds. A password was sent
    # as ******: its refusal is said while one is set there.
    if path not in draft.secrets() and \
            c.get_path(draft.job, path) != c.get_path(refused.body.get("job", {}), path):
        return None
    _code, message = c.error_msg_parse(refused.error_msg)
    return path, _("DRS refused it (%(code)s): %(message)s") % {
        "code": refused.error_code, "message": message.strip()}


def draft_status(*, draft: Draft, usable_project_ids: set[int] | None = None) -> dict:
    """How far a draft is: the furthest step, its problems, where resuming opens it, and
    whether it can be deleted (never submitted). `usable_project_ids`: the projects its owner
    may use (a list of drafts reads them once); read when not given."""
    violations = c.validate_now(c.body_for_validation(draft.job, draft.secrets()))
    furthest = draft.furthest_index
    resume = min([furthest, *(step_index(step_for_path(v.path).slug) for v in violations)])
    problems = len(violations)
    if usable_project_ids is None:
        usable_project_ids = project_ids_for_user(draft.owner)
    if draft.project_id not in usable_project_ids:  # none, or not (or no longer) the owner's:
        resume, problems = 0, problems + 1         # Base info asks for one
    submissions = list(draft.submissions.all())  # prefetched by draft_list_for_user
    submitted = next((s for s in submissions if s.active), None)
    job_type, engine_type = (c.get_path(draft.job, f"base_info.{key}")
                             for key in ("job_type", "engine_type"))
    return {
        "scenario": scenario_label(str(job_type or "?"), str(engine_type or "?"))
        if job_type or engine_type else "",
        "furthest": STEPS[furthest].title,
        "problems": problems,
        "complete": furthest == len(STEPS) - 1 and not problems,
        "submission": submitted,
        "deletable": not submissions,
        "secrets_unreadable": draft.secrets_unreadable,
        "resume_url": reverse("submission_detail", args=[submitted.pk]) if submitted
        else reverse("draft_step", args=[draft.pk, STEPS[resume].slug]),
    }


def projects_for_user(user):
    """The cloud projects `user` may use: every one for ops, else those granted to one of
    their groups (teams)."""
    if is_ops(user):
        return CloudProject.objects.all()
    return CloudProject.objects.filter(groups__user=user).distinct()


def project_ids_for_user(user) -> set[int]:
    return set(projects_for_user(user).values_list("pk", flat=True))


def user_may_use_project(user, project) -> bool:
    return project is not None and projects_for_user(user).filter(pk=project.pk).exists()


def project_if_usable(*, user, project) -> CloudProject | None:
    """`project` if `user` may use it, else None: nothing of a project not granted to the
    user's teams is read (its region and project id prefill nothing, a copy does not keep it)."""
    return project if user_may_use_project(user, project) else None
