from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from drsui import contract as c
from drsui.people.services import person_time_zone

from . import forms
from .actions import StepAction
from .jsonpanel import json_panel
from .prefill import project_values, same_as_target_offer
from .selectors import (
    draft_by_new_key,
    draft_get_for_user,
    draft_refusal,
    id_from_text,
    project_if_usable,
    projects_for_user,
    secrets_to_retype,
)
from .services import (
    PROJECT_TO_CHOOSE,
    TOKEN,
    DraftConflict,
    draft_save_step,
    draft_step_post,
    draft_unsaved,
    new_task_key,
    project_refusal,
)
from .steps import REVIEW_INDEX, STEPS, step_for_path, step_get, step_index


def _stepper(draft, current: str, violations) -> list[dict]:
    """The progress bar: a step passed whose part of the body has a problem (after a
    scenario change, an import, a clone without passwords) is marked for attention."""
    attention = {step_for_path(v.path).slug for v in violations}

    def state(i, s):
        if s.slug == current:
            return "current"
        if i < draft.furthest_index:
            return "attention" if s.slug in attention else "done"
        return "open" if i <= draft.furthest_index else "locked"

    return [{"slug": s.slug, "title": s.title, "number": i + 1, "state": state(i, s),
             "url": reverse("draft_step", args=[draft.pk, s.slug]) if draft.pk else ""}
            for i, s in enumerate(STEPS)]


def _json_panel(body: dict, step: str = "") -> str:
    """The body as indented JSON, the part `step` edits marked (the panel scrolls to it)."""
    return json_panel(body, step_get(step).owns if step_get(step) else ())


def _error_summary(form, groups) -> list[dict]:
    summary = []
    for group in groups:
        for b in group["fields"]:
            if b["errors"]:
                summary.append({"label": b["label"], "id": b["id"], "message": b["errors"][0]})
            for row in b.get("rows", []):
                for cell in row.get("cells", [row]):
                    if cell.get("errors"):
                        label = f'{b["label"]} {row["index"] + 1}'
                        summary.append({"label": label, "id": cell["id"],
                                        "message": cell["errors"][0]})
    return summary


def _tz(request) -> str:
    """The zone a typed start time is read in: the person's (chosen on Preferences, else the
    browser's cookie), else the one the form posted (before people.js set its cookie)."""
    zone = person_time_zone(request)
    if zone:
        return zone.key
    tz = request.POST.get("_tz") if request.method == "POST" else None
    if tz and request.session.get("tz") != forms.zone(tz).key:  # no session write per POST
        request.session["tz"] = forms.zone(tz).key
    return request.session.get("tz", "UTC")


def _unreadable(draft) -> dict:
    """What to type again when no configured key opens the draft's stored secrets."""
    if not draft.secrets_unreadable:
        return {}
    return {"secrets_unreadable": True, "retype": secrets_to_retype(draft=draft)}


def _render_step(request, draft, form, *, status=200, project_error="", rows_unsaved=False):
    groups = forms.step_render(form)
    ctx = {
        "draft": draft,
        "step": step_get(form.step),
        "index": step_index(form.step),
        "stepper": _stepper(draft, form.step, form.violations()),
        "groups": groups,
        "form": form,
        "errors": _error_summary(form, groups),
        "others": form.others or forms.step_others(form),
        "json_body": _json_panel(form.masked_body(), form.step),
        # Only the user's: a draft's project no longer granted is not offered (project_error).
        "projects": list(projects_for_user(request.user)) if form.step == "base" else (),
        "project_error": project_error,
        "rows_unsaved": rows_unsaved,
        "removed": forms.removed_message(form.removed) if form.removed else "",
        "tz": form.tz,
        "same_as_target": same_as_target_offer(form.job) if form.step == "network" else None,
        "post_url": _step_url(draft, form.step, request.GET.urlencode()),
        **_unreadable(draft),
    }
    template = "wizard/step.html"
    if request.htmx and form.rerender:
        template += "#htmx_update"
    return render(request, template, ctx, status=status)


