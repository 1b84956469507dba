import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from drsui import contract as c

from . import forms
from .actions import StepAction
from .selectors import draft_get_for_user, project_list, secrets_to_retype
from .services import DraftConflict, draft_create, draft_save_step, draft_step_post
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
             "url": reverse("draft_step", args=[draft.pk, s.slug])}
            for i, s in enumerate(STEPS)]


def _json_panel(body: dict) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False)


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
        "json_body": _json_panel(form.masked_body()),
        "projects": project_list() if form.step == "base" else (),
        "project_error": project_error,
        "rows_unsaved": rows_unsaved,
        "removed": _removed_message(form.removed) if form.removed else "",
        "tz": form.tz,
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


@login_required
@require_POST
def draft_new(request):
    draft = draft_create(owner=request.user)
    return redirect("draft_step", draft.pk, "base")


@sensitive_variables()  # passwords and certificates never reach an error report
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def draft_step(request, draft_id: int, step: str):
    draft = draft_get_for_user(user=request.user, draft_id=draft_id)
    if step_get(step) is None:
        raise Http404("No such step.")
    if draft.active_submission_id:
        return redirect("submission_detail", draft.active_submission_id)
    if step_index(step) > draft.furthest_index:
        return redirect("draft_step", draft.pk, STEPS[draft.furthest_index].slug)
    if step == "review":
        return draft_review(request, draft)
    tz = _tz(request)
    if request.method == "GET":
        form = forms.step_prepare(step=step, job=draft.job, secrets=draft.secrets(), tz=tz)
        if step_index(step) < draft.furthest_index:  # a step already passed shows what broke
            forms.step_validate(form)
        return _render_step(request, draft, form)

    outcome = draft_step_post(draft=draft, step=step, action=StepAction.parse(request.POST),
                              data=request.POST, files=request.FILES, tz=tz)
    form = outcome.form
    if outcome.preview:
        return render(request, "wizard/_json.html",
                      {"json_body": _json_panel(form.masked_body())})
    if not outcome.open_step:
        return _render_step(request, draft, form, status=outcome.status,
                            project_error=outcome.project_error,
                            rows_unsaved=outcome.rows_unsaved)
    if form.removed:
        messages.info(request, _removed_message(form.removed))
    url = reverse("draft_step", args=[draft.pk, outcome.open_step])
    return redirect(url + ("?saved=1" if outcome.open_step == step else ""))


def _removed_message(removed: list[tuple[str, str]]) -> str:
    """What a change removed, grouped by why: "Removed: Service name (db_name), not used
    for MySQL; …"."""
    by_why: dict[str, list[str]] = {}
    for label, why in removed:
        by_why.setdefault(why, []).append(label)
    return "Removed: " + "; ".join(
        f"{', '.join(labels)}, {why}" for why, labels in by_why.items()) + "."


def _violation_links(draft, violations) -> list[dict]:
    return [
        {"message": v.message, "rule": v.rule, "path": v.path,
         "step": step_for_path(v.path).title,
         "removable": forms.removable(v) and step_for_path(v.path).slug == "review",
         "url": reverse("draft_step", args=[draft.pk, step_for_path(v.path).slug])
         + "#f-" + v.path.replace(".", "-")}
        for v in violations
    ]


def draft_review(request, draft, *, error: str = "", status: int = 200):
    action = StepAction.parse(request.POST)
    if request.method == "POST" and action.verb == "drop":  # a field no step holds
        form = forms.step_apply(step="review", job=draft.job, secrets=draft.secrets(),
                                data=request.POST, action=action)
        if form.dropped:
            try:
                draft_save_step(draft=draft, form=form, version=draft.version)
                messages.success(request, f"Removed {form.dropped}.")
            except DraftConflict as exc:
                messages.error(request, exc.message)
        return redirect("draft_step", draft.pk, "review")
    # Its Submit button posts to jobs' draft_submit, which answers at this step's address.
    secrets = draft.secrets()
    tz = _tz(request)
    body = c.body_for_validation(draft.job, secrets)
    violations = c.validate_now(body)
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
        **_unreadable(draft),
    }
    return render(request, "wizard/review.html", ctx, status=status)