@login_required
@require_GET
def home(request):
    return redirect("draft_list")


def _step_url(draft, step: str, query: str = "") -> str:
    """Where the step's form posts: a new task's Base info is at draft_new (with its query)
    until its first save creates the draft."""
    if draft.pk:
        return reverse("draft_step", args=[draft.pk, step])
    return reverse("draft_new") + (f"?{query}" if query else "")


@sensitive_variables()
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def draft_new(request):
    """A new task's Base info, with no draft stored: its first Save, Next or autosave creates
    the draft, so a task begun and left leaves no row in My drafts.

    The page carries a key (`_new_key`, and `?key=` in its address once typed in): a save
    with a key already stored goes to that draft rather than a second one (a second click, a
    retried autosave), and the address opens that draft (a reload after the page's last
    autosave created it)."""
    if request.method == "POST" and "_version" not in request.POST:  # a "New task" button
        return redirect("draft_new")
    sent_key = request.POST.get("_new_key", "") if request.method == "POST" \
        else request.GET.get("key", "")
    key = sent_key if TOKEN.fullmatch(sent_key) else new_task_key()
    if stored := draft_by_new_key(user=request.user, key=key):
        if request.method == "GET":
            return redirect("draft_step", stored.pk, "base")
        if stored.active_submission_id:
            return redirect("submission_detail", stored.active_submission_id)
        return _step_page(request, stored, "base")
    network_from = None
    if "network_from" in request.GET:  # "New task with the network of …" (drafts list)
        network_from = _network_source(request)
        if network_from and request.method == "GET":
            messages.info(request, _("The network settings of %(draft)s were copied: check "
                                     "them on the Network step.")
                          % {"draft": network_from.name or _("your draft")})
    draft = draft_unsaved(owner=request.user, network_from=network_from, new_key=key)
    return _step_page(request, draft, "base")


def _network_source(request):
    """The draft `?network_from=` names. Gone meanwhile (deleted in another tab), it is a 404
    when the page opens, and nothing when typing is saved: what was typed is kept."""
    source = id_from_text(request.GET["network_from"])
    try:
        if source is None:
            raise Http404(_("No such draft."))
        return draft_get_for_user(user=request.user, draft_id=source)
    except Http404:
        if request.method == "GET":
            raise
        return None


@sensitive_variables()  # passwords and certificates never reach an error report
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def draft_step(request, draft_id: int, step: str, *, review_context: dict | None = None):
    """A step's page. `review_context`: what the app owning the review step's address adds
    to that page (jobs: the last rejection)."""
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    if step_get(step) is None:
        raise Http404(_("No such step."))
    if draft.active_submission_id:
        return redirect("submission_detail", draft.active_submission_id)
    if step_index(step) > draft.furthest_index:
        return redirect("draft_step", draft.pk, STEPS[draft.furthest_index].slug)
    if step == "review":
        return draft_review(request, draft, context=review_context)
    return _step_page(request, draft, step)


@sensitive_variables()
def _step_page(request, draft, step: str):
    tz = _tz(request)
    if request.method == "GET":
        project = project_if_usable(user=request.user, project=draft.project)
        form = forms.step_prepare(step=step, job=draft.job, secrets=draft.secrets(), tz=tz,
                                  project=project_values(project))
        if step_index(step) < draft.furthest_index:  # a step already passed shows what broke
            forms.step_validate(form)
        if refusal := draft_refusal(draft=draft, submission_id=request.GET.get("refused", "")):
            forms.step_refused(form, *refusal)  # arrived by a refused submission's "Fix it"
        project_error = ""
        if step == "base" and project is None:  # none chosen, or not (or no longer) theirs
            project_error = project_refusal(user=request.user, project=draft.project,
                                            stored=True)
        return _render_step(request, draft, form, project_error=project_error)

    action = StepAction.parse(request.POST)
    # An autosave never takes a file: one still uploading would be saved cut short.
    outcome = draft_step_post(draft=draft, step=step, action=action, data=request.POST,
                              files=None if action.verb == "autosave" else request.FILES, tz=tz)
    form = outcome.form
    if action.verb == "autosave":
        return _autosave_answer(draft, outcome)
    if outcome.preview:
        return render(request, "wizard/_json.html",
                      {"json_body": _json_panel(form.masked_body(), form.step)})
    if not outcome.open_step:
        return _render_step(request, draft, form, status=outcome.status,
                            project_error=outcome.project_error,
                            rows_unsaved=outcome.rows_unsaved)
    if form.removed:
        messages.info(request, forms.removed_message(form.removed))
    url = reverse("draft_step", args=[draft.pk, outcome.open_step])
    return redirect(url + ("?saved=1" if outcome.open_step == step else ""))


def _autosave_answer(draft, outcome) -> JsonResponse:
    """What the page needs after an autosave: the version its next save must carry, when
    the draft was saved (in the person's time zone) and its address (a new task's first
    save created it); or why nothing was saved. The form is never sent back."""
    form = outcome.form
    if outcome.status != 200 or draft.pk is None:
        error = str(AUTOSAVE_CONFLICT) if outcome.status == 409 else (
            str(form.non_field_errors[0]) if form.non_field_errors else _("nothing was typed."))
        return JsonResponse({"saved": False, "error": error},
                            status=outcome.status if outcome.status != 200 else 400)
    saved_at = timezone.localtime(draft.updated_at, forms.zone(form.tz))
    return JsonResponse({"saved": outcome.saved, "version": draft.version,
                         "saved_at": saved_at.strftime("%H:%M"),
                         "url": _step_url(draft, form.step)})


# Shown after "Not saved — " by static/drsui.js.
AUTOSAVE_CONFLICT = gettext_lazy("this draft was changed elsewhere (another tab?) since you "
                                 "opened this page. What you typed is still here: Save to "
                                 "keep it.")


def _violation_links(draft, violations) -> list[dict]:
    return [
        {"message": v.message, "rule": v.rule, "path": v.path,
         "step": step_for_path(v.path).title,
         "removable": forms.removable(v) and step_for_path(v.path).slug == "review",
         "url": reverse("draft_step", args=[draft.pk, step_for_path(v.path).slug])
         + "#f-" + v.path.replace(".", "-")}
        for v in violations
    ]


def draft_review(request, draft, *, error: str = "", status: int = 200,
                 context: dict | None = None):
    action = StepAction.parse(request.POST)
    if request.method == "POST" and action.verb == "drop":  # a field no step holds
        form = forms.step_apply(step="review", job=draft.job, secrets=draft.secrets(),
                                data=request.POST, action=action)
        if form.dropped:
            try:
                draft_save_step(draft=draft, form=form, version=draft.version)
                messages.success(request, _("Removed %(path)s.") % {"path": form.dropped})
            except DraftConflict as exc:
                messages.error(request, exc.message)
        return redirect("draft_step", draft.pk, "review")
    # Its Submit button posts to jobs' draft_submit, which answers at this step's address.
    secrets = draft.secrets()
    tz = _tz(request)
    body = c.body_for_validation(draft.job, secrets)
    violations = c.validate_now(body)
    if not error and not project_if_usable(user=request.user, project=draft.project):
        error = str(PROJECT_TO_CHOOSE)
    sections = [
        {"step": s, "rows": forms.summary(draft.job, secrets, s.slug, tz),
         "url": reverse("draft_step", args=[draft.pk, s.slug])}
        for s in STEPS[:REVIEW_INDEX]
    ]
    ctx = {
        "draft": draft,
        "step": STEPS[REVIEW_INDEX],
        "stepper": _stepper(draft, "review", violations),
        "sections": sections,
        "violations": _violation_links(draft, violations),
        "warnings": _violation_links(draft, c.warnings(body)),
        "json_body": _json_panel(body),
        "error": error,
        "tz": tz,
        **_unreadable(draft),
        **(context or {}),
    }
    return render(request, "wizard/review.html", ctx, status=status)
